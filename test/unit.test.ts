import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyChanges } from '../src/core/images/changes.js';
import { splitWords } from '../src/core/util/words.js';
import { familiarReference, normalizeReference } from '../src/core/images/reference.js';
import { renderTemplate } from '../src/present/template.js';
import { findImageIndex } from '../src/cli/flags.js';
import { CONTAINER_FLAGS } from '../src/cli/commands/container-flags.js';
import { effectiveCaps, DEFAULT_CAPS } from '../src/core/bundle/caps.js';
import { chooseProfile, convertProfile, findProfile, loadProfile, PROFILE_PATHS, validateProfile } from '../src/core/bundle/seccomp.js';
import { safeComponents, symlinkEscapes } from '../src/core/archive/extract.js';
import { humanDuration, humanSize, parseBytes } from '../src/core/util/humanize.js';
import { mergeEnv, parseSecurityOpts } from '../src/core/containers/options.js';

describe('image references', () => {
  it('normalise as docker does', () => {
    assert.equal(normalizeReference('busybox'), 'docker.io/library/busybox:latest');
    assert.equal(normalizeReference('busybox:1.36'), 'docker.io/library/busybox:1.36');
    assert.equal(normalizeReference('me/app'), 'docker.io/me/app:latest');
    assert.equal(normalizeReference('localhost:5000/app:v1'), 'localhost:5000/app:v1');
    assert.equal(familiarReference('docker.io/library/busybox:latest'), 'busybox:latest');
    assert.equal(familiarReference('quay.io/a/b:c'), 'quay.io/a/b:c');
  });
  it('refuse bad ones', () => {
    assert.throws(() => normalizeReference('BusyBox'), /lowercase/);
    assert.throws(() => normalizeReference('a:b:c'), /invalid reference/);
    assert.throws(() => normalizeReference('x:'), /invalid reference/);
  });
});

describe('--change', () => {
  it('applies docker instructions', () => {
    const c = applyChanges({}, ['CMD ["sh","-c","echo hi"]', 'ENTRYPOINT /bin/env', 'ENV A=1 B="two words"', 'ENV C 3', 'WORKDIR /srv', 'WORKDIR app', 'USER nobody', 'EXPOSE 80 53/udp', 'LABEL a=b', 'VOLUME /data', 'STOPSIGNAL SIGINT']);
    assert.deepEqual(c.Cmd, ['sh', '-c', 'echo hi']);
    assert.deepEqual(c.Entrypoint, ['/bin/sh', '-c', '/bin/env']);
    assert.deepEqual(c.Env, ['A=1', 'B=two words', 'C=3']);
    assert.equal(c.WorkingDir, '/srv/app');
    assert.equal(c.User, 'nobody');
    assert.deepEqual(c.ExposedPorts, { '80/tcp': {}, '53/udp': {} });
    assert.deepEqual(c.Labels, { a: 'b' });
    assert.deepEqual(c.Volumes, { '/data': {} });
    assert.equal(c.StopSignal, 'SIGINT');
  });
  it('refuses what docker refuses', () => {
    assert.throws(() => applyChanges({}, ['RUN echo']), /not a valid change command/);
    assert.throws(() => applyChanges({}, ['ENV']), /requires/);
  });
  it('splits words with quotes', () => {
    assert.deepEqual(splitWords(`a "b c" 'd e' f\\ g`), ['a', 'b c', 'd e', 'f g']);
  });
});

describe('Go templates', () => {
  const data = { ID: 'abc', Config: { Env: ['A=1', 'B=2'], Labels: { x: 'y' } }, N: 3 };
  it('renders fields, json, index, join', () => {
    assert.equal(renderTemplate('{{.ID}}:{{.N}}', data), 'abc:3');
    assert.equal(renderTemplate('{{json .Config.Env}}', data), '["A=1","B=2"]');
    assert.equal(renderTemplate('{{index .Config.Env 1}}', data), 'B=2');
    assert.equal(renderTemplate('{{index .Config.Labels "x"}}', data), 'y');
    assert.equal(renderTemplate('{{join .Config.Env ","}}', data), 'A=1,B=2');
    assert.equal(renderTemplate('{{.Config.Labels}}', data), 'map[x:y]');
  });
  it('reports unknown fields', () => {
    assert.throws(() => renderTemplate('{{.Nope}}', data), /map has no entry for key "Nope"/);
  });
});

