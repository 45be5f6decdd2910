import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { CTUI, assertPrivileged, busyboxRootfs, storeWithBusybox, type TestStore } from './helpers.js';
import { makeTar, type Entry } from './tarmaker.js';

const sha = (b: Buffer | string) => crypto.createHash('sha256').update(b).digest('hex');

/** A shell command with the store's CTUI_ROOT and `ctui` as a shell function (archives exceed spawnSync's default buffer). */
function sh(s: TestStore, cmd: string): SpawnSyncReturns<Buffer> {
  const script = `ctui() { ${JSON.stringify(CTUI)} "$@"; }\n${cmd}`;
  return spawnSync('sh', ['-c', script], { env: { ...process.env, CTUI_ROOT: s.root }, maxBuffer: 1 << 30 });
}

function shOk(s: TestStore, cmd: string): string {
  const r = sh(s, cmd);
  assert.equal(r.status, 0, `${cmd}: ${r.stderr.toString()}`);
  return r.stdout.toString();
}

/** The bytes of one entry of a tar file. */
function tarEntry(archive: string, name: string): Buffer {
  const r = spawnSync('tar', ['-xOf', archive, name], { maxBuffer: 1 << 30 });
  assert.equal(r.status, 0, r.stderr.toString());
  return r.stdout;
}

function tarList(archive: string): string[] {
  return spawnSync('tar', ['-tf', archive]).stdout.toString().trim().split('\n');
}

/** A private podman (its own store, runc: crun refuses this host's hybrid cgroups). */
class Podman {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctui-podman-'));
  run(args: readonly string[], input?: Buffer): SpawnSyncReturns<Buffer> {
    const base = ['--root', path.join(this.dir, 'root'), '--runroot', path.join(this.dir, 'run'), '--storage-driver', 'vfs',
      '--runtime', 'runc', '--cgroup-manager', 'cgroupfs', '--events-backend', 'none'];
    return spawnSync('podman', [...base, ...args], { input, maxBuffer: 1 << 30 });
  }
  ok(args: readonly string[], input?: Buffer): string {
    const r = this.run(args, input);
    assert.equal(r.status, 0, `podman ${args.join(' ')}: ${r.stderr.toString()}`);
    return r.stdout.toString();
  }
  runArgs(image: string, ...cmd: string[]): string[] {
    return ['run', '--rm', '--network', 'none', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024', image, ...cmd];
  }
  cleanup(): void {
    spawnSync('sh', ['-c', `grep -o " ${this.dir}[^ ]*" /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l`]);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A minimal valid docker-archive around one layer; parts can be overridden to make it hostile. */
async function dockerArchive(o: {
  layer: Buffer;
  diffIds?: string[];
  config?: Buffer;
  configName?: string;
  layerNames?: string[];
  extra?: Entry[];
  manifest?: unknown;
  tags?: string[] | null;
}): Promise<Buffer> {
  const diffIds = o.diffIds ?? [`sha256:${sha(o.layer)}`];
  const config = o.config ?? Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Cmd: ['sh'] }, rootfs: { type: 'layers', diff_ids: diffIds } }));
  const configName = o.configName ?? `${sha(config)}.json`;
  const layerName = `${sha(o.layer)}/layer.tar`;
  const manifest = o.manifest ?? [{ Config: configName, RepoTags: o.tags === undefined ? ['hostile:test'] : o.tags, Layers: o.layerNames ?? [layerName] }];
  return makeTar([
    { name: layerName, content: o.layer },
    { name: configName, content: config },
    ...(o.extra ?? []),
    ...(o.manifest === null ? [] : [{ name: 'manifest.json', content: JSON.stringify(manifest) }]),
  ]);
}

