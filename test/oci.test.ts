import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { convertProfile, findProfile, loadProfile } from '../src/core/bundle/seccomp.js';
import { assertPrivileged, busyboxRootfs, REPO, waitFor } from './helpers.js';

/**
 * ctui-runtime as an OCI runtime (issue 13): hand-made bundles driven through the runtime's own command
 * line, the way the OCI runtime-tools suite drives it (bench/oci-validation.sh runs that suite itself).
 * CTUI_TEST_RUNTIME overrides the binary (to show a test failing against an older build).
 */
const RUNTIME = process.env.CTUI_TEST_RUNTIME ?? path.join(REPO, 'build', 'ctui-runtime');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ctui-oci-'));
fs.chmodSync(work, 0o755); // a user-namespaced container's root (a host uid != 0) must reach its rootfs
const stateRoot = path.join(work, 'state');
let seq = 0;
const ids = new Set<string>();
/** A container id unique to this run (cgroups outlive a test that fails half-way), removed in `after`. */
function newId(kind: string): string {
  const id = `${kind}-${process.pid}-${++seq}`;
  ids.add(id);
  return id;
}

/** A busybox bundle from `runc spec`, edited by `edit`; returns the bundle dir. */
function bundle(edit: (c: any, dir: string) => void): string {
  const dir = path.join(work, `b${++seq}`);
  fs.mkdirSync(path.join(dir, 'rootfs'), { recursive: true });
  const x = spawnSync('tar', ['-xf', busyboxRootfs(), '-C', path.join(dir, 'rootfs')]);
  assert.equal(x.status, 0, x.stderr.toString());
  assert.equal(spawnSync('runc', ['spec'], { cwd: dir }).status, 0);
  const cfgPath = path.join(dir, 'config.json');
  const c = JSON.parse(fs.readFileSync(cfgPath, 'utf8'));
  c.process.terminal = false;
  c.process.args = ['true'];
  edit(c, dir);
  fs.writeFileSync(cfgPath, JSON.stringify(c));
  return dir;
}

/** One runtime call; stdout/stderr through files: a created container keeps the create's stdio open. */
function rt(args: string[], timeout = 30_000) {
  const out = path.join(work, 'out'), err = path.join(work, 'err');
  const fo = fs.openSync(out, 'w'), fe = fs.openSync(err, 'w');
  const r = spawnSync(RUNTIME, ['--root', stateRoot, ...args], { timeout, stdio: ['ignore', fo, fe] });
  fs.closeSync(fo);
  fs.closeSync(fe);
  return { status: r.status, stdout: fs.readFileSync(out, 'utf8'), stderr: fs.readFileSync(err, 'utf8') };
}

/** `run` of BUNDLE in the foreground: its exit code and output. */
function run(dir: string, timeout = 30_000) {
  return rt(['run', '--bundle', dir, newId('oci')], timeout);
}

/** docker's default profile as the core converts it (EPERM for everything it does not list). */
function dockerProfile(c: any): any {
  const file = findProfile('docker-default');
  assert.ok(file, 'docker-default.json is not installed: run scripts/setup.sh');
  return convertProfile(loadProfile(file), c.process.capabilities.bounding);
}

function dropSyscalls(p: any, names: string[]): any {
  for (const r of p.syscalls) r.names = r.names.filter((n: string) => !names.includes(n));
  p.syscalls = p.syscalls.filter((r: any) => r.names.length > 0);
  return p;
}

/** A static probe in the rootfs: `/probe NR` prints the errno name syscall(NR) returned, or "ok". */
const PROBE_C = `#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    long r = syscall(atol(argv[i]), -1, 0, 0, 0, 0, 0);
    printf("%s %s\\n", argv[i], r < 0 && errno == ENOSYS ? "ENOSYS" : r < 0 && errno == EPERM ? "EPERM" : r < 0 ? strerror(errno) : "ok");
  }
  return 0;
}
`;

