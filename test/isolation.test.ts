import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { assertPrivileged, CTUI, importBusyboxWith, staticProgram, storeWithBusybox } from './helpers.js';

/** docker's default capability set as /proc/self/status shows it. */
const DOCKER_CAPS = '00000000a80425fb';

/**
 * What busybox cannot try: the keyring syscalls (keyctl, add_key, request_key), clone with a namespace
 * flag and clone3. One line per call: "NAME: ok" or "NAME: <strerror>".
 */
const SECPROBE = `
#define _GNU_SOURCE
#include <errno.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
static void report(const char *name, long r) {
  if (r < 0) printf("%s: %s\\n", name, strerror(errno));
  else printf("%s: ok\\n", name);
}
int main(void) {
  report("keyctl", syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_PROCESS_KEYRING, 1));
  report("add_key", syscall(SYS_add_key, "user", "ctui-test", "x", 1, KEY_SPEC_PROCESS_KEYRING));
  report("request_key", syscall(SYS_request_key, "user", "ctui-absent", NULL, 0));
  long pid = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
  if (pid == 0) _exit(0);
  if (pid > 0) waitpid((pid_t)pid, NULL, 0);
  report("clone-newuser", pid);
  pid = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
  if (pid == 0) _exit(0);
  if (pid > 0) waitpid((pid_t)pid, NULL, 0);
  report("clone", pid);
  /* size 0 is EINVAL from the kernel; docker's profile answers ENOSYS first, so libc falls back to clone */
  report("clone3", syscall(SYS_clone3, NULL, 0));
  return 0;
}
`;

/** unshare -U -r -m -n, then a tmpfs mount and a network device configured in the new namespaces. */
const USERNS = 'unshare -U -r -m -n sh -c "mount -t tmpfs t /tmp && ip link set lo up && echo inside"';