/** A minimal OCI layout tar around one layer. */
async function ociArchive(layer: Buffer, o: { layerDigest?: string; extra?: Entry[]; indexLink?: boolean } = {}): Promise<Buffer> {
  const diffId = `sha256:${sha(layer)}`;
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [diffId] } }));
  const layerDigest = o.layerDigest ?? diffId;
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${sha(config)}`, size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: layer.length }],
  }));
  const index = JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${sha(manifest)}`, size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': 'oci:test' } }] });
  return makeTar([
    { name: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' },
    { name: `blobs/sha256/${layerDigest.slice(7)}`, content: layer },
    { name: `blobs/sha256/${sha(config)}`, content: config },
    { name: `blobs/sha256/${sha(manifest)}`, content: manifest },
    ...(o.indexLink ? [{ name: 'real-index.json', content: index }, { name: 'index.json', type: 'symlink' as const, linkname: 'real-index.json' }] : [{ name: 'index.json', content: index }]),
    ...(o.extra ?? []),
  ]);
}

describe('save and load', () => {
  assertPrivileged();
  const s = storeWithBusybox('saveload');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ctui-saveload-'));
  after(() => {
    s.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
  });
  const f = (name: string) => path.join(work, name);

  it('round trip: save, rmi, load keeps the image id, and it runs', () => {
    const id = s.ok(['image', 'inspect', '-f', '{{.Id}}', 'busybox']).trim();
    shOk(s, `ctui save busybox > ${f('bb.tar')}`);
    assert.deepEqual(JSON.parse(tarEntry(f('bb.tar'), 'manifest.json').toString()), [
      { Config: `${id.slice(7)}.json`, RepoTags: ['busybox:latest'], Layers: [`${sha(fs.readFileSync(busyboxRootfs()))}/layer.tar`] },
    ]);
    assert.equal(sha(tarEntry(f('bb.tar'), `${id.slice(7)}.json`)), id.slice(7), 'the config keeps its exact bytes');
    s.ok(['rmi', 'busybox']);
    assert.equal(s.ok(['load', '-i', f('bb.tar')]), 'Loaded image: busybox:latest\n');
    assert.equal(s.ok(['image', 'inspect', '-f', '{{.Id}}', 'busybox']).trim(), id);
    assert.equal(s.ok(['run', '--rm', 'busybox', 'echo', 'loaded']), 'loaded\n');
    // stdin, gzip'd as a whole, through `image load`; loading what is already there changes nothing.
    const before = s.snapshot();
    assert.equal(s.ok(['image', 'load'], { input: gzipSync(fs.readFileSync(f('bb.tar'))) }), 'Loaded image: busybox:latest\n');
    assert.deepEqual(s.snapshot(), before);
    const events = s.ok(['events', '--since', '1m', '--until', '0s', '--filter', 'type=image']);
    assert.match(events, new RegExp(`image save ${id} \\(name=busybox:latest\\)`));
    assert.match(events, new RegExp(`image load ${id} \\(name=busybox:latest\\)`));
  });

  it('save -o writes a file; by id gives RepoTags null and loads untagged', () => {
    const id = s.ok(['image', 'inspect', '-f', '{{.Id}}', 'busybox']).trim();
    s.ok(['image', 'save', '-o', f('byid.tar'), id.slice(7, 19)]);
    assert.equal(JSON.parse(tarEntry(f('byid.tar'), 'manifest.json').toString())[0].RepoTags, null);
    assert.equal(tarList(f('byid.tar')).includes('repositories'), false);
    assert.deepEqual(fs.readdirSync(work).filter((n) => n.includes('.tmp-')), []);
    const t = storeWithBusybox('saveload-id');
    try {
      t.ok(['rmi', 'busybox']);
      assert.equal(t.ok(['load', '-q', '-i', f('byid.tar')]), `Loaded image ID: ${id}\n`);
      assert.equal(t.ok(['run', '--rm', id.slice(7, 19), 'echo', 'by id']), 'by id\n');
    } finally {
      t.cleanup();
    }
  });

  it('a shared layer is written once; a bare repository name saves all its tags', () => {
    s.ok(['tag', 'busybox', 'busybox:two']);
    s.ok(['import', '--change', 'CMD ["sh"]', busyboxRootfs(), 'other:1']);
    shOk(s, `ctui save busybox other:1 > ${f('two.tar')}`);
    const names = tarList(f('two.tar'));
    assert.equal(names.filter((n) => n.endsWith('/layer.tar')).length, 1);
    const manifest = JSON.parse(tarEntry(f('two.tar'), 'manifest.json').toString()) as Array<{ RepoTags: string[] }>;
    assert.deepEqual(manifest.map((m) => m.RepoTags), [['busybox:latest', 'busybox:two'], ['other:1']]);
    s.ok(['rmi', 'busybox:two', 'other:1']);
  });

  it('refuses to write an archive to a terminal, as docker does', () => {
    const r = spawnSync('script', ['-qec', `${CTUI} save busybox`, '/dev/null'], { env: { ...process.env, CTUI_ROOT: s.root } });
    assert.equal(r.status, 1);
    assert.match(r.stdout.toString(), /cowardly refusing to save to a terminal\. Use the -o flag or redirect/);
  });

  it('unknown images and bad output paths fail with exit 1 and leave no file', () => {
    const r = s.run(['save', '-o', f('none.tar'), 'nosuch:image']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /No such image: nosuch:image/);
    const r2 = s.run(['save', '-o', path.join(work, 'no', 'dir.tar'), 'busybox']);
    assert.equal(r2.status, 1);
    assert.match(r2.stderr, /cannot write/);
    assert.equal(fs.existsSync(f('none.tar')), false);
  });

  it('a damaged layer fails save and leaves no output file', async () => {
    s.ok(['import', '-', 'fragile'], { input: await makeTar([{ name: 'data', content: 'x'.repeat(5000) }]) });
    const diff = s.ok(['image', 'inspect', '-f', '{{.GraphDriver.Data.LowerDir}}', 'fragile']).trim();
    fs.writeFileSync(path.join(diff, 'data'), 'y'.repeat(5000));
    const r = s.run(['save', '-o', f('damaged.tar'), 'fragile']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /layer sha256:[0-9a-f]{64} is damaged: its bytes no longer hash to its diff_id/);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1);
    assert.deepEqual(fs.readdirSync(work).filter((n) => n.startsWith('damaged')), []);
    // A damaged record (here cut short) is refused before a byte is written, even to stdout.
    fs.writeFileSync(path.join(diff, 'data'), 'x'.repeat(5000));
    const record = path.join(path.dirname(diff), 'tar-split.bin');
    fs.truncateSync(record, fs.statSync(record).size - 10);
    const r2 = sh(s, `ctui save fragile > ${f('damaged2.tar')}`);
    assert.equal(r2.status, 1);
    assert.match(r2.stderr.toString(), /layer sha256:[0-9a-f]{64} is damaged: .*tar-split record .* is damaged/);
    assert.equal(fs.statSync(f('damaged2.tar')).size, 0);
    s.ok(['rmi', 'fragile']);
  });

  it('re-emits foreign layers byte for byte: pax and GNU long names, hard links, a name twice, whiteouts', async () => {
    const long = 'n'.repeat(150);
    const odd = await makeTar([
      { name: 'a/', type: 'directory' },
      { name: `a/${long}`, content: 'long name (pax)' },
      { name: 'same', content: 'first' },
      { name: 'same', content: 'second, longer than the first' },
      { name: 'x', content: 'x content' },
      { name: 'y', content: 'y content' },
      { name: 'x', type: 'link', linkname: 'y' },
      { name: 'gone', content: 'removed by a whiteout of the same tar' },
      { name: '.wh.gone', content: '' },
      { name: 'd/', type: 'directory' },
      { name: 'd/inner', content: 'under a dir that a file replaces' },
      { name: 'd', content: 'now a file' },
      { name: '.wh.nothing', content: 'a whiteout with content' },
      { name: 'sym', type: 'symlink', linkname: 'y' },
    ]);
    // GNU tar: 'L'/'K' long-name records, a 10 KiB record padding; pax with an xattr.
    const src = f('gnu-src');
    fs.mkdirSync(path.join(src, 'd'.repeat(120)), { recursive: true });
    fs.writeFileSync(path.join(src, 'd'.repeat(120), 'f'.repeat(110)), crypto.randomBytes(70_000));
    fs.symlinkSync('t'.repeat(120), path.join(src, 'longlink'));
    fs.writeFileSync(path.join(src, 'plain'), 'plain');
    fs.linkSync(path.join(src, 'plain'), path.join(src, 'hard'));
    const gnu = spawnSync('tar', ['-C', src, '--format=gnu', '-cf', '-', '.'], { maxBuffer: 1 << 28 }).stdout;
    spawnSync('setfattr', ['-n', 'user.ctui', '-v', 'test', path.join(src, 'plain')]);
    const pax = spawnSync('tar', ['-C', src, '--format=pax', '--xattrs', '-cf', '-', '.'], { maxBuffer: 1 << 28 }).stdout;
    for (const [name, tar] of [['odd', odd], ['gnu', gnu], ['pax', pax]] as const) {
      const id = s.ok(['import', '-', `foreign:${name}`], { input: tar }).trim();
      assert.ok(id, name);
      s.ok(['save', '-o', f(`${name}.tar`), `foreign:${name}`]);
      const layer = tarEntry(f(`${name}.tar`), `${sha(tar)}/layer.tar`);
      assert.equal(sha(layer), sha(tar), `${name}: the saved layer hashes to its diff_id`);
      assert.ok(layer.equals(tar), `${name}: byte for byte the tar that was imported`);
    }
    // The unpacked layer is still what the tar says (later entries win).
    const diff = s.ok(['image', 'inspect', '-f', '{{.GraphDriver.Data.LowerDir}}', 'foreign:odd']).trim();
    assert.equal(fs.readFileSync(path.join(diff, 'same'), 'utf8'), 'second, longer than the first');
    assert.equal(fs.readFileSync(path.join(diff, 'x'), 'utf8'), 'y content');
    assert.equal(fs.readFileSync(path.join(diff, 'd'), 'utf8'), 'now a file');
    assert.ok(fs.lstatSync(path.join(diff, 'gone')).isCharacterDevice());
    s.ok(['rmi', 'foreign:odd', 'foreign:gnu', 'foreign:pax']);
  });

  it("loads docker 25's layout: manifest.json naming blobs, layer paths that are symlinks to blobs", async () => {
    const layer = fs.readFileSync(busyboxRootfs());
    const diffId = `sha256:${sha(layer)}`;
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Cmd: ['sh'] }, rootfs: { type: 'layers', diff_ids: [diffId] } }));
    const manifest = Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${sha(config)}`, size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: diffId, size: layer.length }],
    }));
    const archive = await makeTar([
      { name: 'blobs/', type: 'directory' },
      { name: 'blobs/sha256/', type: 'directory' },
      { name: `blobs/sha256/${sha(layer)}`, content: layer },
      { name: `blobs/sha256/${sha(config)}`, content: config },
      { name: `blobs/sha256/${sha(manifest)}`, content: manifest },
      { name: 'v1id/', type: 'directory' },
      { name: 'v1id/layer.tar', type: 'symlink', linkname: `../blobs/sha256/${sha(layer)}` },
      { name: 'index.json', content: JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${sha(manifest)}`, size: manifest.length, annotations: { 'io.containerd.image.name': 'docker.io/library/d25:1', 'org.opencontainers.image.ref.name': '1' } }] }) },
      { name: 'manifest.json', content: JSON.stringify([{ Config: `blobs/sha256/${sha(config)}`, RepoTags: ['d25:1'], Layers: ['v1id/layer.tar'] }]) },
      { name: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' },
    ]);
    assert.equal(s.ok(['load'], { input: archive }), 'Loaded image: d25:1\n');
    assert.equal(s.ok(['image', 'inspect', '-f', '{{.Id}}', 'd25:1']).trim(), `sha256:${sha(config)}`);
    assert.equal(s.ok(['run', '--rm', 'd25:1', 'echo', 'd25']), 'd25\n');
    s.ok(['rmi', 'd25:1']);
  });

  it('kill -9 in the middle of a load: the next ctui repairs, the store is as it was', async () => {
    const data = fs.readFileSync(f('bb.tar'));
    const before = s.snapshot();
    for (let round = 0; round < 4; round++) {
      s.ok(['rmi', 'busybox']);
      const base = s.snapshot();
      const child = s.spawn(['load']);
      const closed = new Promise((r) => child.on('close', r));
      child.stdout.resume();
      child.stderr.resume();
      child.stdin.on('error', () => {});
      child.stdin.write(data.subarray(0, Math.floor(data.length * (0.2 + 0.6 * Math.random()))));
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 150));
      child.kill('SIGKILL');
      await closed;
      assert.equal(s.ok(['images', '-q', 'busybox']), '');
      assert.deepEqual(fs.readdirSync(path.join(s.root, 'tmp')), []);
      assert.deepEqual(s.snapshot(), base);
      s.ok(['load', '-q'], { input: data });
    }
    assert.deepEqual(s.snapshot(), before);
  });

  it('an OCI layout round trips (ours -> skopeo -> ours: same image id)', () => {
    const id = s.ok(['image', 'inspect', '-f', '{{.Id}}', 'busybox']).trim();
    shOk(s, `ctui save --format oci-archive busybox > ${f('oci.tar')}`);
    const index = JSON.parse(tarEntry(f('oci.tar'), 'index.json').toString());
    assert.equal(index.manifests[0].annotations['org.opencontainers.image.ref.name'], 'docker.io/library/busybox:latest');
    const copied = f('oci-skopeo.tar');
    const c = spawnSync('skopeo', ['copy', '-q', `oci-archive:${f('oci.tar')}:docker.io/library/busybox:latest`, `oci-archive:${copied}:docker.io/library/busybox:latest`]);
    assert.equal(c.status, 0, c.stderr.toString());
    s.ok(['rmi', 'busybox']);
    assert.equal(s.ok(['load', '-i', copied]), 'Loaded image: busybox:latest\n');
    assert.equal(s.ok(['image', 'inspect', '-f', '{{.Id}}', 'busybox']).trim(), id);
  });
});