function buildProbe(rootfs: string): void {
  const src = path.join(work, 'probe.c');
  fs.writeFileSync(src, PROBE_C);
  const cc = spawnSync('cc', ['-static', '-O2', '-o', path.join(rootfs, 'probe'), src]);
  assert.equal(cc.status, 0, cc.stderr.toString());
}

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line on stderr, got: ${stderr}`);
  return lines[0]!;
}

describe('ctui-runtime: OCI conformance', { timeout: 600_000 }, () => {
  assertPrivileged();
  after(() => {
    for (const id of ids) rt(['delete', '--force', id]);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('an EPERM-default profile without openat2 still starts, with the cwd set', () => {
    const dir = bundle((c) => {
      c.process.args = ['pwd'];
      c.process.cwd = '/tmp';
      // the filter is loaded early (before the caps drop), as without docker's no-new-privileges
      c.process.noNewPrivileges = false;
      // docker's profile minus the syscalls newer than the runtime's fallbacks: EPERM, not ENOSYS, for
      // openat2 (it is older than the newest syscall the profile lists)
      c.linux.seccomp = dropSyscalls(dockerProfile(c), ['openat2', 'faccessat2', 'close_range']);
    });
    const r = run(dir);
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    assert.equal(r.stdout.trim(), '/tmp');
  });

  it('a syscall newer than the profile gets ENOSYS; an older one it does not list keeps EPERM', () => {
    const dir = bundle((c, d) => {
      buildProbe(path.join(d, 'rootfs'));
      // 1000: beyond every syscall table; 163 = acct, which docker's profile does not allow
      c.process.args = ['/probe', '1000', '163'];
      c.linux.seccomp = dockerProfile(c);
    });
    const r = run(dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '1000 ENOSYS\n163 EPERM\n');
  });

  it('runs every hook kind with the state on stdin, where the runtime-spec says', async () => {
    const out = path.join(work, `hooks-${++seq}`);
    fs.mkdirSync(out);
    const hostHook = (name: string) => ({ path: '/bin/sh', args: ['sh', '-c', `cat > ${out}/${name}; readlink /proc/self/ns/mnt > ${out}/${name}.mnt`] });
    const dir = bundle((c) => {
      c.process.args = ['sh', '-c', 'cat /started-state > /dev/null'];
      c.root.readonly = false; // the startContainer hook writes into the rootfs
      c.annotations = { 'org.example.k': 'v' };
      c.hooks = {
        prestart: [hostHook('prestart')],
        createRuntime: [hostHook('createRuntime')],
        createContainer: [hostHook('createContainer')],
        // in the container, after pivot_root: /bin/sh and / are the container's
        startContainer: [{ path: '/bin/sh', args: ['sh', '-c', 'cat > /started-state'], env: ['A=b'] }],
        poststart: [hostHook('poststart')],
        poststop: [hostHook('poststop')],
      };
    });
    const id = newId('hooks');
    const cr = rt(['create', '--bundle', dir, id]);
    assert.equal(cr.status, 0, cr.stderr);
    const pid = JSON.parse(rt(['state', id]).stdout).pid as number;
    const sr = rt(['start', id]);
    assert.equal(sr.status, 0, sr.stderr);
    await waitFor(() => JSON.parse(rt(['state', id]).stdout).status === 'stopped', 10_000);
    const del = rt(['delete', id]);
    assert.equal(del.status, 0, del.stderr);
    const hostMnt = fs.readlinkSync('/proc/self/ns/mnt');
    const expect: Record<string, string> = {
      // steps 3-5 of the runtime-spec's lifecycle come after "creating" (step 2)
      prestart: 'created', createRuntime: 'created', createContainer: 'created', poststart: 'running', poststop: 'stopped',
    };
    for (const [name, status] of Object.entries(expect)) {
      const st = JSON.parse(fs.readFileSync(path.join(out, name), 'utf8'));
      assert.equal(st.id, id, name);
      assert.equal(st.status, status, name);
      assert.equal(st.bundle, dir, name);
      assert.equal(st.pid, pid, name);
      assert.deepEqual(st.annotations, { 'org.example.k': 'v' }, name);
      const mnt = fs.readFileSync(path.join(out, `${name}.mnt`), 'utf8').trim();
      // createContainer runs in the container's mount namespace, the others in the runtime's
      if (name === 'createContainer') assert.notEqual(mnt, hostMnt, name);
      else assert.equal(mnt, hostMnt, name);
    }
    const started = JSON.parse(fs.readFileSync(path.join(dir, 'rootfs', 'started-state'), 'utf8'));
    assert.equal(started.status, 'created');
    assert.equal(started.pid, pid);
  });

  it('kills a hook at its timeout and fails the create in one line', () => {
    const dir = bundle((c) => {
      c.hooks = { createRuntime: [{ path: '/bin/sleep', args: ['sleep', '60'], timeout: 1 }] };
    });
    const id = newId('hang');
    const t0 = Date.now();
    const r = rt(['create', '--bundle', dir, id], 20_000);
    assert.equal(r.status, 1);
    assert.ok(Date.now() - t0 < 15_000, 'the hook was not killed at its timeout');
    assert.match(oneLine(r.stderr), /createRuntime hook #0 \(\/bin\/sleep\) failed: timed out after 1s/);
    assert.notEqual(rt(['state', id]).status, 0, 'the failed create left a container behind');
  });

  it('joins a network, a uts and a mount namespace by path', async () => {
    const holder = spawn('unshare', ['--net', '--uts', '--mount', 'sh', '-c', 'hostname joined-uts && exec sleep 600'], { stdio: 'ignore' });
    try {
      const nsPath = (t: string) => `/proc/${holder.pid}/ns/${t}`;
      await waitFor(() => spawnSync('cat', [`/proc/${holder.pid}/comm`]).stdout.toString().trim() === 'sleep', 10_000);
      const dir = bundle((c) => {
        delete c.hostname;
        c.process.args = ['sh', '-c', 'hostname; readlink /proc/self/ns/net; readlink /proc/self/ns/mnt'];
        c.linux.namespaces = c.linux.namespaces.filter((n: any) => !['network', 'uts', 'mount'].includes(n.type));
        c.linux.namespaces.push({ type: 'network', path: nsPath('net') }, { type: 'uts', path: nsPath('uts') },
          { type: 'mount', path: nsPath('mnt') });
      });
      const r = run(dir);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, `joined-uts\n${fs.readlinkSync(nsPath('net'))}\n${fs.readlinkSync(nsPath('mnt'))}\n`);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('without a mount namespace: no new one, a chroot into the rootfs; mounts refused in one line', async () => {
    const bare = (c: any) => {
      c.linux.namespaces = c.linux.namespaces.filter((n: any) => n.type !== 'mount');
      c.mounts = [];
      c.linux.maskedPaths = [];
      c.linux.readonlyPaths = [];
      c.root.readonly = false;
      c.process.args = ['sh', '-c', 'test -f /marker'];
    };
    const dir = bundle((c, d) => {
      bare(c);
      fs.writeFileSync(path.join(d, 'rootfs', 'marker'), '');
    });
    const id = newId('nomnt');
    const cr = rt(['create', '--bundle', dir, id]);
    assert.equal(cr.status, 0, cr.stderr);
    const pid = JSON.parse(rt(['state', id]).stdout).pid as number;
    assert.equal(fs.readlinkSync(`/proc/${pid}/ns/mnt`), fs.readlinkSync('/proc/self/ns/mnt'));
    assert.equal(fs.realpathSync(`/proc/${pid}/root`), fs.realpathSync(path.join(dir, 'rootfs')));
    assert.equal(rt(['start', id]).status, 0);
    await waitFor(() => JSON.parse(rt(['state', id]).stdout).status === 'stopped', 10_000);
    assert.equal(rt(['delete', id]).status, 0);

    const withMounts = bundle((c) => {
      bare(c);
      c.mounts = [{ destination: '/proc', type: 'proc', source: 'proc' }];
    });
    const r = run(withMounts);
    assert.equal(r.status, 125);
    assert.match(oneLine(r.stderr), /mounts needs a mount namespace/);
  });

  it('runs in a user namespace of its own with the configured maps, and exec joins it', () => {
    const dir = bundle((c) => {
      c.process.args = ['sh', '-c', 'id -u; cat /proc/self/uid_map /proc/self/gid_map'];
      c.linux.namespaces.push({ type: 'user' });
      c.linux.uidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
      c.linux.gidMappings = [{ containerID: 0, hostID: 200000, size: 65536 }];
    });
    const r = run(dir);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split(/\s+/), ['0', '0', '100000', '65536', '0', '200000', '65536']);
    // create/start/exec: pid 1 is the container's root mapped to host 100000, and so is an exec
    const long = bundle((c) => {
      c.process.args = ['sleep', '60'];
      c.linux.namespaces.push({ type: 'user' });
      c.linux.uidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
      c.linux.gidMappings = [{ containerID: 0, hostID: 200000, size: 65536 }];
    });
    const id = newId('userns');
    assert.equal(rt(['create', '--bundle', long, id]).status, 0);
    try {
      const pid = JSON.parse(rt(['state', id]).stdout).pid as number;
      assert.match(fs.readFileSync(`/proc/${pid}/status`, 'utf8'), /^Uid:\s+100000\s/m);
      assert.equal(rt(['start', id]).status, 0);
      const x = rt(['exec', id, 'cat', '/proc/self/uid_map']);
      assert.equal(x.status, 0, x.stderr);
      assert.deepEqual(x.stdout.trim().split(/\s+/), ['0', '100000', '65536']);
    } finally {
      rt(['delete', '--force', id]);
    }
  });

  it('makes the root unbindable after pivot_root for rootfsPropagation unbindable', () => {
    const dir = bundle((c) => {
      c.linux.rootfsPropagation = 'unbindable';
      c.process.args = ['sh', '-c', "awk '$5 == \"/\"' /proc/self/mountinfo"];
    });
    const r = run(dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, / unbindable /);
  });

  it('applies memory swappiness and disableOOMKiller (cgroup v1)', () => {
    assert.ok(fs.existsSync('/sys/fs/cgroup/memory/memory.swappiness'), 'this test needs the v1 memory controller');
    const cg = `/ctui-oci-test/mem-${process.pid}-${++seq}`;
    const dir = bundle((c) => {
      c.process.args = ['sleep', '60'];
      c.linux.cgroupsPath = cg;
      c.linux.resources = { memory: { limit: 64 << 20, swappiness: 17, disableOOMKiller: true } };
    });
    const id = newId('mem');
    const cr = rt(['create', '--bundle', dir, id]);
    assert.equal(cr.status, 0, cr.stderr);
    try {
      const d = `/sys/fs/cgroup/memory${cg}`;
      assert.equal(fs.readFileSync(`${d}/memory.swappiness`, 'utf8').trim(), '17');
      assert.match(fs.readFileSync(`${d}/memory.oom_control`, 'utf8'), /^oom_kill_disable 1$/m);
    } finally {
      rt(['delete', '--force', id]);
    }
  });

  it('refuses an unknown capability, an unknown namespace type and an unsupported field in one line', () => {
    const cases: [(c: any) => void, RegExp][] = [
      [(c) => c.process.capabilities.bounding.push('CAP_NOPE'), /process\.capabilities\.bounding: unknown capability CAP_NOPE/],
      [(c) => c.linux.namespaces.push({ type: 'nope' }), /unsupported namespace type nope/],
      [(c) => { c.process.apparmorProfile = 'docker-default'; }, /process\.apparmorProfile is not supported/],
      [(c) => { c.linux.resources = { hugepageLimits: [{ pageSize: '2MB', limit: 1 << 21 }] }; }, /linux\.resources\.hugepageLimits is not supported/],
      [(c) => { c.hooks = { preStart: [{ path: '/bin/true' }] }; }, /hooks\.preStart: unknown hook kind/],
    ];
    for (const [edit, want] of cases) {
      const r = run(bundle(edit));
      assert.equal(r.status, 125, r.stderr);
      assert.match(oneLine(r.stderr), want);
    }
  });

  it('refuses to delete a created container without --force and leaves it be', () => {
    const dir = bundle(() => {});
    const id = newId('created');
    assert.equal(rt(['create', '--bundle', dir, id]).status, 0);
    const d = rt(['delete', id]);
    assert.equal(d.status, 1);
    assert.match(oneLine(d.stderr), /that is not stopped: created/);
    assert.equal(JSON.parse(rt(['state', id]).stdout).status, 'created');
    assert.equal(rt(['delete', '--force', id]).status, 0);
  });
});