describe('run argv splitting', () => {
  it('stops at the image, as docker does', () => {
    assert.equal(findImageIndex(CONTAINER_FLAGS, ['--rm', '-it', 'busybox', 'ls', '-l']), 2);
    assert.equal(findImageIndex(CONTAINER_FLAGS, ['-e', 'A=1', '--name=x', 'img']), 3);
    assert.equal(findImageIndex(CONTAINER_FLAGS, ['-eA=1', '-u', 'nobody', 'img', '-e']), 3);
    assert.equal(findImageIndex(CONTAINER_FLAGS, ['--rm']), -1);
  });
});

describe('capabilities', () => {
  it('default, add, drop, ALL', () => {
    assert.deepEqual(new Set(effectiveCaps([], [], false)), new Set(DEFAULT_CAPS));
    assert.ok(effectiveCaps(['sys_admin'], [], false).includes('CAP_SYS_ADMIN'));
    assert.ok(!effectiveCaps([], ['NET_RAW'], false).includes('CAP_NET_RAW'));
    assert.deepEqual(effectiveCaps(['CHOWN'], ['ALL'], false), ['CAP_CHOWN']);
    assert.throws(() => effectiveCaps(['NOPE'], [], false), /invalid capability/);
  });
});

describe('seccomp profile conversion', () => {
  type Profile = Parameters<typeof convertProfile>[0];
  const allowed = (p: ReturnType<typeof convertProfile>) => new Set(p.syscalls.filter((s) => s.action === 'SCMP_ACT_ALLOW').flatMap((s) => s.names));
  const rule = (name: string, extra: object = {}) => ({ names: [name], action: 'SCMP_ACT_ALLOW', ...extra });
  const x64 = { arch: 'x64', kernel: '5.10.0-28-amd64' };

  it('includes and excludes by capability in the bounding set, as moby', () => {
    const p: Profile = {
      defaultAction: 'SCMP_ACT_ERRNO',
      syscalls: [
        rule('inc_admin', { includes: { caps: ['CAP_SYS_ADMIN'] } }),
        rule('exc_admin', { excludes: { caps: ['CAP_SYS_ADMIN'] } }),
        rule('inc_both', { includes: { caps: ['CAP_SYS_ADMIN', 'CAP_NET_ADMIN'] } }),
        rule('exc_either', { excludes: { caps: ['CAP_SYS_ADMIN', 'CAP_NET_ADMIN'] } }),
        rule('plain', { includes: {}, excludes: {} }),
      ],
    };
    assert.deepEqual([...allowed(convertProfile(p, DEFAULT_CAPS, x64))].sort(), ['exc_admin', 'exc_either', 'plain']);
    assert.deepEqual([...allowed(convertProfile(p, [...DEFAULT_CAPS, 'CAP_SYS_ADMIN'], x64))].sort(), ['inc_admin', 'plain']);
    assert.deepEqual([...allowed(convertProfile(p, ['CAP_NET_ADMIN'], x64))].sort(), ['exc_admin', 'plain']);
    assert.deepEqual([...allowed(convertProfile(p, ['CAP_SYS_ADMIN', 'CAP_NET_ADMIN'], x64))].sort(), ['inc_admin', 'inc_both', 'plain']);
  });

  it('includes and excludes by architecture (moby names), and takes the archMap entry of this one', () => {
    const p: Profile = {
      defaultAction: 'SCMP_ACT_ERRNO',
      archMap: [
        { architecture: 'SCMP_ARCH_X86_64', subArchitectures: ['SCMP_ARCH_X86', 'SCMP_ARCH_X32'] },
        { architecture: 'SCMP_ARCH_AARCH64', subArchitectures: ['SCMP_ARCH_ARM'] },
      ],
      syscalls: [
        rule('amd64_only', { includes: { arches: ['amd64', 'x32'] } }),
        rule('not_s390', { excludes: { arches: ['s390', 's390x'] } }),
        rule('arm_only', { includes: { arches: ['arm', 'arm64'] } }),
      ],
    };
    const amd = convertProfile(p, DEFAULT_CAPS, x64);
    assert.deepEqual(amd.architectures, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
    assert.deepEqual([...allowed(amd)].sort(), ['amd64_only', 'not_s390']);
    const arm = convertProfile(p, DEFAULT_CAPS, { ...x64, arch: 'arm64' });
    assert.deepEqual(arm.architectures, ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']);
    assert.deepEqual([...allowed(arm)].sort(), ['arm_only', 'not_s390']);
    const s390 = convertProfile(p, DEFAULT_CAPS, { ...x64, arch: 's390x' });
    assert.deepEqual(s390.architectures, [], 'not in the archMap: libseccomp takes the native arch');
    assert.deepEqual([...allowed(s390)], []);
  });

  it('includes and excludes by minimum kernel, both ways', () => {
    const p: Profile = {
      defaultAction: 'SCMP_ACT_ERRNO',
      syscalls: [
        rule('new_enough', { includes: { minKernel: '5.10' } }),
        rule('old_kernels', { excludes: { minKernel: '5.10' } }),
        rule('empty_inc', { includes: { minKernel: '' } }),
        rule('empty_exc', { excludes: { minKernel: '' } }),
      ],
    };
    const on = (kernel: string) => [...allowed(convertProfile(p, DEFAULT_CAPS, { arch: 'x64', kernel }))].sort();
    // as moby: only "<kernel>.<major>" of the release counts; an empty minKernel is 0.0, met by every kernel
    for (const k of ['5.10.0-28-amd64', '5.10', '5.11.1', '6.1.0', '10.0.0']) assert.deepEqual(on(k), ['empty_inc', 'new_enough'], k);
    for (const k of ['5.9.16', '4.19.0-26-amd64', '3.10.0']) assert.deepEqual(on(k), ['empty_inc', 'old_kernels'], k);
    assert.throws(() => on('weird'), /kernel version/);
  });

  it('keeps errnoRet and args, drops null args, and refuses what moby refuses', () => {
    const clone = { index: 0, value: 2114060288, op: 'SCMP_CMP_MASKED_EQ' };
    const out = convertProfile({
      defaultAction: 'SCMP_ACT_ERRNO',
      syscalls: [
        { name: 'clone', action: 'SCMP_ACT_ALLOW', args: [clone] },
        { names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38, args: null },
        { names: [], action: 'SCMP_ACT_ALLOW' },
      ],
    }, DEFAULT_CAPS, x64);
    assert.deepEqual(out.syscalls, [{ names: ['clone'], action: 'SCMP_ACT_ALLOW', args: [clone] }, { names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 }]);
    assert.equal(out.defaultErrnoRet, undefined);
    const bad = (p: object) => () => validateProfile(p as Profile, 'p.json');
    assert.throws(bad({ syscalls: [] }), /no defaultAction/);
    assert.throws(bad({ defaultAction: 'SCMP_ACT_ERRNO', architectures: ['SCMP_ARCH_X86_64'], archMap: [{ architecture: 'SCMP_ARCH_X86_64' }] }), /either 'architectures' or 'archMap'/);
    assert.throws(bad({ defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ name: 'a', names: ['b'], action: 'SCMP_ACT_ALLOW' }] }), /either 'name' or 'names'/);
    for (const v of ['5', '5.10.1', '0.0', 'a.b', '256.1', 5]) {
      assert.throws(bad({ defaultAction: 'SCMP_ACT_ERRNO', syscalls: [rule('x', { excludes: { minKernel: v } })] }), /invalid kernel version/, String(v));
    }
    assert.doesNotThrow(bad({ defaultAction: 'SCMP_ACT_ERRNO', syscalls: [rule('x', { includes: { minKernel: '4.8' } })] }));
  });

  it("reads docker's profile: no keyrings, namespaces only with CAP_SYS_ADMIN, clone3 ENOSYS", () => {
    const file = findProfile('docker-default');
    assert.ok(file, `docker's profile is installed (scripts/setup.sh): ${PROFILE_PATHS['docker-default'].join(', ')}`);
    const profile = loadProfile(file);
    const plain = convertProfile(profile, DEFAULT_CAPS, x64);
    assert.equal(plain.defaultAction, 'SCMP_ACT_ERRNO');
    assert.equal(plain.defaultErrnoRet, undefined, 'EPERM, as runc gives a profile without defaultErrnoRet');
    assert.deepEqual(plain.architectures, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
    const names = allowed(plain);
    assert.ok(names.has('read') && names.has('ptrace'), 'ptrace from 4.8 on');
    for (const n of ['keyctl', 'add_key', 'request_key', 'unshare', 'setns', 'mount', 'init_module', 'swapoff', 'kexec_load', 'clone3']) assert.ok(!names.has(n), n);
    // clone only without CLONE_NEW* flags: (flags & mask) == 0, i.e. value = mask and no valueTwo
    const clone = plain.syscalls.filter((s) => s.names.includes('clone'));
    assert.deepEqual(clone, [{ names: ['clone'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 0x7e020000, op: 'SCMP_CMP_MASKED_EQ' }] }]);
    assert.deepEqual(plain.syscalls.filter((s) => s.names.includes('clone3')), [{ names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 }]);
    assert.ok(!allowed(convertProfile(profile, DEFAULT_CAPS, { ...x64, kernel: '4.4.0' })).has('ptrace'));

    const admin = convertProfile(profile, [...DEFAULT_CAPS, 'CAP_SYS_ADMIN'], x64);
    for (const n of ['unshare', 'setns', 'mount', 'clone', 'clone3']) assert.ok(allowed(admin).has(n), n);
    for (const n of ['keyctl', 'add_key', 'request_key']) assert.ok(!allowed(admin).has(n), n);
    assert.ok(!admin.syscalls.some((s) => s.args?.some((a) => a.op === 'SCMP_CMP_MASKED_EQ') || s.errnoRet === 38));
    assert.ok(allowed(convertProfile(profile, [...DEFAULT_CAPS, 'CAP_SYS_MODULE'], x64)).has('init_module'));
  });

  it("reads containers-common's profile (podman's): keyctl and unshare allowed", () => {
    const file = findProfile('containers-common');
    assert.ok(file, "containers-common's seccomp.json is installed (golang-github-containers-common)");
    const names = allowed(convertProfile(loadProfile(file), DEFAULT_CAPS, x64));
    assert.ok(names.has('keyctl') && names.has('unshare'));
  });

  it('chooses the profile from --security-opt seccomp= and --privileged', () => {
    const docker = findProfile('docker-default');
    assert.deepEqual(chooseProfile(undefined, false), { Name: 'docker-default', Path: docker });
    assert.deepEqual(chooseProfile('docker', false), { Name: 'docker-default', Path: docker });
    assert.deepEqual(chooseProfile('docker-default', false), { Name: 'docker-default', Path: docker });
    assert.deepEqual(chooseProfile('containers-common', false), { Name: 'containers-common', Path: findProfile('containers-common') });
    assert.deepEqual(chooseProfile('unconfined', false), { Name: 'unconfined', Path: '' });
    assert.deepEqual(chooseProfile('containers-common', true), { Name: 'unconfined', Path: '' }, '--privileged runs without seccomp, as docker');
    // a file: by absolute path; a name is a name, ./NAME the file
    assert.deepEqual(chooseProfile('seccomp.json', false, '/usr/share/containers'), { Name: 'custom', Path: '/usr/share/containers/seccomp.json' });
    assert.throws(() => chooseProfile('./containers-common', false, '/'), /opening seccomp profile \(\.\/containers-common\) failed/);
    assert.throws(() => chooseProfile('nonesuch', false), /opening seccomp profile \(nonesuch\) failed/);
  });
});