describe('interoperability with podman and skopeo', () => {
  assertPrivileged();
  const s = storeWithBusybox('saveload-interop');
  const pm = new Podman();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ctui-interop-'));
  after(() => {
    s.cleanup();
    pm.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
  });
  const f = (name: string) => path.join(work, name);
  let ours = '';
  before(() => {
    ours = f('ours.tar');
    shOk(s, `ctui save busybox > ${ours}`);
  });

  it('ctui save | podman load, then podman runs it with the same output', () => {
    const r = sh(s, `ctui save busybox | podman --root ${pm.dir}/root --runroot ${pm.dir}/run --storage-driver vfs --runtime runc --cgroup-manager cgroupfs --events-backend none load`);
    assert.equal(r.status, 0, r.stderr.toString());
    assert.match(r.stdout.toString(), /Loaded image: .*busybox:latest/);
    const theirs = pm.ok(pm.runArgs('busybox:latest', 'cat', '/etc/passwd', '/etc/group'));
    assert.equal(theirs, s.ok(['run', '--rm', 'busybox', 'cat', '/etc/passwd', '/etc/group']));
    const id = s.ok(['image', 'inspect', '-f', '{{.Id}}', 'busybox']).trim();
    assert.equal(pm.ok(['image', 'inspect', '-f', '{{.Id}}', 'busybox:latest']).trim(), id.slice(7));
  });

  it('skopeo inspect reads our docker-archive', () => {
    const r = spawnSync('skopeo', ['inspect', `docker-archive:${ours}`]);
    assert.equal(r.status, 0, r.stderr.toString());
    assert.deepEqual(JSON.parse(r.stdout.toString()).Layers, [`sha256:${sha(fs.readFileSync(busyboxRootfs()))}`]);
  });

  it('podman save (docker-archive and oci-archive) loads into ctui and runs', () => {
    pm.ok(['import', busyboxRootfs(), 'pbox:latest']);
    const pid = pm.ok(['image', 'inspect', '-f', '{{.Id}}', 'pbox:latest']).trim();
    for (const format of ['docker-archive', 'oci-archive']) {
      const out = f(`podman-${format}.tar`);
      pm.ok(['save', '-q', '--format', format, '-o', out, 'pbox:latest']);
      assert.equal(s.ok(['load', '-i', out]), 'Loaded image: localhost/pbox:latest\n', format);
      assert.equal(s.ok(['image', 'inspect', '-f', '{{.Id}}', 'localhost/pbox']).trim(), `sha256:${pid}`, format);
      assert.equal(s.ok(['run', '--rm', 'localhost/pbox', 'echo', format]), `${format}\n`);
      s.ok(['rmi', 'localhost/pbox']);
    }
  });

  it("umoci's layout (a '/' root entry, gzip layers, a bare tag) loads untagged, runs, and saves byte for byte", () => {
    const layout = f('umoci');
    const src = f('umoci-src');
    fs.mkdirSync(src);
    assert.equal(spawnSync('tar', ['-C', src, '-xf', busyboxRootfs()]).status, 0);
    for (const args of [['init', '--layout', layout], ['new', '--image', `${layout}:latest`], ['insert', '--image', `${layout}:latest`, src, '/']]) {
      const r = spawnSync('umoci', args);
      assert.equal(r.status, 0, `umoci ${args.join(' ')}: ${r.stderr.toString()}`);
    }
    const archive = f('umoci.tar');
    assert.equal(spawnSync('tar', ['-C', layout, '-cf', archive, '.']).status, 0);
    const out = s.ok(['load', '-i', archive]);
    const m = /^Loaded image ID: (sha256:[0-9a-f]{64})\n$/.exec(out);
    assert.ok(m, out);
    const id = m[1]!;
    assert.equal(s.ok(['run', '--rm', id.slice(7, 19), 'echo', 'umoci']), 'umoci\n');
    s.ok(['save', '-o', f('umoci-saved.tar'), id.slice(7, 19)]);
    const layers = JSON.parse(tarEntry(f('umoci-saved.tar'), 'manifest.json').toString())[0].Layers as string[];
    const diffIds = JSON.parse(s.ok(['image', 'inspect', '-f', '{{json .RootFS.Layers}}', id])) as string[];
    layers.forEach((l, i) => assert.equal(`sha256:${sha(tarEntry(f('umoci-saved.tar'), l))}`, diffIds[i]));
  });

  it('skopeo copy docker-archive:ours oci-archive (gzip layers) loads and runs', () => {
    const oci = f('sk.tar');
    const c = spawnSync('skopeo', ['copy', '-q', `docker-archive:${ours}`, `oci-archive:${oci}:docker.io/library/skbox:1`]);
    assert.equal(c.status, 0, c.stderr.toString());
    const index = JSON.parse(tarEntry(oci, 'index.json').toString());
    const manifest = JSON.parse(tarEntry(oci, `blobs/sha256/${index.manifests[0].digest.slice(7)}`).toString());
    assert.match(manifest.layers[0].mediaType, /gzip/);
    assert.equal(s.ok(['load', '-i', oci]), 'Loaded image: skbox:1\n');
    assert.equal(s.ok(['run', '--rm', 'skbox:1', 'echo', 'gzip']), 'gzip\n');
  });
});