/** The same isolation checks for every runtime: the bundle is standard, so runc must match ctui-runtime. */
for (const runtime of ['ctui', 'runc']) {
  describe(`isolation (--runtime ${runtime})`, () => {
    assertPrivileged();
    const s = storeWithBusybox(`iso-${runtime}`);
    const marker = `/ctui-host-marker-${process.pid}`;
    fs.writeFileSync(marker, 'host secret');
    after(() => {
      fs.rmSync(marker, { force: true });
      s.cleanup();
    });
    let probeImage = false;
    /** busybox with /bin/secprobe, imported on first use. */
    const secprobe = () => {
      if (!probeImage) importBusyboxWith(s, 'secprobe', { '/bin/secprobe': staticProgram('secprobe', SECPROBE) });
      probeImage = true;
      return 'secprobe';
    };
    const sh = (script: string, ...flags: string[]) => s.run(['run', '--rm', '--runtime', runtime, ...flags, 'busybox', 'sh', '-c', script]);
    const out = (script: string, ...flags: string[]) => {
      const r = sh(script, ...flags);
      assert.equal(r.status, 0, `${script}: ${r.stderr}`);
      return r.stdout;
    };

    it('is pid 1 in its own pid namespace and sees only its processes', () => {
      assert.equal(out('echo $$; ps -o pid= | wc -l').trim().split('\n')[0], '1');
      assert.ok(Number(out('ls -d /proc/[0-9]* | wc -l').trim()) <= 3);
    });

    it('has its own hostname', () => {
      assert.equal(out('hostname', '--hostname', 'inside').trim(), 'inside');
      assert.match(out('hostname').trim(), /^[0-9a-f]{12}$/);
      assert.equal(out('cat /etc/hostname', '--hostname', 'inside').trim(), 'inside');
    });

    it('cannot see or reach host files', () => {
      assert.equal(sh(`cat ${marker}`).status, 1);
      assert.equal(sh(`cd /../../.. && cat .${marker}`).status, 1);
      assert.deepEqual(out('ls /').trim().split('\n').sort(), ['bin', 'dev', 'etc', 'home', 'linuxrc', 'proc', 'root', 'sbin', 'sys', 'tmp', 'usr', 'var']);
      // the host root is detached after pivot_root: one mount namespace root, no /work, no host mounts
      assert.equal(sh('test -e /work').status, 1);
      const mountPoints = out('cat /proc/self/mountinfo').trim().split('\n').map((l) => l.split(' ')[4]!);
      assert.equal(mountPoints.filter((m) => m === '/').length, 1, 'one root mount, the host root is gone');
      const unexpected = mountPoints.filter((m) => !/^\/(proc|dev|sys|etc\/(hosts|hostname|resolv\.conf))?(\/|$)/.test(m));
      assert.deepEqual(unexpected, []);
    });

    it('has a minimal /dev', () => {
      const devs = out('ls /dev').trim().split('\n').sort();
      assert.deepEqual(devs.filter((d) => !['core', 'fd', 'stdin', 'stdout', 'stderr', 'mqueue', 'pts', 'shm', 'ptmx'].includes(d)),
        ['full', 'null', 'random', 'tty', 'urandom', 'zero']);
    });

    it('cannot mount or load a kernel module', () => {
      const m = sh('mkdir -p /mnt && mount -t tmpfs t /mnt');
      assert.notEqual(m.status, 0);
      assert.match(m.stderr, /permission denied|not permitted/i);
      const mod = sh('head -c 4096 /dev/zero > /tmp/x.ko && insmod /tmp/x.ko');
      assert.notEqual(mod.status, 0);
      assert.match(mod.stderr, /Operation not permitted/);
    });

    it("has docker's capabilities, and --cap-add/--cap-drop/--privileged change them", () => {
      assert.match(out('grep CapEff /proc/self/status'), new RegExp(DOCKER_CAPS));
      assert.match(out('grep CapBnd /proc/self/status'), new RegExp(DOCKER_CAPS));
      // NET_RAW is bit 13: dropping it clears 0x2000
      assert.match(out('grep CapEff /proc/self/status', '--cap-drop', 'NET_RAW'), /00000000a80405fb/);
      // SYS_ADMIN is bit 21
      const withAdmin = BigInt('0x' + out('grep CapEff /proc/self/status', '--cap-add', 'SYS_ADMIN').split(':')[1]!.trim());
      assert.ok(withAdmin & (1n << 21n));
      assert.equal(sh('mkdir -p /mnt && mount -t tmpfs t /mnt', '--privileged').status, 0);
    });

    it("applies docker's seccomp profile", () => {
      assert.match(out('grep Seccomp: /proc/self/status'), /Seccomp:\s+2/);
      // swapoff is blocked by the profile whatever the capabilities: EPERM from seccomp, not ENOENT from the kernel.
      assert.match(sh('swapoff /nonexistent', '--cap-add', 'ALL').stderr, /Operation not permitted/);
      assert.match(sh('swapoff /nonexistent', '--cap-add', 'ALL', '--security-opt', 'seccomp=unconfined').stderr, /No such file or directory/);
      assert.match(out('grep Seccomp: /proc/self/status', '--security-opt', 'seccomp=unconfined'), /Seccomp:\s+0/);
    });

    it('takes a seccomp profile from a file (docker format)', () => {
      const profile = `${s.root}/deny-mkdir.json`;
      fs.writeFileSync(profile, JSON.stringify({
        defaultAction: 'SCMP_ACT_ALLOW',
        syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 }],
      }));
      const r = sh('mkdir /tmp/x', '--security-opt', `seccomp=${profile}`);
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /Operation not permitted/);
      assert.equal(sh('mkdir /tmp/x').status, 0);
      const bad = s.run(['run', '--rm', '--runtime', runtime, '--security-opt', 'seccomp=/nonexistent.json', 'busybox', 'true']);
      assert.equal(bad.status, 125);
      assert.match(bad.stderr, /seccomp profile/);
    });

    it("refuses user namespaces as docker's profile does, unless CAP_SYS_ADMIN", () => {
      const r = sh(USERNS);
      assert.notEqual(r.status, 0, 'a default container must not get a user namespace (the surface of CVE-2022-0185)');
      assert.match(r.stderr, /unshare.*Operation not permitted/);
      assert.doesNotMatch(r.stdout, /inside/);
      // docker's profile allows unshare, mount and setns with CAP_SYS_ADMIN
      assert.match(out(USERNS, '--cap-add', 'SYS_ADMIN'), /inside/);
      assert.match(out(USERNS, '--security-opt', 'seccomp=unconfined', '--cap-add', 'SYS_ADMIN'), /inside/);
    });

    it("refuses keyctl, add_key, request_key, clone with namespace flags and clone3 as docker's profile does", () => {
      const probe = (...flags: string[]) => {
        const r = s.run(['run', '--rm', '--runtime', runtime, ...flags, secprobe(), '/bin/secprobe']);
        assert.equal(r.status, 0, r.stderr);
        return Object.fromEntries(r.stdout.trim().split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
      };
      const EPERM = 'Operation not permitted';
      const plain = probe();
      assert.deepEqual(plain, {
        keyctl: EPERM, add_key: EPERM, request_key: EPERM, 'clone-newuser': EPERM, clone: 'ok', clone3: 'Function not implemented',
      });
      // CAP_SYS_ADMIN opens clone's namespace flags and clone3, never the keyrings
      assert.deepEqual(probe('--cap-add', 'SYS_ADMIN'), {
        keyctl: EPERM, add_key: EPERM, request_key: EPERM, 'clone-newuser': 'ok', clone: 'ok', clone3: 'Invalid argument',
      });
      assert.deepEqual(probe('--security-opt', 'seccomp=docker-default'), plain);
      const unconfined = probe('--security-opt', 'seccomp=unconfined');
      assert.equal(unconfined.keyctl, 'ok');
      assert.equal(unconfined.add_key, 'ok');
      assert.equal(unconfined.request_key, 'Required key not available');
      // containers-common's profile (podman's) stays available by name: it allows keyctl and user namespaces
      // (add_key and request_key it does not list: ENOSYS, its defaultErrnoRet)
      const common = probe('--security-opt', 'seccomp=containers-common');
      assert.equal(common.keyctl, 'ok');
      assert.equal(common['clone-newuser'], 'ok');
      assert.equal(common.add_key, 'Function not implemented');
    });

    it("gives exec the container's profile", () => {
      const name = `secexec-${runtime}`;
      s.ok(['run', '-d', '--name', name, '--runtime', runtime, secprobe(), 'sleep', '60']);
      try {
        assert.match(s.ok(['exec', name, '/bin/secprobe']), /^keyctl: Operation not permitted$/m);
        assert.match(s.ok(['exec', '--privileged', name, '/bin/secprobe']), /^keyctl: Operation not permitted$/m);
        const u = s.run(['exec', name, 'sh', '-c', USERNS]);
        assert.notEqual(u.status, 0);
        assert.match(u.stderr, /Operation not permitted/);
      } finally {
        s.run(['rm', '-f', name]);
      }
    });

    it('honours no-new-privileges', () => {
      assert.match(out('grep NoNewPrivs /proc/self/status'), /NoNewPrivs:\s+0/);
      assert.match(out('grep NoNewPrivs /proc/self/status', '--security-opt', 'no-new-privileges'), /NoNewPrivs:\s+1/);
    });

    it('keeps /sys, /proc/sys and --read-only roots read-only, and masks /proc paths', () => {
      assert.match(sh('touch /sys/x').stderr, /Read-only file system/);
      assert.match(sh('echo 1 > /proc/sys/kernel/ns_last_pid').stderr, /Read-only file system/);
      assert.equal(out('wc -c < /proc/timer_list').trim(), '0');
      assert.equal(out('ls /proc/acpi 2>/dev/null | wc -l').trim(), '0');
      assert.match(sh('touch /x', '--read-only').stderr, /Read-only file system/);
      assert.equal(sh('touch /x').status, 0);
    });

    it('has its own cgroup with the limits, read-only at /sys/fs/cgroup', () => {
      const o = out('cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/cpu/cpu.cfs_quota_us',
        '--memory', '64m', '--pids-limit', '20', '--cpus', '0.5');
      assert.deepEqual(o.trim().split('\n'), ['67108864', '20', '50000']);
      assert.match(sh('echo 1 > /sys/fs/cgroup/pids/pids.max').stderr, /Read-only file system/);
      // the pids limit holds
      assert.notEqual(sh('for i in $(seq 40); do sleep 5 & done; wait', '--pids-limit', '10').status, 0);
    });

    it('has only loopback unless --network host', () => {
      assert.deepEqual(out('ls /sys/class/net').trim().split('\n'), ['lo']);
      assert.equal(out('cat /sys/class/net/lo/operstate').trim() !== 'down', true);
      const host = fs.readdirSync('/sys/class/net').sort();
      assert.deepEqual(out('ls /sys/class/net', '--network', 'host').trim().split('\n').sort(), host);
    });

    it('leaks no file descriptor from the host', () => {
      assert.deepEqual(out('ls /proc/self/fd').trim().split('\n'), ['0', '1', '2', '3']);
    });
  });
}