describe('archive path safety', () => {
  it('refuses escapes', () => {
    assert.deepEqual(safeComponents('./a/b/'), ['a', 'b']);
    assert.throws(() => safeComponents('/etc/passwd'), /absolute/);
    assert.throws(() => safeComponents('a/../../x'), /'\.\.'/);
    assert.equal(symlinkEscapes(['a', 'l'], '../b'), false);
    assert.equal(symlinkEscapes(['a', 'l'], '../../b'), true);
    assert.equal(symlinkEscapes(['l'], '/etc/passwd'), false);
  });
});

describe('humanize', () => {
  it('matches docker', () => {
    assert.equal(humanSize(1985718), '1.99MB');
    assert.equal(humanSize(0), '0B');
    assert.equal(humanSize(1200), '1.2kB');
    assert.equal(humanDuration(500), 'Less than a second');
    assert.equal(humanDuration(70_000), 'About a minute');
    assert.equal(humanDuration(3 * 3600_000), '3 hours');
    assert.equal(parseBytes('512m'), 512 * 1024 * 1024);
  });
});

describe('options', () => {
  it('parses security opts and merges env', () => {
    assert.deepEqual(parseSecurityOpts(['no-new-privileges']), { noNewPrivileges: true });
    assert.deepEqual(parseSecurityOpts(['seccomp=unconfined']), { seccomp: 'unconfined', noNewPrivileges: false });
    assert.throws(() => parseSecurityOpts(['bogus=1']), /invalid --security-opt/);
    assert.deepEqual(mergeEnv(['A=1', 'B=2'], ['A=3']), ['B=2', 'A=3']);
  });
});

