#!/usr/bin/env node
// Go templates side by side: docker's --format/-f against ctui's, case by case (test/fixtures/template/cases.txt).
//
//   node scripts/compare-templates.mjs record    DOCKER_HOST=unix:///tmp/d-x.sock: creates vol1 and c1 in that
//                                                 dockerd (busybox loaded), records docker's stdout, stderr and
//                                                 exit code of every case plus the objects themselves (inspect
//                                                 JSON, ps/volume ls rows) into test/fixtures/template/. The unit
//                                                 test (test/template.test.ts) replays them through ctui's engine.
//   node scripts/compare-templates.mjs compare   the same cases through `ctui` (CTUI_ROOT, busybox imported) on
//                                                 a c1/vol1 made the same way; prints the cases whose output
//                                                 differs from docker's (ids, paths and times differ by nature).
//   PODMAN='podman --root /tmp/p --runroot /tmp/p-run --runtime runc' node scripts/compare-templates.mjs compare
//                                                 ... and that podman's beside them (busybox loaded into it).
//
// Not part of CI: it needs a dockerd. DOCKER (default /usr/bin/docker, Debian's 20.10 client: the client is
// what formats) and the bind directory /tmp/tmpl-cmp can be overridden with DOCKER and BIND.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIR = path.join(REPO, 'test', 'fixtures', 'template');
const DOCKER = process.env.DOCKER ?? '/usr/bin/docker';
const BIND = process.env.BIND ?? '/tmp/tmpl-cmp';
const CTUI = [process.execPath, path.join(REPO, 'bin', 'ctui.js')];

export function readCases() {
  return fs.readFileSync(path.join(DIR, 'cases.txt'), 'utf8').split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => { const tab = l.indexOf('\t'); return { kind: l.slice(0, tab), format: l.slice(tab + 1).replace(/⏎/g, '\n') }; });
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

/** The command line of one case for a docker-like CLI. */
function argsFor(kind, format) {
  switch (kind) {
    case 'inspect': return ['inspect', '-f', format, 'c1'];
    case 'ps': return ['ps', '-a', '--filter', 'name=^c1$', '--format', format];
    case 'volume': return ['volume', 'ls', '--filter', 'name=vol1', '--format', format];
    case 'info': return ['info', '-f', format];
    case 'image': return ['image', 'inspect', '-f', format, 'busybox'];
    default: throw new Error(`unknown kind ${kind}`);
  }
}

function setup(cli) {
  fs.mkdirSync(BIND, { recursive: true });
  run(cli[0], [...cli.slice(1), 'rm', '-f', 'c1']);
  run(cli[0], [...cli.slice(1), 'volume', 'rm', '-f', 'vol1']);
  const v = run(cli[0], [...cli.slice(1), 'volume', 'create', 'vol1']);
  const c = run(cli[0], [...cli.slice(1), 'create', '--name', 'c1', '-v', 'vol1:/data', '-v', `${BIND}:/host:ro`, '-l', 'app=web', '-l', 'tier=front',
    '-e', 'FOO=bar', '-e', 'EMPTY=', '-w', '/tmp', 'busybox', 'sleep', '1000']);
  if (v.code !== 0 || c.code !== 0) throw new Error(`setup failed: ${v.stderr}${c.stderr}`);
}

const mode = process.argv[2];
if (mode === 'record') {
  const cli = [DOCKER];
  setup(cli);
  const results = readCases().map(({ kind, format }) => ({ kind, format, ...run(DOCKER, argsFor(kind, format)) }));
  const objects = {
    inspect: JSON.parse(run(DOCKER, ['inspect', 'c1']).stdout)[0],
    image: JSON.parse(run(DOCKER, ['image', 'inspect', 'busybox']).stdout)[0],
    ps: JSON.parse(run(DOCKER, argsFor('ps', '{{json .}}')).stdout),
    volume: JSON.parse(run(DOCKER, argsFor('volume', '{{json .}}')).stdout),
    info: { NCPU: 2, OSType: 'linux' },
    client: run(DOCKER, ['version', '-f', '{{.Client.Version}}']).stdout.trim(),
  };
  fs.writeFileSync(path.join(DIR, 'docker-objects.json'), JSON.stringify(objects, null, 1) + '\n');
  fs.writeFileSync(path.join(DIR, 'docker-expected.json'), JSON.stringify(results, null, 1) + '\n');
  console.log(`recorded ${results.length} cases from docker ${objects.client}`);
} else if (mode === 'compare') {
  setup(CTUI);
  const expected = JSON.parse(fs.readFileSync(path.join(DIR, 'docker-expected.json'), 'utf8'));
  const podman = process.env.PODMAN ? process.env.PODMAN.split(' ') : undefined;
  if (podman) setup(podman);
  let same = 0;
  let podmanSame = 0;
  for (const e of expected) {
    const c = run(CTUI[0], [...CTUI.slice(1), ...argsFor(e.kind, e.format)]);
    const ok = c.stdout === e.stdout && c.code === e.code && c.stderr.replace(/^ctui: /, '') === e.stderr;
    const p = podman ? run(podman[0], [...podman.slice(1), ...argsFor(e.kind, e.format)]) : undefined;
    if (p && p.stdout === e.stdout && p.code === e.code) podmanSame++;
    if (ok) { same++; continue; }
    console.log(`--- ${e.kind} ${JSON.stringify(e.format)}`);
    console.log(`docker (${e.code}): ${JSON.stringify(e.stdout)} ${JSON.stringify(e.stderr)}`);
    console.log(`ctui   (${c.code}): ${JSON.stringify(c.stdout)} ${JSON.stringify(c.stderr)}`);
    if (p) console.log(`podman (${p.code}): ${JSON.stringify(p.stdout)} ${JSON.stringify(p.stderr)}`);
  }
  console.log(`${same} of ${expected.length} cases byte for byte as docker's${podman ? `; podman ${podmanSame}` : ''}`);
} else {
  console.error('usage: compare-templates.mjs record|compare');
  process.exit(2);
}