describe('seccomp profiles: the choice, what inspect and info say, a missing profile', () => {
  assertPrivileged();
  const s = storeWithBusybox('seccomp-profiles');
  after(() => s.cleanup());
  const profileOf = (id: string) => s.ok(['inspect', '-f', '{{.SeccompProfile}}|{{.SeccompProfilePath}}|{{json .HostConfig.SecurityOpt}}', id]).trim().split('|');

  it("records docker's profile by default, and what was chosen otherwise", () => {
    const [name, file, opts] = profileOf(s.ok(['create', 'busybox', 'true']).trim());
    assert.equal(name, 'docker-default');
    assert.ok(file && fs.existsSync(file), `the recorded path exists: ${file}`);
    assert.equal(opts, 'null', 'HostConfig.SecurityOpt is what the user passed, as docker');
    assert.match(fs.readFileSync(file, 'utf8'), /"defaultAction": "SCMP_ACT_ERRNO"/);
    assert.doesNotMatch(fs.readFileSync(file, 'utf8'), /"keyctl"/, "docker's profile does not list keyctl");

    const common = profileOf(s.ok(['create', '--security-opt', 'seccomp=containers-common', 'busybox', 'true']).trim());
    assert.equal(common[0], 'containers-common');
    assert.match(common[1]!, /^\/(usr\/share|etc)\/containers\/seccomp\.json$/);
    assert.equal(common[2], '["seccomp=containers-common"]');

    assert.deepEqual(profileOf(s.ok(['create', '--security-opt', 'seccomp=unconfined', 'busybox', 'true']).trim()), ['unconfined', '', '["seccomp=unconfined"]']);
    assert.deepEqual(profileOf(s.ok(['create', '--privileged', 'busybox', 'true']).trim()).slice(0, 2), ['unconfined', '']);
    const custom = `${s.root}/custom.json`;
    fs.writeFileSync(custom, JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW' }));
    // A file of the user's is copied into the container at create (editing it later changes nothing).
    const cid = s.ok(['create', '--security-opt', `seccomp=${custom}`, 'busybox', 'true']).trim();
    assert.deepEqual(profileOf(cid).slice(0, 2), ['custom', `${s.root}/containers/${cid}/seccomp.json`]);
    assert.equal(fs.readFileSync(`${s.root}/containers/${cid}/seccomp.json`, 'utf8'), fs.readFileSync(custom, 'utf8'));
    const bad = s.run(['create', '--security-opt', 'seccomp=nonesuch', 'busybox', 'true']);
    assert.equal(bad.status, 125);
    assert.match(bad.stderr, /seccomp profile.*nonesuch/);
  });

  it("says in info which profile is the default", () => {
    const [, file] = profileOf(s.ok(['create', 'busybox', 'true']).trim());
    assert.match(s.ok(['info']), new RegExp(` Security Options:\n  seccomp\n   Profile: docker-default \\(${file!.replace(/[.]/g, '\\.')}\\)\n`));
    assert.equal(s.ok(['info', '--format', '{{json .SecurityOptions}}']).trim(), '["name=seccomp,profile=docker-default"]');
  });

  it('keeps the chosen profile across restarts', () => {
    const probe = fs.existsSync('/usr/share/containers/seccomp.json') || fs.existsSync('/etc/containers/seccomp.json');
    assert.ok(probe, "containers-common's seccomp.json is installed (scripts/setup.sh)");
    const id = s.ok(['create', '--security-opt', 'seccomp=containers-common', 'busybox', 'sh', '-c', 'unshare -U -r true && echo userns']).trim();
    assert.equal(s.ok(['start', '-a', id]).trim(), 'userns');
    assert.equal(s.ok(['start', '-a', id]).trim(), 'userns');
    const plain = s.ok(['create', 'busybox', 'sh', '-c', 'unshare -U -r true && echo userns']).trim();
    assert.notEqual(s.run(['start', '-a', plain]).status, 0);
  });

  it("refuses to start a container when docker's profile is not installed, in one line", () => {
    const made = s.ok(['create', 'busybox', 'true']).trim();
    const [, file] = profileOf(made);
    // Hide every place the profile may be, in a private mount namespace (the host keeps its files).
    const dirs = [path.dirname(file!), '/usr/local/share/ctui/seccomp', '/usr/share/gocode/src/github.com/docker/docker/profiles/seccomp'].filter((d) => fs.existsSync(d));
    const hidden = (args: string[]) => {
      const script = `${[...new Set(dirs)].map((d) => `mount -t tmpfs ctui-test ${d} && `).join('')}exec "$@"`;
      const r = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', CTUI, ...args], {
        env: { ...process.env, CTUI_ROOT: s.root }, encoding: 'utf8', timeout: 60_000,
      });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    // docker's codes: run and create fail with 125, start with 1
    for (const [args, code] of [[['run', '--rm', 'busybox', 'true'], 125], [['create', 'busybox', 'true'], 125], [['start', made], 1]] as const) {
      const r = hidden([...args]);
      assert.equal(r.status, code, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /docker's seccomp profile .*not installed.*scripts\/setup\.sh/);
    }
    assert.equal(s.ok(['inspect', '-f', '{{.State.Status}}', made]).trim(), 'created');
    // an explicit choice needs no docker profile; info says it is missing
    assert.equal(hidden(['run', '--rm', '--security-opt', 'seccomp=unconfined', 'busybox', 'true']).status, 0);
    assert.match(hidden(['info']).stdout, /Profile: docker-default \(not installed/);
  });
});
