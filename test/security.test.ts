import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { assertPrivileged, busyboxRootfs, REPO, storeWithBusybox, waitFor } from './helpers.js';

/** Regression tests for the security review of the native runtime (see src/native/SPEC.md). */
const RUNTIME = path.join(REPO, 'build', 'ctui-runtime');

/** A throw-away OCI bundle: the busybox rootfs + `runc spec`, edited by `edit`. */
function makeBundle(dir: string, edit: (c: any) => void): string {
  fs.mkdirSync(path.join(dir, 'rootfs'), { recursive: true });
  const x = spawnSync('tar', ['-xf', busyboxRootfs(), '-C', path.join(dir, 'rootfs')]);
  assert.equal(x.status, 0, x.stderr.toString());
  const s = spawnSync('runc', ['spec'], { cwd: dir });
  assert.equal(s.status, 0, s.stderr.toString());
  const cfgPath = path.join(dir, 'config.json');
  const c = JSON.parse(fs.readFileSync(cfgPath, 'utf8'));
  c.process.terminal = false;
  c.process.args = ['true'];
  edit(c);
  fs.writeFileSync(cfgPath, JSON.stringify(c));
  return dir;
}

function runtime(args: string[], opts: { timeout?: number; wrap?: string } = {}) {
  const r = opts.wrap
    ? spawnSync('unshare', ['-m', 'sh', '-c', `${opts.wrap} && exec "$0" "$@"`, RUNTIME, ...args], { timeout: opts.timeout ?? 30_000 })
    : spawnSync(RUNTIME, args, { timeout: opts.timeout ?? 30_000 });
  return { status: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString(), error: r.error };
}

/** A busybox image with `change` applied to its extracted rootfs, imported as `name`. */
function importModified(s: ReturnType<typeof storeWithBusybox>, work: string, name: string, change: (root: string) => void) {
  const root = path.join(work, name);
  fs.mkdirSync(root, { recursive: true });
  assert.equal(spawnSync('tar', ['-xf', busyboxRootfs(), '-C', root]).status, 0);
  change(root);
  const tar = path.join(work, `${name}.tar`);
  const t = spawnSync('tar', ['-C', root, '-cf', tar, '.']);
  assert.equal(t.status, 0, t.stderr.toString());
  s.ok(['import', tar, name]);
}

/**
 * Swaps each pair of directories with renameat2(RENAME_EXCHANGE) as fast as it can: a second container
 * sharing a volume doing it to the mount points inside the volume. Node has no renameat2, so it is
 * built from C (the native build needs cc anyway).
 */
const SWAPPER_C = `#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
int main(int argc, char **argv) {
  for (unsigned long n = 0;; n++)
    for (int i = 1; i + 1 < argc; i += 2)
      if (renameat2(AT_FDCWD, argv[i], AT_FDCWD, argv[i + 1], RENAME_EXCHANGE) < 0) {
        fprintf(stderr, "swap %s %s after %lu rounds: ", argv[i], argv[i + 1], n);
        perror(NULL);
        return 1;
      }
}
`;

interface MountLine { id: string; parent: string; root: string; point: string; ro: boolean; shared: boolean; fstype: string; source: string }

function parseMountinfo(text: string): MountLine[] {
  return text.trim().split('\n').map((l) => {
    const [pre, post] = l.split(' - ') as [string, string];
    const f = pre.split(' ');
    const [fstype, source] = post.split(' ') as [string, string];
    return { id: f[0]!, parent: f[1]!, root: f[3]!, point: f[4]!, ro: f[5]!.split(',')[0] === 'ro',
      shared: f.slice(6).some((o) => o.startsWith('shared:')), fstype, source };
  });
}

/**
 * What must hold after a create whatever the renames did, identifying mounts by what they are rather than
 * by the (swapped) names they sit at: the "ro" bind of volsrc is read-only, the "shared" bind of vol2src is
 * shared, the readonlyPaths clone (stacked on ro3src or, if /ro3 named decoy3 when it was resolved, on
 * decoy3) is read-only, and the pre-existing mounts the names were swapped with (decoy1-3, ro3src, made
 * before the container) are untouched: rw and private.
 */
