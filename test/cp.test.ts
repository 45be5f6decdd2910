import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertPrivileged, importBusyboxWith, staticProgram, storeWithBusybox } from './helpers.js';
import { makeTar } from './tarmaker.js';

/** tar -tv of a buffer: "mode owner size name" per entry (no dates). */
function listing(buf: Buffer): string[] {
  const r = spawnSync('tar', ['-tv', '--numeric-owner'], { input: buf, encoding: 'latin1' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').map((l) => {
    const f = l.split(/\s+/);
    return `${f[0]} ${f[1]} ${f.slice(5).join(' ')}`;
  });
}

describe('cp', () => {
  assertPrivileged();
  const s = storeWithBusybox('cp');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ctui-cp-work-'));
  // A host directory outside the store that no copy may read or write: the canary.
  const canary = fs.mkdtempSync(path.join(os.tmpdir(), 'ctui-cp-canary-'));
  const canaryList = () => fs.readdirSync(canary).sort();
  const cpOut = (args: string[]) => spawnSync(process.execPath, [path.join(import.meta.dirname, '..', 'bin', 'ctui.js'), 'cp', ...args], { env: { ...process.env, CTUI_ROOT: s.root }, maxBuffer: 1 << 30 });
  const inC = (c: string, cmd: string) => s.ok(['exec', c, 'sh', '-c', cmd]);
  const h = (...p: string[]) => path.join(work, ...p);

  before(() => {
    fs.writeFileSync(path.join(canary, 'secret'), 'HOST CANARY\n');
    s.ok(['run', '-d', '--name', 'run1', 'busybox', 'sleep', '100000']);
    s.ok(['create', '--name', 'new1', 'busybox', 'sleep', '100000']);
  });
  after(() => {
    s.run(['rm', '-f', ...s.ok(['ps', '-aq']).trim().split('\n').filter(Boolean)]);
    s.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(canary, { recursive: true, force: true });
  });

  for (const c of ['new1', 'run1']) {
    it(`${c}: container to host: a file, a dir under a new name, into an existing dir, dir/. contents, - as a tar`, () => {
      const d = h(c);
      fs.mkdirSync(d);
      s.ok(['cp', `${c}:/etc/passwd`, d]);
      assert.match(fs.readFileSync(path.join(d, 'passwd'), 'utf8'), /^root:x:0:0/);
      s.ok(['cp', `${c}:/etc/passwd`, path.join(d, 'pw2')]);
      assert.ok(fs.statSync(path.join(d, 'pw2')).isFile());
      s.ok(['cp', `${c}:/etc`, path.join(d, 'etc2')]);
      assert.ok(fs.existsSync(path.join(d, 'etc2', 'group')));
      s.ok(['cp', `${c}:/etc`, path.join(d, 'etc2')]);
      assert.ok(fs.existsSync(path.join(d, 'etc2', 'etc', 'group')), 'an existing dir receives the dir itself');
      fs.mkdirSync(path.join(d, 'dot'));
      s.ok(['cp', `${c}:/etc/.`, path.join(d, 'dot')]);
      assert.ok(fs.existsSync(path.join(d, 'dot', 'passwd')), 'dir/. copies the contents');
      const tarOut = cpOut([`${c}:/etc`, '-']);
      assert.equal(tarOut.status, 0, tarOut.stderr.toString());
      const names = listing(tarOut.stdout).map((l) => l.split(' ').pop());
      assert.ok(names.includes('etc/') && names.includes('etc/passwd'), names.join(','));
      assert.deepEqual(listing(cpOut([`${c}:/etc/.`, '-']).stdout).map((l) => l.split(' ').pop()).slice(0, 2), ['./', './group']);
      assert.ok(listing(cpOut([`${c}:/`, '-']).stdout).some((l) => l.endsWith(' /bin/')), 'the root as docker names it');
    });

    it(`${c}: host to container and back: a file, a dir, dir/., a tar from stdin`, () => {
      const d = h(`${c}-in`);
      fs.mkdirSync(path.join(d, 'tree', 'sub'), { recursive: true });
      fs.writeFileSync(path.join(d, 'tree', 'sub', 'f'), 'deep\n');
      fs.writeFileSync(path.join(d, 'tree', 'top'), 'top\n');
      fs.symlinkSync('sub/f', path.join(d, 'tree', 'link'));
      fs.linkSync(path.join(d, 'tree', 'top'), path.join(d, 'tree', 'hard'));
      fs.chmodSync(path.join(d, 'tree', 'top'), 0o751);
      s.ok(['cp', path.join(d, 'tree', 'top'), `${c}:/tmp/one`]);
      s.ok(['cp', path.join(d, 'tree'), `${c}:/tmp/tree`]);
      s.ok(['cp', path.join(d, 'tree') + '/.', `${c}:/tmp/`]);
      s.run(['start', c]);
      assert.equal(inC(c, 'cat /tmp/one /tmp/tree/sub/f /tmp/sub/f; readlink /tmp/tree/link; stat -c %a /tmp/tree/top; stat -c %h /tmp/tree/hard'), 'top\ndeep\ndeep\nsub/f\n751\n2\n');
      const t = cpOut([`${c}:/tmp/tree`, '-']);
      const back = s.run(['cp', '-', `${c}:/var/`], { input: t.stdout });
      assert.equal(back.status, 0, back.stderr);
      const r = cpOut(['-', `${c}:/nope`]);
      assert.notEqual(r.status, 0);
      assert.equal(inC(c, 'cat /var/tree/sub/f'), 'deep\n');
      s.ok(['cp', `${c}:/var/tree`, path.join(d, 'back')]);
      assert.equal(fs.readFileSync(path.join(d, 'back', 'sub', 'f'), 'utf8'), 'deep\n');
      assert.equal(fs.readlinkSync(path.join(d, 'back', 'link')), 'sub/f');
      assert.equal(fs.statSync(path.join(d, 'back', 'hard')).nlink, 2);
      if (c === 'new1') {
        s.ok(['stop', '-t', '0', c]);
        s.ok(['rm', c]);
        s.ok(['create', '--name', c, 'busybox', 'sleep', '100000']);
      }
    });
  }

  it('an exited container: both ways, through its layer', () => {
    s.ok(['run', '--name', 'done1', 'busybox', 'sh', '-c', 'echo made > /made']);
    assert.equal(cpOut(['done1:/made', '-']).status, 0);
    fs.writeFileSync(h('put-exited'), 'into exited\n');
    s.ok(['cp', h('put-exited'), 'done1:/']);
    s.ok(['start', '-a', 'done1']);
    s.ok(['cp', 'done1:/put-exited', h('got-exited')]);
    assert.equal(fs.readFileSync(h('got-exited'), 'utf8'), 'into exited\n');
  });

  it('ownership: without -a the source ids stay (as docker 20.10), with -a the container user owns it; on the host the caller owns it and setuid goes', () => {
    fs.writeFileSync(h('owned'), 'x\n');
    fs.chownSync(h('owned'), 1234, 5678);
    s.ok(['run', '-d', '--name', 'user1', '-u', '1000:1000', 'busybox', 'sleep', '100000']);
    s.ok(['cp', h('owned'), 'user1:/tmp/keep']);
    s.ok(['cp', '-a', h('owned'), 'user1:/tmp/mine']);
    assert.equal(inC('user1', 'stat -c %u:%g /tmp/keep /tmp/mine'), '1234:5678\n1000:1000\n');
    s.ok(['exec', '-u', '0', 'user1', 'sh', '-c', 'echo s > /tmp/suid; chown 77:88 /tmp/suid; chmod 4755 /tmp/suid']);
    s.ok(['cp', 'user1:/tmp/suid', h('suid')]);
    const st = fs.statSync(h('suid'));
    assert.equal(`${st.uid}:${st.gid} ${(st.mode & 0o7777).toString(8)}`, '0:0 755');
    s.ok(['cp', '-a', 'user1:/tmp/suid', h('suid-a')]);
    const sa = fs.statSync(h('suid-a'));
    assert.equal(`${sa.uid}:${sa.gid} ${(sa.mode & 0o7777).toString(8)}`, '77:88 4755');
  });

  it('-L follows a symlink in SRC (inside the container); without it the link is copied', () => {
    inC('run1', 'ln -s /etc /tmp/le; ln -s passwd /etc/pwlink');
    s.ok(['cp', 'run1:/tmp/le', h('le')]);
    assert.equal(fs.readlinkSync(h('le')), '/etc');
    s.ok(['cp', '-L', 'run1:/tmp/le', h('leL')]);
    assert.ok(fs.existsSync(h('leL', 'passwd')), 'the target dir under the name asked for');
    s.ok(['cp', '-L', 'run1:/etc/pwlink', h('pwL')]);
    assert.match(fs.readFileSync(h('pwL'), 'utf8'), /^root:/);
    fs.symlinkSync(h('owned'), h('hostlink'));
    s.ok(['cp', '-L', h('hostlink'), 'run1:/tmp/fromlink']);
    assert.equal(inC('run1', 'cat /tmp/fromlink'), 'x\n');
  });

  it('volumes and binds: a copy lands in the mount that covers the path, stopped or running; --read-only and :ro refuse as docker', () => {
    const bind = fs.mkdtempSync(path.join(work, 'bind-'));
    s.ok(['create', '--name', 'vol1', '-v', 'cpdata:/data', '-v', `${bind}:/b`, 'busybox', 'sleep', '100000']);
    fs.writeFileSync(h('vf'), 'to the volume\n');
    s.ok(['cp', h('vf'), 'vol1:/data/']);
    s.ok(['cp', h('vf'), 'vol1:/b/']);
    assert.equal(fs.readFileSync(path.join(bind, 'vf'), 'utf8'), 'to the volume\n');
    assert.equal(s.ok(['run', '--rm', '-v', 'cpdata:/v', 'busybox', 'cat', '/v/vf']), 'to the volume\n');
    s.ok(['start', 'vol1']);
    s.ok(['cp', h('vf'), 'vol1:/data/running']);
    assert.equal(s.ok(['run', '--rm', '-v', 'cpdata:/v', 'busybox', 'cat', '/v/running']), 'to the volume\n');
    assert.equal(cpOut(['vol1:/b/vf', '-']).status, 0);

    for (const state of ['stopped', 'running']) {
      const name = `ro-${state}`;
      s.ok([state === 'running' ? 'run' : 'create', ...(state === 'running' ? ['-d'] : []), '--name', name, '--read-only', '-v', '/anon', '-v', `${bind}:/rob:ro`, 'busybox', 'sleep', '100000']);
      const r1 = s.run(['cp', h('vf'), `${name}:/tmp/`]);
      assert.equal(r1.status, 1);
      assert.equal(r1.stderr, 'ctui: container rootfs is marked read-only\n');
      const r2 = s.run(['cp', h('vf'), `${name}:/rob/`]);
      assert.equal(r2.stderr, 'ctui: mounted volume is marked read-only\n');
      assert.equal(r2.status, 1);
      s.ok(['cp', h('vf'), `${name}:/anon/`]);
      assert.equal(cpOut([`${name}:/anon/vf`, '-']).status, 0);
    }
  });

  it('errors: one line, docker\'s words, exit 1, nothing half-written', () => {
    const cases: Array<[string[], string]> = [
      [['run1:/nope', work], 'No such container:path: run1:/nope'],
      [['nosuch:/etc', work], 'No such container:path: nosuch:/etc'],
      [[h('owned'), 'run1:/nope/x'], 'No such container:path: run1:/nope'],
      [['run1:/etc', h('owned')], 'cannot copy directory'],
      [['run1:/etc/passwd', h('nodir') + '/'], 'no such directory'],
      [['run1:/etc/passwd', h('a', 'b')], `invalid output path: directory "${h('a')}" does not exist`],
      [['run1:/a', 'new1:/b'], 'copying between containers is not supported'],
      [[h('owned'), h('x')], 'must specify at least one container source'],
      [[h('owned'), 'run1:/etc/passwd/'], 'no such directory'],
      [[work, 'run1:/etc/passwd'], 'cannot copy directory'],
      [[h('nosuchfile'), 'run1:/tmp/'], `lstat ${h('nosuchfile')}: no such file or directory`],
    ];
    for (const [args, msg] of cases) {
      const r = s.run(['cp', ...args]);
      assert.equal(r.stderr, `ctui: ${msg}\n`, args.join(' '));
      assert.equal(r.status, 1, args.join(' '));
    }
    inC('run1', 'mkdir -p /tmp/isdir; echo > /tmp/isfile');
    fs.mkdirSync(h('isfile'));
    assert.match(s.run(['cp', h('isfile'), 'run1:/tmp/']).stderr, /^ctui: cannot overwrite non-directory "\/tmp\/isfile" with directory "\/tmp"\n$/);
    // A truncated archive from stdin: the file it was writing never appears.
    const big = Buffer.concat([Buffer.from(spawnSync('sh', ['-c', `cd ${work} && head -c 200000 /dev/urandom > bigf && tar -cf - bigf`]).stdout)]);
    const r = s.run(['cp', '-', 'run1:/tmp/'], { input: big.subarray(0, 100_000) });
    assert.equal(r.status, 1);
    assert.equal(r.stderr.split('\n').length, 2, r.stderr);
    assert.equal(inC('run1', 'ls /tmp/bigf 2>&1 || true'), 'ls: /tmp/bigf: No such file or directory\n');
    // A dir copied to a host path that does not exist: on failure no half tree is left.
    assert.deepEqual(fs.readdirSync(work).filter((n) => n.includes('ctui-cp')), []);
    // - to a terminal is refused.
    const tty = spawnSync('script', ['-qec', `CTUI_ROOT=${s.root} ${path.join(import.meta.dirname, '..', 'bin', 'ctui.js')} cp run1:/etc/passwd -`, '/dev/null'], { encoding: 'utf8' });
    assert.match(tty.stdout, /cowardly refusing to write an archive to a terminal/);
  });

  it('hostile container symlinks (to / and to a host file) are resolved inside it, both ways', () => {
    const secret = path.join(canary, 'secret');
    inC('run1', `ln -s / /tmp/root; ln -s ${secret} /tmp/shadow; ln -s ${canary} /tmp/cdir; mkdir -p /tmp/real`);
    // Reading: the links come out as links; followed (-L, or as a parent), they name container paths.
    s.ok(['cp', 'run1:/tmp/shadow', h('shadow')]);
    assert.equal(fs.readlinkSync(h('shadow')), secret);
    assert.equal(s.run(['cp', '-L', 'run1:/tmp/shadow', h('shadowL')]).stderr, `ctui: No such container:path: run1:${secret}\n`);
    assert.equal(s.run(['cp', `run1:/tmp/root${secret}`, h('x1')]).status, 1);
    assert.equal(s.run(['cp', `run1:/tmp/cdir/secret`, h('x2')]).status, 1);
    assert.equal(s.run(['cp', 'run1:/../../../../..' + secret, h('x3')]).status, 1);
    assert.ok(!fs.existsSync(h('x1')) && !fs.existsSync(h('x2')) && !fs.existsSync(h('x3')));
    const t = cpOut(['run1:/tmp/root/etc/passwd', '-']);
    assert.match(t.stdout.toString('latin1'), /root:x:0:0/, 'a symlink to / is the container\'s /');
    // Writing: through the container's links, into the container only (it has a dir of its own at
    // the canary's path: a write resolved on the host would land in the host's).
    inC('run1', `mkdir -p ${canary}`);
    fs.writeFileSync(h('payload'), 'PAYLOAD\n');
    s.ok(['cp', h('payload'), 'run1:/tmp/cdir']);
    s.ok(['cp', h('payload'), 'run1:/tmp/shadow']);
    s.ok(['cp', h('payload'), `run1:/tmp/root${canary}/p2`]);
    s.ok(['cp', h('payload'), `run1:/../../..${canary}/p3`]);
    assert.deepEqual(canaryList(), ['secret']);
    assert.equal(fs.readFileSync(secret, 'utf8'), 'HOST CANARY\n');
    assert.equal(inC('run1', `cd ${canary} && cat payload secret p2 p3`), 'PAYLOAD\n'.repeat(4));
    // Reading back from the container onto the host never writes through the host's symlinks it left.
    inC('run1', `mkdir -p /tmp/evil; ln -s ${canary} /tmp/evil/l`);
    s.ok(['cp', 'run1:/tmp/evil', h('evil')]);
    assert.equal(fs.readlinkSync(h('evil', 'l')), canary);
    assert.deepEqual(canaryList(), ['secret']);
  });

  it('hostile archives from stdin: .. refused, absolute names stay below the destination, no write through a symlink it made, no foreign hard link', async () => {
    const cases: Array<[Parameters<typeof makeTar>[0], RegExp]> = [
      [[{ name: '../../../escape', content: 'x' }], /ctui: "\.\.\/\.\.\/\.\.\/escape" is outside of "\/tmp\/dst"/],
      [[{ name: 'a/../../escape', content: 'x' }], /is outside of/],
      [[{ name: 'l', type: 'symlink', linkname: canary }, { name: 'l/planted', content: 'x' }], /would be written through the symlink l that the archive created/],
      [[{ name: 'r', type: 'symlink', linkname: '/' }, { name: `r${canary}/planted`, content: 'x' }], /would be written through the symlink r/],
      [[{ name: 'hl', type: 'link', linkname: '/etc/passwd' }], /links to \/etc\/passwd, which is not an earlier entry/],
    ];
    inC('run1', 'mkdir -p /tmp/dst');
    for (const [entries, msg] of cases) {
      const r = s.run(['cp', '-', 'run1:/tmp/dst'], { input: await makeTar(entries) });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, msg);
      assert.equal(r.stderr.split('\n').length, 2, r.stderr);
    }
    assert.deepEqual(canaryList(), ['secret']);
    assert.equal(inC('run1', 'ls -A /tmp/dst'), 'l\nr\n', 'the symlinks themselves were made, nothing through them');
    s.ok(['cp', '-', 'run1:/tmp/dst'], { input: await makeTar([{ name: `/abs${canary}`, content: 'abs\n' }]) });
    assert.equal(inC('run1', `cat /tmp/dst/abs${canary}`), 'abs\n');
    assert.deepEqual(canaryList(), ['secret']);
    // A device node: made for a container that has CAP_MKNOD (docker's default), refused for one without.
    const node = await makeTar([{ name: 'null2', type: 'character-device', devmajor: 1, devminor: 3, mode: 0o666 }]);
    s.ok(['cp', '-', 'run1:/tmp/dst'], { input: node });
    s.ok(['run', '-d', '--name', 'nomknod', '--cap-drop', 'MKNOD', 'busybox', 'sleep', '100000']);
    assert.match(s.run(['cp', '-', 'nomknod:/tmp'], { input: node }).stderr, /device nodes cannot be copied into a container without CAP_MKNOD/);
    // ... and never made on the host from a container.
    const r = s.run(['cp', 'run1:/tmp/dst/null2', h('null2')]);
    assert.equal(r.status, 0);
    assert.match(r.stderr, /left out 1 device node/);
    assert.ok(!fs.existsSync(h('null2')));
  });

  it('a container racing a directory against a symlink to / never gets a host file read or written', () => {
    // /d swaps (renameat2 RENAME_EXCHANGE) between a real directory holding the canary's path with
    // a file "mine" and a symlink to /: a copy that resolved /d from the host at the wrong moment
    // would read the host's canary or write into the host's canary dir (CVE-2018-15664).
    const swapper = staticProgram('cpswap', `
      #define _GNU_SOURCE
      #include <fcntl.h>
      #include <stdio.h>
      #include <unistd.h>
      int main(void) {
        symlink("/", "/d.link");
        for (;;) renameat2(AT_FDCWD, "/d", AT_FDCWD, "/d.link", 2 /* RENAME_EXCHANGE */);
      }`);
    importBusyboxWith(s, 'cpswap', { '/bin/cpswap': swapper });
    s.ok(['run', '-d', '--name', 'racer', '--entrypoint', 'sh', 'cpswap', '-c', `mkdir -p /d${canary} && echo mine > /d${canary}/secret && exec cpswap`]);
    fs.writeFileSync(h('racefile'), 'RACE\n');
    let reads = 0;
    let writes = 0;
    for (let i = 0; i < 40; i++) {
      const r = cpOut([`racer:/d${canary}/secret`, '-']);
      const text = r.stdout.toString('latin1');
      assert.ok(!text.includes('HOST CANARY'), `read ${i} got the host's file`);
      if (r.status === 0) {
        assert.match(text, /mine/);
        reads++;
      }
      const w = s.run(['cp', h('racefile'), `racer:/d${canary}/`]);
      if (w.status === 0) writes++;
      else assert.match(w.stderr, /No such container:path|not a directory|no such directory|cannot overwrite|No such file|changed in the container during the copy/, w.stderr);
      assert.deepEqual(canaryList(), ['secret'], `write ${i} reached the host`);
    }
    assert.equal(fs.readFileSync(path.join(canary, 'secret'), 'utf8'), 'HOST CANARY\n');
    assert.ok(reads > 0 && writes > 0, `some copies went through (${reads} reads, ${writes} writes)`);
    s.ok(['rm', '-f', 'racer']);
  });

  it('a start waits for a copy into the stopped container (one overlay per upper dir)', async () => {
    s.ok(['create', '--name', 'held', 'busybox', 'sleep', '100000']);
    const big = spawnSync('sh', ['-c', `head -c 20000000 /dev/zero > ${h('big')}`]);
    assert.equal(big.status, 0);
    const { spawn } = await import('node:child_process');
    const copy = spawn(process.execPath, [path.join(import.meta.dirname, '..', 'bin', 'ctui.js'), 'cp', '-', 'held:/'], { env: { ...process.env, CTUI_ROOT: s.root }, stdio: ['pipe', 'ignore', 'pipe'] });
    const tarProc = spawnSync('tar', ['-cf', '-', '-C', work, 'big'], { maxBuffer: 1 << 30 });
    copy.stdin.write(tarProc.stdout.subarray(0, 1 << 20));
    const id = s.ok(['inspect', '-f', '{{.Id}}', 'held']).trim();
    for (let i = 0; i < 100 && !fs.existsSync(path.join(s.root, 'containers', id, 'copying')); i++) await new Promise((r) => setTimeout(r, 50));
    const r = s.run(['start', 'held']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /is being copied into \(ctui cp\); try again/);
    copy.stdin.end(tarProc.stdout.subarray(1 << 20));
    let err = '';
    copy.stderr.on('data', (d: Buffer) => (err += d.toString()));
    await new Promise((resolve) => copy.on('close', resolve));
    assert.equal(copy.exitCode, 0, err);
    s.ok(['start', 'held']);
    assert.equal(inC('held', 'wc -c < /big').trim(), '20000000');
  });
});