describe('hostile archives: load refuses them with one line, exit 1, the store untouched', () => {
  const s = storeWithBusybox('saveload-hostile');
  after(() => s.cleanup());
  let good: Buffer = Buffer.alloc(0);
  let layer: Buffer = Buffer.alloc(0);
  let other: Buffer = Buffer.alloc(0);
  before(async () => {
    layer = await makeTar([{ name: 'hello', content: 'hello' }]);
    other = await makeTar([{ name: 'other', content: 'other' }]);
    good = await dockerArchive({ layer });
  });

  const cases: Array<[string, () => Promise<Buffer> | Buffer, RegExp]> = [
    ['a path traversal inside a layer', async () => dockerArchive({ layer: await makeTar([{ name: '../../../../tmp/ctui-evil', content: 'x' }]) }), /escapes the layer/],
    ['a manifest naming ../x', () => dockerArchive({ layer, layerNames: ['../x'] }), /layer \.\.\/x is outside the archive/],
    ['a manifest naming /etc/passwd', () => dockerArchive({ layer, layerNames: ['/etc/passwd'] }), /layer \/etc\/passwd is outside the archive/],
    ['a manifest naming a layer not in it', () => dockerArchive({ layer, layerNames: ['nothere/layer.tar'] }), /layer nothere\/layer.tar is not in the archive/],
    ['a layer link out of the archive', () => dockerArchive({ layer, layerNames: ['l/layer.tar'], extra: [{ name: 'l/layer.tar', type: 'symlink', linkname: '../../../etc/passwd' }] }), /link out of the archive/],
    ['a layer that is not the one its config lists', () => dockerArchive({ layer, diffIds: [`sha256:${sha(other)}`] }), /is not the one its config lists/],
    ['a config whose bytes do not match its name', () => dockerArchive({ layer, configName: `${sha('something else')}.json` }), /config digest mismatch/],
    ['more layers in the config than in the manifest', () => dockerArchive({ layer, diffIds: [`sha256:${sha(layer)}`, `sha256:${sha(other)}`] }), /lists 2 layers, the manifest 1/],
    ['an OCI blob that does not match its name', () => ociArchive(layer, { layerDigest: `sha256:${sha(other)}` }), /does not match its name/],
    ['a symlinked index.json', () => ociArchive(layer, { indexLink: true }), /index\.json in the archive is a link/],
    ['a symlinked manifest.json', () => makeTar([{ name: 'm.json', content: '[]' }, { name: 'manifest.json', type: 'symlink', linkname: 'm.json' }]), /manifest\.json in the archive is a link/],
    ['an absurdly large JSON entry', () => dockerArchive({ layer, extra: [{ name: 'huge.json', content: `{"a":"${'x'.repeat(9 << 20)}"}` }] }), /JSON document of \d+ bytes: refusing it/],
    ['two entries with one name', () => dockerArchive({ layer, extra: [{ name: 'manifest.json', content: '[]' }] }), /two entries named manifest\.json/],
    ['one good image and one bad: nothing is loaded', async () => {
      const cfg = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [`sha256:${sha(layer)}`] } }));
      return dockerArchive({ layer, manifest: [
        { Config: `${sha(cfg)}.json`, RepoTags: ['good:1'], Layers: [`${sha(layer)}/layer.tar`] },
        { Config: `${sha(cfg)}.json`, RepoTags: ['bad:1'], Layers: ['missing/layer.tar'] },
      ], config: cfg });
    }, /missing\/layer.tar is not in the archive/],
    ['a truncated archive', () => good.subarray(0, Math.floor(good.length / 2) + 7), /truncated/],
    ['not an archive', () => crypto.randomBytes(8192), /not a valid tar|corrupt/],
    ['a corrupt gzip stream', () => {
      const gz = gzipSync(good);
      for (let i = 40; i < 80; i++) gz[i] = gz[i]! ^ 0xff;
      return gz;
    }, /corrupt|invalid/i],
    ['a filesystem tarball', () => fs.readFileSync(busyboxRootfs()), /not an image archive/],
  ];

  it('a well-formed archive of the same shape loads (the cases below differ from it in one way)', () => {
    assert.equal(s.ok(['load'], { input: good }), 'Loaded image: hostile:test\n');
    s.ok(['rmi', 'hostile:test']);
  });

  for (const [what, make, re] of cases) {
    it(what, async () => {
      const before = s.snapshot();
      const r = s.run(['load'], { input: await make() });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      assert.deepEqual(s.snapshot(), before);
      assert.equal(fs.existsSync('/tmp/ctui-evil'), false);
    });
  }

  it('an empty stdin, and a missing file', () => {
    const r = s.run(['load'], { input: '' });
    assert.equal(r.status, 1);
    const r2 = s.run(['load', '-i', '/nonexistent/x.tar']);
    assert.equal(r2.status, 1);
    assert.match(r2.stderr, /no such file or directory/);
  });
});