function mountViolations(mounts: MountLine[]): string[] {
  const bad: string[] = [];
  const root = mounts.find((m) => m.point === '/')!;
  const show = (m: MountLine) => `${m.source}@${m.point}${m.ro ? ' ro' : ' rw'}${m.shared ? ' shared' : ''}`;
  const pre = ['decoy1', 'decoy2', 'decoy3', 'ro3src'];
  for (const m of mounts.filter((x) => x.fstype === 'tmpfs' && pre.includes(x.source) && x.parent === root.id))
    if (m.ro || m.shared) bad.push(`pre-existing ${show(m)} was changed`);
  const vol = mounts.filter((m) => m.root.endsWith('/volsrc'));
  if (vol.length !== 1 || !vol[0]!.ro) bad.push(`ro bind: ${vol.map(show).join(', ') || 'missing'}`);
  const vol2 = mounts.filter((m) => m.root.endsWith('/vol2src'));
  if (vol2.length !== 1 || !vol2[0]!.shared) bad.push(`shared bind: ${vol2.map(show).join(', ') || 'missing'}`);
  const clone = mounts.filter((m) => ['ro3src', 'decoy3'].includes(m.source) && m.parent !== root.id);
  if (clone.length !== 1 || !clone[0]!.ro) bad.push(`readonly path: ${clone.map(show).join(', ') || 'missing'}`);
  return bad;
}