describe('cp rules (docker pkg/archive/copy.go)', () => {
  it('splits, plans and renames as docker does', async () => {
    const a = await import('../src/core/archive/copyarchive.js');
    assert.deepEqual(a.splitPathDirEntry('/a/b/.'), ['/a/b', '.']);
    assert.deepEqual(a.splitPathDirEntry('/a/b/'), ['/a', 'b']);
    assert.deepEqual(a.splitPathDirEntry('/'), ['/', '/']);
    const dir = { path: '/src/d', isDir: true };
    assert.deepEqual(a.prepareArchiveCopy(dir, { path: '/x', exists: true, isDir: true }), { dir: '/x' });
    assert.deepEqual(a.prepareArchiveCopy(dir, { path: '/x/new', exists: false, isDir: false }), { dir: '/x', rebase: { from: 'd', to: 'new' } });
    assert.deepEqual(a.prepareArchiveCopy({ path: '/src/d/.', isDir: true }, { path: '/x/new', exists: false, isDir: false }), { dir: '/x', rebase: { from: '.', to: 'new' } });
    assert.throws(() => a.prepareArchiveCopy(dir, { path: '/x/f', exists: true, isDir: false }), /cannot copy directory/);
    assert.throws(() => a.prepareArchiveCopy({ path: '/f', isDir: false }, { path: '/x/new/', exists: false, isDir: false }), /no such directory/);
    assert.equal(a.rebaseName('/bin/sh', { from: '/', to: 'root' }), 'root/bin/sh');
    assert.equal(a.rebaseName('./group', { from: '.', to: 'etc2' }), 'etc2/group');
    assert.deepEqual(a.getRebaseName('/tmp/le/', '/etc'), ['/etc/', 'le']);
  });

  it('checks every entry: .. refused, / dropped, nothing through its own symlinks, hard links to earlier entries only', async () => {
    const { CopyChecker } = await import('../src/core/archive/copyarchive.js');
    const c = new CopyChecker('/dst');
    assert.equal(c.check({ name: '/abs/f' })?.rel, 'abs/f');
    assert.equal(c.check({ name: './', type: 'directory' })?.rel, '.');
    assert.throws(() => c.check({ name: 'a/../../x' }), /"a\/..\/..\/x" is outside of "\/dst"/);
    c.check({ name: 'l', type: 'symlink', linkname: '/' });
    assert.throws(() => c.check({ name: 'l/etc/shadow' }), /through the symlink l/);
    c.check({ name: 'l', type: 'directory' });
    assert.equal(c.check({ name: 'l/ok' })?.rel, 'l/ok', 'a symlink replaced by a directory is a directory');
    assert.equal(c.check({ name: 'hl', type: 'link', linkname: 'abs/f' })?.link, 'abs/f');
    assert.throws(() => c.check({ name: 'h2', type: 'link', linkname: 'etc/passwd' }), /not an earlier entry/);
    assert.throws(() => c.check({ name: 'x\0y' }), /NUL/);
  });
});
