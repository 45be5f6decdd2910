import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertPrivileged, busyboxRootfs, CTUI, storeWithBusybox, waitFor, type TestStore } from './helpers.js';
import { makeTar, type Entry } from './tarmaker.js';

/** The busybox rootfs plus `extra` entries (made with tarmaker, appended with GNU tar's --concatenate). */
async function busyboxPlus(dir: string, name: string, extra: readonly Entry[]): Promise<string> {
  const out = path.join(dir, `${name}.tar`);
  const more = path.join(dir, `${name}-extra.tar`);
  fs.copyFileSync(busyboxRootfs(), out);
  fs.writeFileSync(more, await makeTar(extra));
  const r = spawnSync('tar', ['--concatenate', '-f', out, more]);
  if (r.status !== 0) throw new Error(`tar --concatenate: ${r.stderr.toString()}`);
  return out;
}

const ANON = 'com.docker.volume.anonymous';

describe('volumes: named, anonymous, image VOLUMEs, binds, --mount, --tmpfs, --volumes-from', () => {
  assertPrivileged();
  const s = storeWithBusybox('vol');
  const host = fs.mkdtempSync(path.join(os.tmpdir(), 'ctui-vol-host-'));
  after(() => {
    const ids = s.ok(['ps', '-aq']).trim().split('\n').filter(Boolean);
    if (ids.length > 0) s.run(['rm', '-f', ...ids]);
    s.cleanup();
    fs.rmSync(host, { recursive: true, force: true });
  });
  const sh = (flags: readonly string[], script: string, runtime = 'ctui') =>
    s.run(['run', '--rm', '--runtime', runtime, ...flags, 'busybox', 'sh', '-c', script]);
  const out = (flags: readonly string[], script: string, runtime = 'ctui') => {
    const r = sh(flags, script, runtime);
    assert.equal(r.status, 0, `${flags.join(' ')} ${script}: ${r.stderr}`);
    return r.stdout;
  };
  const volumes = () => s.ok(['volume', 'ls', '-q']).trim().split('\n').filter(Boolean);
  const inspectVolume = (name: string) => (JSON.parse(s.ok(['volume', 'inspect', name])) as Array<Record<string, unknown>>)[0]!;
  const mountsOf = (ctr: string) => JSON.parse(s.ok(['inspect', '-f', '{{json .Mounts}}', ctr])) as Array<Record<string, unknown>>;

  before(async () => {
    const tar = await busyboxPlus(host, 'volimg', [
      { name: 'data/', type: 'directory', mode: 0o750 },
      { name: 'data/file', content: 'from the image\n' },
      { name: 'data/sub/', type: 'directory' },
      { name: 'data/sub/deep', content: 'deep\n' },
      { name: 'data/link', type: 'symlink', linkname: '/etc/passwd' },
    ]);
    s.ok(['import', '--change', 'VOLUME /data', tar, 'volimg']);
  });

  it('a named volume keeps its data across containers, and is listed and inspected as docker shows it', () => {
    assert.equal(s.ok(['volume', 'create', '--label', 'team=blue', 'keep']), 'keep\n');
    out(['-v', 'keep:/data'], 'echo kept > /data/f');
    assert.equal(out(['-v', 'keep:/data'], 'cat /data/f'), 'kept\n');
    assert.deepEqual(Object.keys(inspectVolume('keep')), ['CreatedAt', 'Driver', 'Labels', 'Mountpoint', 'Name', 'Options', 'Scope']);
    const v = inspectVolume('keep');
    assert.equal(v.Driver, 'local');
    assert.equal(v.Scope, 'local');
    assert.deepEqual(v.Labels, { team: 'blue' });
    assert.equal(v.Mountpoint, path.join(s.root, 'volumes', 'keep', '_data'));
    assert.match(String(v.CreatedAt), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(fs.readFileSync(path.join(String(v.Mountpoint), 'f'), 'utf8'), 'kept\n');
    // The on-disk format carries a version (data must survive upgrades).
    const meta = JSON.parse(fs.readFileSync(path.join(s.root, 'volumes', 'keep', 'volume.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(meta.FormatVersion, 1);
    assert.equal(meta.Anonymous, false);
    assert.match(s.ok(['volume', 'ls']), /^DRIVER {4}VOLUME NAME\n(local {5}\S+\n)+$/);
    // create of an existing name returns it; a volume named on the fly by -v is created (docker).
    assert.equal(s.ok(['volume', 'create', 'keep']), 'keep\n');
    out(['-v', 'onthefly:/x'], 'true');
    assert.ok(volumes().includes('onthefly'));
    assert.equal(inspectVolume('onthefly').Labels, null);
    // untyped inspect finds volumes too
    assert.equal(s.ok(['inspect', '-f', '{{.Name}}', 'keep']), 'keep\n');
  });

  it('-v /path makes an anonymous volume, shown as docker shows it in inspect', () => {
    s.ok(['create', '--name', 'anon', '-v', '/scratch', 'busybox', 'true']);
    const [m] = mountsOf('anon');
    assert.match(String(m!.Name), /^[0-9a-f]{64}$/);
    assert.deepEqual(m, {
      Type: 'volume', Name: m!.Name, Source: path.join(s.root, 'volumes', String(m!.Name), '_data'), Destination: '/scratch',
      Driver: 'local', Mode: '', RW: true, Propagation: '',
    });
    assert.deepEqual(inspectVolume(String(m!.Name)).Labels, { [ANON]: '' });
    assert.equal(s.ok(['inspect', '-f', '{{json .Config.Volumes}} {{json .HostConfig.Binds}}', 'anon']), '{"/scratch":{}} null\n');
    s.ok(['rm', '-v', 'anon']);
    assert.ok(!volumes().includes(String(m!.Name)));
  });

  it("an image's VOLUME becomes an anonymous volume filled from the image (copy-up), links kept as links", () => {
    s.ok(['create', '--name', 'imgvol', 'volimg', 'true']);
    const [m] = mountsOf('imgvol');
    assert.equal(m!.Destination, '/data');
    assert.equal(m!.Type, 'volume');
    const data = String(m!.Source);
    assert.equal(fs.readFileSync(path.join(data, 'file'), 'utf8'), 'from the image\n');
    assert.equal(fs.readFileSync(path.join(data, 'sub', 'deep'), 'utf8'), 'deep\n');
    assert.equal(fs.readlinkSync(path.join(data, 'link')), '/etc/passwd');
    assert.equal(fs.statSync(data).mode & 0o777, 0o750, "the volume's root takes the image dir's mode");
    assert.equal(
      s.ok(['run', '--rm', 'volimg', 'sh', '-c', 'cat /data/file; echo new > /data/new; cat /data/new']),
      'from the image\nnew\n',
    );
    s.ok(['rm', '-v', 'imgvol']);
  });

  it('copy-up goes into an empty named volume, not into one with data, nor with nocopy; a bind hides the image dir', () => {
    assert.equal(s.ok(['run', '--rm', '-v', 'fresh:/data', 'volimg', 'cat', '/data/file']), 'from the image\n');
    s.ok(['volume', 'create', 'full']);
    fs.writeFileSync(path.join(s.root, 'volumes', 'full', '_data', 'mine'), 'mine');
    assert.equal(s.ok(['run', '--rm', '-v', 'full:/data', 'volimg', 'ls', '/data']), 'mine\n');
    assert.equal(s.ok(['run', '--rm', '-v', 'nocp:/data:nocopy', 'volimg', 'ls', '/data']), '');
    assert.equal(s.ok(['run', '--rm', '--mount', 'type=volume,src=nocp2,dst=/data,volume-nocopy', 'volimg', 'ls', '/data']), '');
    const dir = path.join(host, 'empty');
    fs.mkdirSync(dir);
    assert.equal(s.ok(['run', '--rm', '-v', `${dir}:/data`, 'volimg', 'ls', '/data']), '');
    assert.deepEqual(fs.readdirSync(dir), []);
    // a named volume over the image's VOLUME: no anonymous volume is made for it
    const before = volumes().length;
    s.ok(['create', '--name', 'covered', '-v', 'fresh:/data', 'volimg', 'true']);
    assert.equal(volumes().length, before);
    assert.equal(mountsOf('covered').length, 1);
    s.ok(['rm', '-v', 'covered']);
    assert.ok(volumes().includes('fresh'), 'rm -v never removes a named volume');
  });

  it('binds a host dir and a host file, :ro refuses writes, -v creates a missing host dir', () => {
    const dir = path.join(host, 'bind');
    fs.mkdirSync(dir);
    const file = path.join(host, 'bound.txt');
    fs.writeFileSync(file, 'host file\n');
    assert.equal(out(['-v', `${dir}:/b`, '-v', `${file}:/etc/bound.txt`], 'echo in > /b/in; cat /etc/bound.txt'), 'host file\n');
    assert.equal(fs.readFileSync(path.join(dir, 'in'), 'utf8'), 'in\n');
    const ro = sh(['-v', `${dir}:/b:ro`, '-v', `${file}:/f:ro`], 'cat /b/in; echo x > /b/no; echo y > /f');
    assert.equal(ro.stdout, 'in\n');
    assert.match(ro.stderr, /Read-only file system/);
    assert.ok(!fs.existsSync(path.join(dir, 'no')));
    assert.equal(fs.readFileSync(file, 'utf8'), 'host file\n');
    const made = path.join(host, 'made', 'by', 'v');
    out(['-v', `${made}:/m`], 'echo ok > /m/ok');
    assert.equal(fs.readFileSync(path.join(made, 'ok'), 'utf8'), 'ok\n');
    s.ok(['create', '--name', 'binds', '-v', `${dir}:/b:ro`, 'busybox', 'true']);
    assert.deepEqual(mountsOf('binds'), [{ Type: 'bind', Source: dir, Destination: '/b', Mode: 'ro', RW: false, Propagation: 'rprivate' }]);
    assert.equal(s.ok(['inspect', '-f', '{{json .HostConfig.Binds}}', 'binds']), `["${dir}:/b:ro"]\n`);
    s.ok(['rm', 'binds']);
  });

  it('--mount type=volume|bind|tmpfs with readonly, sizes and modes; --tmpfs with options', () => {
    const dir = path.join(host, 'mnt');
    fs.mkdirSync(dir);
    const text = out(
      ['--mount', 'type=volume,src=mvol,dst=/mv', '--mount', `type=bind,source=${dir},target=/mb,readonly`,
        '--mount', 'type=tmpfs,destination=/mt,tmpfs-size=1m,tmpfs-mode=1770', '--tmpfs', '/tt:size=2m,exec'],
      'echo v > /mv/v; cat /mv/v; echo b > /mb/b 2>/dev/null || echo robind; grep -E " /(mt|tt) " /proc/mounts; stat -c %a /mt',
    );
    assert.match(text, /^v\nrobind\n/);
    assert.match(text, /tmpfs \/mt tmpfs rw,nosuid,nodev,noexec,relatime,size=1024k,mode=1770/);
    assert.match(text, /tmpfs \/tt tmpfs rw,nosuid,nodev,relatime,size=2048k/, 'exec overrides the default noexec');
    assert.match(text, /1770\n$/);
    // --tmpfs defaults to docker's nosuid,nodev,noexec
    assert.match(out(['--tmpfs', '/run2'], 'grep " /run2 " /proc/mounts'), /rw,nosuid,nodev,noexec/);
    s.ok(['create', '--name', 'mnts', '--mount', 'type=volume,dst=/anon', '--mount', `type=bind,src=${dir},dst=/b,bind-propagation=rslave`,
      '--mount', 'type=tmpfs,dst=/t,ro', '--tmpfs', '/x:size=1m', 'busybox', 'true']);
    const m = mountsOf('mnts');
    const anon = String(m[0]!.Name);
    assert.deepEqual(m.map((x) => x.Destination), ['/anon', '/b', '/t'], '--tmpfs mounts are in HostConfig.Tmpfs, not Mounts (docker)');
    assert.deepEqual(m[0], { ...m[0], Type: 'volume', Driver: 'local', Mode: 'z', RW: true, Propagation: '' });
    assert.deepEqual(m[1], { Type: 'bind', Source: dir, Destination: '/b', Mode: '', RW: true, Propagation: 'rslave' });
    assert.deepEqual(m[2], { Type: 'tmpfs', Source: '', Destination: '/t', Mode: '', RW: false, Propagation: '' });
    assert.equal(s.ok(['inspect', '-f', '{{json .HostConfig.Tmpfs}}', 'mnts']), '{"/x":"size=1m"}\n');
    assert.deepEqual(JSON.parse(s.ok(['inspect', '-f', '{{json .HostConfig.Mounts}}', 'mnts'])), [
      { Type: 'volume', Target: '/anon' },
      { Type: 'bind', Source: dir, Target: '/b', BindOptions: { Propagation: 'rslave' } },
      { Type: 'tmpfs', Target: '/t', ReadOnly: true },
    ]);
    // an anonymous --mount volume is anonymous (docker 23+), so rm -v takes it
    assert.deepEqual(inspectVolume(anon).Labels, { [ANON]: '' });
    s.ok(['rm', '-v', 'mnts']);
    assert.ok(!volumes().includes(anon));
  });

  it('--volumes-from shares volumes and binds, :ro makes them read-only', () => {
    const dir = path.join(host, 'vf');
    fs.mkdirSync(dir);
    s.ok(['run', '-d', '--name', 'vfsrc', '-v', 'shared:/shared', '-v', '/anonshared', '-v', `${dir}:/hd`, 'busybox', 'sh', '-c', 'echo s > /shared/s; sleep 100']);
    assert.equal(out(['--volumes-from', 'vfsrc'], 'sleep 0.2; cat /shared/s; echo w > /anonshared/w; echo h > /hd/h; echo ok'), 's\nok\n');
    const ro = sh(['--volumes-from', 'vfsrc:ro'], 'cat /anonshared/w; echo x > /shared/x');
    assert.equal(ro.stdout, 'w\n');
    assert.match(ro.stderr, /Read-only file system/);
    s.ok(['create', '--name', 'vfro', '--volumes-from', 'vfsrc:ro', 'busybox', 'true']);
    const m = mountsOf('vfro');
    assert.deepEqual(m.map((x) => [x.Destination, x.RW, x.Mode]), [['/anonshared', false, ''], ['/hd', false, ''], ['/shared', false, '']]);
    assert.equal(s.ok(['inspect', '-f', '{{json .HostConfig.VolumesFrom}}', 'vfro']), '["vfsrc:ro"]\n');
    // rm -v of a container sharing another's anonymous volume leaves it (still in use)
    const anon = String(m.find((x) => x.Destination === '/anonshared')!.Name);
    s.ok(['rm', '-v', 'vfro']);
    assert.ok(volumes().includes(anon));
    assert.equal(s.ok(['ps', '-a', '--filter', 'volume=shared', '--format', '{{.Names}}']), 'vfsrc\n');
    assert.equal(s.ok(['ps', '-a', '--filter', 'volume=/anonshared', '--format', '{{.Names}}']), 'vfsrc\n');
    // -v over a --volumes-from destination replaces it (docker)
    assert.equal(out(['--volumes-from', 'vfsrc', '-v', 'other:/shared'], 'ls /shared'), '');
    s.ok(['rm', '-f', '-v', 'vfsrc']);
    assert.ok(!volumes().includes(anon));
    assert.ok(volumes().includes('shared'));
  });

  it('rm keeps anonymous volumes, rm -v removes them; --rm removes them (foreground and detached)', async () => {
    s.ok(['create', '--name', 'keepanon', '-v', '/a', 'busybox', 'true']);
    const a = String(mountsOf('keepanon')[0]!.Name);
    s.ok(['rm', 'keepanon']);
    assert.ok(volumes().includes(a), 'rm without -v leaves the volume (dangling)');
    assert.ok(s.ok(['volume', 'ls', '-q', '--filter', 'dangling=true']).includes(a));
    const before = volumes();
    out(['-v', '/fg', '-v', 'namedrm:/n'], 'true');
    assert.deepEqual(volumes(), [...before, 'namedrm'].sort());
    s.ok(['run', '-d', '--rm', '--name', 'bgrm', '-v', '/bg', 'busybox', 'sleep', '0.3']);
    const bg = String(mountsOf('bgrm')[0]!.Name);
    assert.ok(volumes().includes(bg));
    await waitFor(() => s.run(['inspect', 'bgrm']).status === 1 && !volumes().includes(bg), 15_000);
  });

  it('volume rm is refused while a container (running or not) uses it', () => {
    s.ok(['create', '--name', 'user1', '-v', 'busy:/b', 'busybox', 'true']);
    const id = s.ok(['inspect', '-f', '{{.Id}}', 'user1']).trim();
    const r = s.run(['volume', 'rm', 'busy']);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `ctui: remove busy: volume is in use - [${id}]\n`);
    assert.ok(volumes().includes('busy'));
    const none = s.run(['volume', 'rm', 'nosuchvol']);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /no such volume/);
    assert.equal(s.ok(['volume', 'rm', '-f', 'nosuchvol']), 'nosuchvol\n');
    s.ok(['rm', 'user1']);
    assert.equal(s.ok(['volume', 'rm', 'busy']), 'busy\n');
    assert.ok(!fs.existsSync(path.join(s.root, 'volumes', 'busy')));
    assert.equal(s.ok(['volume', 'remove', 'namedrm']), 'namedrm\n');
  });

  it('volume ls filters (dangling, label, name, driver), -q and --format', () => {
    s.ok(['volume', 'create', '--label', 'env=prod', '--label', 'tier', 'lsprod']);
    s.ok(['volume', 'create', '--label', 'env=dev', 'lsdev']);
    s.ok(['create', '--name', 'lsuser', '-v', 'lsdev:/d', 'busybox', 'true']);
    const q = (...f: string[]) => s.ok(['volume', 'ls', '-q', ...f.flatMap((x) => ['--filter', x])]).trim().split('\n').filter((n) => n.startsWith('ls'));
    assert.deepEqual(q('label=env'), ['lsdev', 'lsprod']);
    assert.deepEqual(q('label=env=prod'), ['lsprod']);
    assert.deepEqual(q('label=env', 'label=tier'), ['lsprod']);
    assert.deepEqual(q('dangling=true'), ['lsprod']);
    assert.deepEqual(q('dangling=false'), ['lsdev']);
    assert.deepEqual(q('name=prod'), ['lsprod']);
    assert.deepEqual(q('driver=local', 'name=ls'), ['lsdev', 'lsprod']);
    assert.equal(s.ok(['volume', 'ls', '--filter', 'name=lsprod', '--format', '{{.Name}} {{.Driver}} {{.Scope}} {{.Labels}}']), 'lsprod local local env=prod,tier=\n');
    assert.match(s.ok(['volume', 'ls', '--filter', 'name=lsprod', '--format', 'table {{.Driver}}\t{{.Name}}']), /^DRIVER +VOLUME NAME\nlocal +lsprod\n$/);
    const bad = s.run(['volume', 'ls', '--filter', 'bogus=1']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /invalid filter 'bogus=1'/);
    s.ok(['rm', 'lsuser']);
  });

  it('volume prune: anonymous unused volumes, or all with --all; docker prompt and report', () => {
    // start from a known set: remove everything unused
    s.ok(['volume', 'prune', '-f', '--all']);
    s.ok(['create', '--name', 'pruneuser', '-v', '/inuse', '-v', 'namedinuse:/n', 'busybox', 'true']);
    s.ok(['create', '--name', 'gone', '-v', '/unused', 'busybox', 'true']);
    const unused = String(mountsOf('gone')[0]!.Name);
    s.ok(['rm', 'gone']);
    fs.writeFileSync(path.join(s.root, 'volumes', unused, '_data', 'blob'), Buffer.alloc(1_200_000));
    s.ok(['volume', 'create', 'namedunused']);
    s.ok(['volume', 'create', '--label', 'keep=yes', 'labelled']);
    // declining the prompt removes nothing
    const no = s.run(['volume', 'prune'], { input: 'n\n' });
    assert.equal(no.status, 0);
    assert.equal(no.stdout, 'WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] Total reclaimed space: 0B\n');
    assert.ok(volumes().includes(unused));
    const yes = s.run(['volume', 'prune'], { input: 'y\n' });
    assert.equal(yes.stdout, `WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] Deleted Volumes:\n${unused}\n\nTotal reclaimed space: 1.2MB\n`);
    assert.deepEqual(volumes().filter((v) => !/^[0-9a-f]{64}$/.test(v)), ['labelled', 'namedinuse', 'namedunused']);
    assert.equal(s.ok(['volume', 'prune', '-f']), 'Total reclaimed space: 0B\n');
    assert.equal(s.ok(['volume', 'prune', '-f', '-a', '--filter', 'label!=keep']), 'Deleted Volumes:\nnamedunused\n\nTotal reclaimed space: 0B\n');
    assert.equal(s.ok(['volume', 'prune', '-f', '--filter', 'all=true', '--filter', 'label=keep=yes']), 'Deleted Volumes:\nlabelled\n\nTotal reclaimed space: 0B\n');
    assert.deepEqual(volumes().filter((v) => !/^[0-9a-f]{64}$/.test(v)), ['namedinuse']);
    assert.equal(volumes().length, 2, 'the in-use anonymous and named volumes stay');
    s.ok(['rm', '-v', 'pruneuser']);
  });

  it('the same mounts under --runtime runc', () => {
    const dir = path.join(host, 'runc');
    fs.mkdirSync(dir);
    const file = path.join(host, 'runc.txt');
    fs.writeFileSync(file, 'runc file\n');
    const text = out(
      ['-v', 'runcvol:/v', '-v', `${dir}:/b:ro`, '-v', `${file}:/f`, '--mount', 'type=tmpfs,dst=/t,tmpfs-size=1m', '--tmpfs', '/tt', '-v', '/anon'],
      'echo r > /v/r; cat /v/r /f; echo x > /b/x 2>/dev/null || echo robind; grep -E " /(t|tt) " /proc/mounts | cut -d" " -f2,4',
      'runc',
    );
    assert.equal(text, 'r\nrunc file\nrobind\n/t rw,nosuid,nodev,noexec,relatime,size=1024k\n/tt rw,nosuid,nodev,noexec,relatime\n');
    assert.equal(out(['-v', 'runcvol:/v'], 'cat /v/r'), 'r\n', 'the data written under runc is there for ctui-runtime');
    assert.equal(s.ok(['run', '--rm', '--runtime', 'runc', 'volimg', 'cat', '/data/file']), 'from the image\n');
  });

  describe('bind propagation', () => {
    // The store itself sits on a shared mount here (as /var/lib/ctui on a systemd host's shared /):
    // then anything the runtime mounts for a container would show on the host if it leaked.
    const storeMount = path.join(host, 'shared-store');
    const root = path.join(storeMount, 'store');
    const ctui = (args: string[]) => {
      const r = spawnSync(CTUI, args, { env: { ...process.env, CTUI_ROOT: root }, timeout: 60_000 });
      return { status: r.status ?? 128, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
    };
    const ok = (args: string[]) => {
      const r = ctui(args);
      assert.equal(r.status, 0, `ctui ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    };
    const sys = (cmd: string) => assert.equal(spawnSync('sh', ['-c', cmd]).status, 0, cmd);
    /** Host mounts at or below these dirs (other work on the machine mounts elsewhere meanwhile). */
    const hostMounts = (...dirs: string[]) => fs.readFileSync('/proc/self/mountinfo', 'utf8').trim().split('\n')
      .map((l) => l.split(' ')[4]!).filter((p) => dirs.some((d) => p === d || p.startsWith(`${d}/`))).length;
    before(() => {
      fs.mkdirSync(storeMount, { mode: 0o700 });
      sys(`mount --bind ${storeMount} ${storeMount} && mount --make-shared ${storeMount}`);
      ok(['import', busyboxRootfs(), 'busybox']);
    });
    after(() => {
      const ids = ctui(['ps', '-aq']).stdout.trim().split('\n').filter(Boolean);
      if (ids.length) ctui(['rm', '-f', ...ids]);
      spawnSync('sh', ['-c', `grep -o " ${storeMount}[^ ]*" /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l`]);
    });

    for (const runtime of ['ctui', 'runc']) {
      it(`rshared both ways, rslave host -> container, the default neither; nothing else reaches the host (--runtime ${runtime})`, () => {
        const src = path.join(host, `shared-${runtime}`);
        fs.mkdirSync(src);
        sys(`mount --bind ${src} ${src} && mount --make-shared ${src}`);
        try {
          for (const [mode, toHost, toCtr] of [['rshared', 1, 1], ['rslave', 0, 1], ['', 0, 0]] as const) {
            const base = hostMounts(storeMount, src);
            const vflag = `${src}:/s${mode ? `:${mode}` : ''}`;
            const id = ok(['run', '-d', '--runtime', runtime, '--privileged', '--init', '-v', vflag, 'busybox', 'sleep', '60']).trim();
            const own = runtime === 'runc' ? 1 : 0; // runc's bundle needs the rootfs mounted on the host
            ok(['exec', id, 'sh', '-c', `mkdir -p /s/c-${mode}; mount -t tmpfs c /s/c-${mode}`]);
            assert.equal(hostMounts(storeMount, src), base + own + toHost, `${mode || 'default'}: only the propagated mount reaches the host`);
            fs.mkdirSync(path.join(src, `h-${mode}`), { recursive: true });
            sys(`mount -t tmpfs h ${src}/h-${mode}`);
            const seen = ok(['exec', id, 'sh', '-c', `grep -c " /s/h-${mode} " /proc/self/mountinfo || true`]).trim();
            assert.equal(Number(seen), toCtr, `${mode || 'default'}: host -> container`);
            ok(['rm', '-f', id]);
            spawnSync('sh', ['-c', `umount ${src}/h-${mode}; umount ${src}/c-${mode}`]);
            assert.equal(hostMounts(storeMount, src), base, `${mode || 'default'}: nothing left mounted`);
          }
        } finally {
          spawnSync('sh', ['-c', `grep -o " ${src}[^ ]*" /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l`]);
        }
        // A source whose mount is not shared cannot give shared propagation: refused, nothing made.
        const before = ok(['ps', '-aq']);
        const r = ctui(['run', '--rm', '--runtime', runtime, '-v', `${host}:/s:rshared`, 'busybox', 'true']);
        assert.equal(r.status, 125);
        assert.match(r.stderr, /^ctui: path .* is mounted on .* but it is not a shared mount\n$/);
        assert.equal(ok(['ps', '-aq']), before);
      });
    }

    it('a source on the store\'s own mount is refused for ctui-runtime, with how to fix it', () => {
      const dir = path.join(storeMount, 'plain');
      fs.mkdirSync(dir);
      const r = ctui(['run', '--rm', '-v', `${dir}:/s:rshared`, 'busybox', 'true']);
      assert.equal(r.status, 125);
      assert.match(r.stderr, /^ctui: path .* is on the same mount as the store .*mount --make-shared.*\n$/);
    });
  });

  it('every bad flag: one line, exit 125, the store and the host untouched', () => {
    const missing = path.join(host, 'never-made');
    const cases: Array<[string[], RegExp]> = [
      [['-v', 'a:b:c:d'], /invalid volume specification: 'a:b:c:d'/],
      [['-v', 'vol:/d:bogus'], /invalid mode: bogus/],
      [['-v', 'vol:relative'], /mount path must be absolute/],
      [['-v', 'vol:/'], /destination can't be '\/'/],
      [['-v', 'bad$name:/d'], /invalid characters for a local volume name/],
      [['-v', 'vol1:/d', '-v', 'vol2:/d'], /^ctui: Duplicate mount point: \/d\n$/],
      [['-v', 'vol1:/d', '--tmpfs', '/d'], /Duplicate mount point: \/d/],
      [['--mount', 'type=bind,src=/no/such/dir,dst=/x'], /invalid mount config for type "bind": bind source path does not exist: \/no\/such\/dir/],
      [['--mount', 'type=nfs,dst=/x'], /mount type unknown/],
      [['--mount', 'type=tmpfs,src=x,dst=/x'], /field Source must not be specified/],
      [['--mount', 'dst=/x,bogus=1'], /unexpected key 'bogus'/],
      [['--mount', 'type=volume,dst=/x,bind-propagation=shared'], /cannot mix 'bind-\*' options/],
      [['--tmpfs', '/x:bogus'], /invalid tmpfs option "bogus"/],
      [['--volumes-from', 'nosuchctr'], /No such container: nosuchctr/],
      [['--volumes-from', 'x:bogus'], /invalid mode: bogus/],
      // a good -v that would create things, with a bad flag after it: nothing is created
      [['-v', `${missing}:/m`, '-v', 'newvol:/n', '-v', '/anon', '--mount', 'type=bind,src=/no/such,dst=/y'], /bind source path does not exist/],
    ];
    const before = s.snapshot();
    for (const [flags, re] of cases) {
      const r = s.run(['run', '--rm', ...flags, 'busybox', 'true']);
      assert.equal(r.status, 125, `${flags.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    }
    assert.deepEqual(s.snapshot(), before);
    assert.ok(!fs.existsSync(missing));
    for (const [args, re] of [
      [['volume', 'create', 'x$'], /invalid characters/],
      [['volume', 'create', '-d', 'nfs', 'v2'], /plugin "nfs" not found/],
      [['volume', 'create', '-o', 'type=nfs', '-o', 'device=:/x', 'v2'], /not supported by ctui's local driver/],
      [['volume', 'create', '-o', 'bogus=1', 'v2'], /invalid option key: "bogus"/],
      [['volume', 'create', '-o', 'type=tmpfs', '-o', 'o=size=1m,evil', 'v2'], /invalid tmpfs option "evil"/],
    ] as Array<[string[], RegExp]>) {
      const r = s.run(args);
      assert.equal(r.status, 125, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
    }
    assert.deepEqual(s.snapshot(), before);
  });

  it('volume create -o: a tmpfs volume and a bind (o=bind,device=PATH) volume', () => {
    s.ok(['volume', 'create', '-o', 'type=tmpfs', '-o', 'device=tmpfs', '-o', 'o=size=1m', 'tmpvol']);
    assert.deepEqual(inspectVolume('tmpvol').Options, { type: 'tmpfs', device: 'tmpfs', o: 'size=1m' });
    assert.match(out(['-v', 'tmpvol:/t'], 'grep " /t " /proc/mounts'), /^tmpfs \/t tmpfs rw,relatime,size=1024k/);
    const dev = path.join(host, 'device');
    fs.mkdirSync(dev);
    s.ok(['volume', 'create', '-o', 'type=none', '-o', 'o=bind', '-o', `device=${dev}`, 'bindvol']);
    out(['-v', 'bindvol:/b'], 'echo d > /b/d');
    assert.equal(fs.readFileSync(path.join(dev, 'd'), 'utf8'), 'd\n');
  });
});

describe('volumes: hostile images and crash debris', () => {
  assertPrivileged();
  const s = storeWithBusybox('volhostile');
  const host = fs.mkdtempSync(path.join(os.tmpdir(), 'ctui-vol-hostile-'));
  const marker = `/ctui-vol-marker-${process.pid}`;
  after(() => {
    s.cleanup();
    fs.rmSync(host, { recursive: true, force: true });
    fs.rmSync(marker, { recursive: true, force: true });
  });
  const volumes = () => s.ok(['volume', 'ls', '-q']).trim().split('\n').filter(Boolean);

  before(async () => {
    s.ok(['import', '--change', 'VOLUME /data', await busyboxPlus(host, 'toroot', [{ name: 'data', type: 'symlink', linkname: '/' }]), 'toroot']);
    s.ok(['import', '--change', 'VOLUME /data', await busyboxPlus(host, 'tomarker', [{ name: 'data', type: 'symlink', linkname: marker }]), 'tomarker']);
    s.ok(['import', '--change', 'VOLUME /data', await busyboxPlus(host, 'toetc', [
      { name: 'data', type: 'symlink', linkname: '/etc' },
      { name: 'etc/image-only', content: 'image\n' },
    ]), 'toetc']);
  });

  for (const runtime of ['ctui', 'runc']) {
    it(`a VOLUME that is a symlink to / is refused, copies nothing and touches nothing outside (${runtime})`, () => {
      const before = volumes();
      const hostRoot = fs.readdirSync('/').sort();
      const r = s.run(['run', '--rm', '--runtime', runtime, 'toroot', 'sh', '-c', 'echo pwned > /data/pwned; touch /data/etc/pwned']);
      assert.notEqual(r.status, 0, r.stdout);
      assert.deepEqual(fs.readdirSync('/').sort(), hostRoot);
      assert.ok(!fs.existsSync('/pwned'));
      assert.ok(!fs.existsSync('/etc/pwned'));
      assert.deepEqual(volumes(), before, '--rm removed its anonymous volume');
      // copy-up of the image's root into the volume is skipped, never the host's root
      s.ok(['create', '--name', `toroot-${runtime}`, 'toroot', 'true']);
      const m = JSON.parse(s.ok(['inspect', '-f', '{{json .Mounts}}', `toroot-${runtime}`])) as Array<{ Source: string }>;
      assert.deepEqual(fs.readdirSync(m[0]!.Source), []);
      s.ok(['rm', '-v', `toroot-${runtime}`]);
    });

    it(`an absolute symlink VOLUME resolves inside the container, never on the host (${runtime})`, () => {
      assert.equal(s.ok(['run', '--rm', '--runtime', runtime, 'tomarker', 'sh', '-c', `echo in > /data/f; cat ${marker}/f`]), 'in\n');
      assert.ok(!fs.existsSync(marker), 'nothing made on the host');
      // /data -> /etc: the image's /etc is copied, not the host's
      s.ok(['create', '--name', `toetc-${runtime}`, '--runtime', runtime, 'toetc', 'true']);
      const m = JSON.parse(s.ok(['inspect', '-f', '{{json .Mounts}}', `toetc-${runtime}`])) as Array<{ Source: string }>;
      const copied = fs.readdirSync(m[0]!.Source);
      assert.ok(copied.includes('image-only') && copied.includes('passwd'), copied.join(' '));
      assert.ok(!copied.includes('os-release') && !copied.includes('shadow'), 'nothing of the host /etc');
      assert.equal(fs.readFileSync(path.join(m[0]!.Source, 'passwd'), 'utf8').includes('user:x:1000'), true);
      s.ok(['rm', '-v', `toetc-${runtime}`]);
    });
  }

  it('repair: an empty volume dir without volume.json is debris; one with data is adopted, never deleted', () => {
    const vdir = path.join(s.root, 'volumes');
    fs.mkdirSync(path.join(vdir, 'debris', '_data'), { recursive: true });
    fs.mkdirSync(path.join(vdir, 'precious', '_data'), { recursive: true });
    fs.writeFileSync(path.join(vdir, 'precious', '_data', 'important'), 'user data');
    fs.mkdirSync(path.join(vdir, 'corrupt', '_data'), { recursive: true });
    fs.writeFileSync(path.join(vdir, 'corrupt', '_data', 'x'), 'data');
    fs.writeFileSync(path.join(vdir, 'corrupt', 'volume.json'), '{"Name": "corr');
    // A stale staging dir of a dead process is what makes the next ctui run the full repair.
    const dead = spawnSync('true').pid!;
    fs.mkdirSync(path.join(s.root, 'tmp', `${dead}-volume-deadbeef`));
    const list = volumes();
    assert.ok(!fs.existsSync(path.join(vdir, 'debris')));
    assert.ok(list.includes('precious') && list.includes('corrupt'), list.join(' '));
    assert.equal(fs.readFileSync(path.join(vdir, 'precious', '_data', 'important'), 'utf8'), 'user data');
    assert.equal(fs.readFileSync(path.join(vdir, 'corrupt', '_data', 'x'), 'utf8'), 'data');
    assert.equal(s.ok(['run', '--rm', '-v', 'precious:/p', 'busybox', 'cat', '/p/important']), 'user data');
  });

  it('a volume of a newer format is left alone', () => {
    const dir = path.join(s.root, 'volumes', 'future');
    fs.mkdirSync(path.join(dir, '_data'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'volume.json'), JSON.stringify({ FormatVersion: 99, Name: 'future' }));
    const r = s.run(['volume', 'inspect', 'future']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /written by a newer ctui/);
    assert.ok(!volumes().includes('future'));
    s.ok(['volume', 'prune', '-f', '-a']);
    assert.ok(fs.existsSync(path.join(dir, 'volume.json')));
  });
});