describe('security review regressions', () => {
  assertPrivileged();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ctui-sec-'));
  const stateRoot = path.join(work, 'state');
  const s = storeWithBusybox('security');
  after(() => {
    s.run(['rm', '-f', ...s.ok(['ps', '-aq']).trim().split('\n').filter(Boolean)]);
    s.cleanup();
    spawnSync('sh', ['-c', `grep -o " ${work}[^ ]*" /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l`]);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('refuses a cgroupsPath that is the cgroup root, and kills nothing', async () => {
    const bystander = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      for (const [i, cg] of ['/', '..', '/..', 'a/../..'].entries()) {
        const b = makeBundle(path.join(work, `cgroot${i}`), (c) => { c.linux.cgroupsPath = cg; });
        const r = runtime(['--root', stateRoot, 'run', '--bundle', b, `cgroot${i}`]);
        assert.equal(r.status, 125, r.stderr);
        assert.match(r.stderr, /is the cgroup root, refusing/);
        assert.equal(r.stderr.trimEnd().split('\n').length, 1);
        assert.equal(fs.existsSync(path.join(stateRoot, `cgroot${i}`)), false);
      }
      assert.equal(bystander.exitCode, null, 'a host process was killed');
      assert.doesNotThrow(() => process.kill(bystander.pid!, 0));
    } finally {
      bystander.kill('SIGKILL');
    }
  });

  it('refuses an existing cgroup that has processes, and leaves it and them alone', () => {
    const dir = '/sys/fs/cgroup/pids/ctui-sec-populated';
    fs.mkdirSync(dir, { recursive: true });
    const bystander = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      fs.writeFileSync(path.join(dir, 'cgroup.procs'), String(bystander.pid));
      const b = makeBundle(path.join(work, 'cgpop'), (c) => { c.linux.cgroupsPath = '/ctui-sec-populated'; });
      const r = runtime(['--root', stateRoot, 'run', '--bundle', b, 'cgpop']);
      assert.equal(r.status, 125, r.stderr);
      assert.match(r.stderr, /already exists and has processes/);
      assert.doesNotThrow(() => process.kill(bystander.pid!, 0));
      assert.ok(fs.existsSync(dir));
    } finally {
      bystander.kill('SIGKILL');
      spawnSync('sh', ['-c', `sleep 0.2; rmdir ${dir}; for h in /sys/fs/cgroup/*/ctui-sec-populated; do rmdir "$h"; done 2>/dev/null; true`]);
    }
  });

  for (const kind of ['a symlink to /dev/zero', 'a fifo']) {
    it(`fails fast with one line when the image's /etc/passwd is ${kind}`, () => {
      const name = kind.includes('fifo') ? 'pwfifo' : 'pwzero';
      importModified(s, work, name, (root) => {
        fs.rmSync(path.join(root, 'etc', 'passwd'));
        if (name === 'pwfifo') assert.equal(spawnSync('mkfifo', [path.join(root, 'etc', 'passwd')]).status, 0);
        else fs.symlinkSync('/dev/zero', path.join(root, 'etc', 'passwd'));
      });
      const t0 = Date.now();
      const r = s.run(['run', '--rm', '-u', 'nobody', name, 'true'], { timeout: 20_000 });
      assert.ok(Date.now() - t0 < 15_000, 'took too long');
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /unable to find user nobody/);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      // a numeric user needs no lookup and still works
      assert.equal(s.run(['run', '--rm', '-u', '0', name, 'true'], { timeout: 20_000 }).status, 0);
    });
  }

  it('refuses a mount whose destination is an image symlink into /proc', () => {
    importModified(s, work, 'hostproc', (root) => {
      fs.rmSync(path.join(root, 'etc', 'hostname'), { force: true });
      fs.symlinkSync('/proc/sys/kernel/core_pattern', path.join(root, 'etc', 'hostname'));
    });
    const before = fs.readFileSync('/proc/sys/kernel/core_pattern', 'utf8');
    const r = s.run(['run', '--rm', 'hostproc', 'cat', '/proc/sys/kernel/core_pattern']);
    assert.notEqual(r.status, 0, r.stdout);
    assert.match(r.stderr, /inside \/proc/);
    assert.equal(fs.readFileSync('/proc/sys/kernel/core_pattern', 'utf8'), before);
  });

  it('runs the runtime of `exec` from a sealed memfd, not the host binary (CVE-2019-5736)', async () => {
    const id = s.ok(['run', '-d', '--name', 'memfd', 'busybox', 'sleep', '60']).trim();
    const ex = s.spawn(['exec', 'memfd', 'sleep', '5']);
    try {
      let helper = 0;
      await waitFor(() => {
        for (const p of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
          try {
            const argv = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
            if (argv[0]?.endsWith('ctui-runtime') && argv.includes('exec') && argv.some((a) => a.length >= 12 && id.startsWith(a))) helper = Number(p);
          } catch { /* gone */ }
        }
        return helper > 0;
      });
      const exe = fs.readlinkSync(`/proc/${helper}/exe`);
      assert.match(exe, /^\/memfd:ctui-runtime-cloned/);
      assert.throws(() => fs.appendFileSync(`/proc/${helper}/exe`, 'x'));
    } finally {
      ex.kill('SIGKILL');
      s.run(['rm', '-f', 'memfd']);
    }
  });

  it('splits seccomp conditions on a repeated argument index and defaults errnoRet to EPERM', () => {
    const b = makeBundle(path.join(work, 'seccomp'), (c) => {
      c.process.args = ['sh', '-c', 'mkdir /dev/x; echo mkdir=$?; chmod 600 /dev/null; echo chmod=$?'];
      c.linux.seccomp = {
        defaultAction: 'SCMP_ACT_ALLOW', defaultErrnoRet: 38, architectures: ['SCMP_ARCH_X86_64'],
        syscalls: [
          { names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO' },
          { names: ['chmod', 'fchmodat', 'fchmodat2'], action: 'SCMP_ACT_ERRNO', errnoRet: 1,
            args: [{ index: 0, value: 1, op: 'SCMP_CMP_GE' }, { index: 0, value: 0, op: 'SCMP_CMP_GE' }, { index: 1, value: 0, op: 'SCMP_CMP_NE' }] },
        ],
      };
    });
    const r = runtime(['--root', stateRoot, 'run', '--bundle', b, 'seccomp']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /mkdir=1/);
    assert.match(r.stderr, /mkdir: can't create directory '\/dev\/x': Operation not permitted/);
    assert.match(r.stdout, /chmod=1/);
  });

  it('refuses container ids that start with a dot', () => {
    const b = makeBundle(path.join(work, 'dotid'), () => {});
    const r = runtime(['--root', stateRoot, 'run', '--bundle', b, '.seccomp-cache']);
    assert.equal(r.status, 125);
    assert.match(r.stderr, /invalid container id/);
  });

  it('enforces device rules on cgroup v2 with a BPF program (private mount ns)', () => {
    const disk = fs.readFileSync('/proc/partitions', 'utf8').trim().split('\n').slice(2)[0]!.trim().split(/\s+/);
    const [maj, min] = [disk[0]!, disk[1]!];
    const b = makeBundle(path.join(work, 'v2dev'), (c) => {
      c.linux.cgroupsPath = `/ctui/sec-v2dev-${process.pid}`;
      for (const k of Object.keys(c.process.capabilities)) c.process.capabilities[k].push('CAP_MKNOD');
      c.process.args = ['sh', '-c',
        `mknod /dev/disk b ${maj} ${min}; echo mknod=$?; mknod /dev/null2 c 1 3 && echo ok > /dev/null2 && echo null=ok; ` +
        'mknod /dev/mem2 c 1 1; echo mem=$?'];
    });
    const r = runtime(['--root', stateRoot, 'run', '--bundle', b, 'v2dev'], { wrap: 'mount -t cgroup2 none /sys/fs/cgroup' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /mknod=1/);
    assert.match(r.stdout, /null=ok/);
    assert.match(r.stdout, /mem=1/);
    assert.match(r.stderr, /Operation not permitted/);
  });

  it('changes mount flags through the mount itself: a racing rename cannot redirect ro/propagation (SPEC known gap)', async () => {
    const dir = path.join(work, 'remount-race');
    const b = makeBundle(dir, (c) => {
      c.mounts.push({ destination: '/vol', type: 'bind', source: path.join(dir, 'volsrc'), options: ['rbind', 'ro'] });
      c.mounts.push({ destination: '/vol2', type: 'bind', source: path.join(dir, 'vol2src'), options: ['rbind', 'shared'] });
      c.linux.readonlyPaths.push('/ro3');
    });
    const R = path.join(b, 'rootfs');
    for (const d of ['volsrc', 'vol2src']) fs.mkdirSync(path.join(dir, d));
    for (const d of ['vol', 'vol2', 'ro3', 'decoy1', 'decoy2', 'decoy3']) fs.mkdirSync(path.join(R, d));
    fs.writeFileSync(path.join(work, 'swapper.c'), SWAPPER_C);
    const cc = spawnSync('cc', ['-O2', '-o', path.join(work, 'swapper'), path.join(work, 'swapper.c')]);
    assert.equal(cc.status, 0, cc.stderr.toString());
    // The decoys: mounts that exist before the container, in a mount namespace the runtime is started
    // from (the container's is a copy of it). On the host the names are plain directories, so the
    // swapper may rename them; the mounts follow their directories.
    const holder = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c',
      ['decoy1', 'decoy2', 'decoy3'].map((d) => `mount -t tmpfs ${d} ${R}/${d}`).join(' && ') +
      ` && mount -t tmpfs ro3src ${R}/ro3 && echo ready && exec sleep 600`], { stdio: ['ignore', 'pipe', 'inherit'] });
    let swapper: ReturnType<typeof spawn> | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.on('data', (d) => { if (String(d).includes('ready')) resolve(); });
        holder.on('exit', (code) => reject(new Error(`mount holder exited ${code}`)));
      });
      swapper = spawn(path.join(work, 'swapper'), ['vol', 'decoy1', 'vol2', 'decoy2', 'ro3', 'decoy3'].map((d) => path.join(R, d)),
        { stdio: ['ignore', 'ignore', 'pipe'] });
      let swapErr = '';
      swapper.stderr!.on('data', (d) => { swapErr += String(d); });
      const hits: string[] = [];
      let n = 0;
      let raced = 0;
      const errFile = path.join(dir, 'create.err');
      const pidFile = path.join(dir, 'pid');
      for (const end = Date.now() + 15_000; n < 200 && Date.now() < end; n++) {
        const id = `race${n}`;
        const errFd = fs.openSync(errFile, 'w');
        // stdio goes to the container's init, which outlives create: no pipes to wait on
        const r = spawnSync('nsenter', [`--mount=/proc/${holder.pid}/ns/mnt`, RUNTIME, '--root', stateRoot, 'create',
          '--pid-file', pidFile, '--bundle', b, id], { stdio: ['ignore', 'ignore', errFd], timeout: 20_000 });
        fs.closeSync(errFd);
        if (r.status !== 0) {
          hits.push(`#${n}: create failed: ${fs.readFileSync(errFile, 'utf8').trim()}`);
          continue;
        }
        const pid = fs.readFileSync(pidFile, 'utf8').trim();
        const mounts = parseMountinfo(fs.readFileSync(`/proc/${pid}/mountinfo`, 'utf8'));
        const bad = mountViolations(mounts);
        if (bad.length) hits.push(`#${n}: ${bad.join('; ')}`);
        // a volume stacked on a decoy: its destination was renamed while create ran (the race is reached)
        const rootId = mounts.find((m) => m.point === '/')!.id;
        if (mounts.some((m) => /\/vol2?src$/.test(m.root) && m.parent !== rootId)) raced++;
        const d = runtime(['--root', stateRoot, 'delete', '--force', id]);
        assert.equal(d.status, 0, d.stderr);
      }
      assert.equal(swapper.exitCode, null, `the swapper stopped: ${swapErr}`);
      assert.ok(n >= 50, `only ${n} creates in the time budget`);
      assert.ok(raced > 0, `no create of ${n} saw a destination renamed under it: the test did not race`);
      const failed = hits.filter((h) => h.includes('create failed')).length;
      assert.equal(hits.length, 0, `${hits.length} of ${n} creates hit the race (${hits.length - failed} with a flag ` +
        `change on the wrong mount, ${failed} failed):\n${hits.slice(0, 8).join('\n')}`);
    } finally {
      swapper?.kill('SIGKILL');
      holder.kill('SIGKILL');
    }
  });
});