describe('log tail', () => {
  it('--tail N gives the last N whole lines, also when lines are split into partial (P) records', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const { readLogs } = await import('../src/core/containers/logs.js');
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ctui-tail-'));
    const layout = { containerDir: (id: string) => path.join(root, id) } as never;
    fs.mkdirSync(path.join(root, 'p'));
    fs.mkdirSync(path.join(root, 'f'));
    const t = '2026-12-02T14:00:00.000000000Z';
    let partial = '';
    let whole = '';
    for (let i = 0; i < 3000; i++) {
      partial += `${t} stdout P a${i}-\n${t} stdout P b-\n${t} stdout P c-\n${t} stdout F line${i}\n`;
      whole += `${t} stdout F y${i}\n`;
    }
    fs.writeFileSync(path.join(root, 'p', 'ctr.log'), partial);
    fs.writeFileSync(path.join(root, 'f', 'ctr.log'), whole);
    const tail = async (id: string, n: number) => {
      const out: string[] = [];
      for await (const l of readLogs(layout, id, { follow: false, tail: n })) out.push(l.text);
      return out;
    };
    for (const n of [1, 10, 2999, 3000, 5000]) {
      const k = Math.min(n, 3000);
      assert.deepEqual(await tail('p', n), Array.from({ length: k }, (_, j) => `a${3000 - k + j}-b-c-line${3000 - k + j}\n`), `partial, tail ${n}`);
      assert.deepEqual(await tail('f', n), Array.from({ length: k }, (_, j) => `y${3000 - k + j}\n`), `whole, tail ${n}`);
    }
    fs.rmSync(root, { recursive: true });
  });
});
