import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyChanges } from '../src/core/images/changes.js';
import { splitWords } from '../src/core/util/words.js';
import { familiarReference, normalizeReference } from '../src/core/images/reference.js';
import { renderTemplate } from '../src/cli/template.js';
import { findImageIndex } from '../src/cli/flags.js';
import { CONTAINER_FLAGS } from '../src/cli/commands/container-flags.js';
import { effectiveCaps, DEFAULT_CAPS } from '../src/core/bundle/caps.js';
import { convertProfile, loadProfile } from '../src/core/bundle/seccomp.js';
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
    assert.throws(() => renderTemplate('{{.Nope}}', data), /can't evaluate field Nope/);
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
  it('follows caps and arch as moby does', () => {
    const profile = loadProfile();
    const plain = convertProfile(profile, DEFAULT_CAPS);
    const names = (p: typeof plain) => new Set(p.syscalls.filter((s) => s.action === 'SCMP_ACT_ALLOW').flatMap((s) => s.names));
    assert.ok(names(plain).has('read'));
    assert.ok(!names(plain).has('init_module'), 'init_module needs CAP_SYS_MODULE');
    assert.ok(names(convertProfile(profile, [...DEFAULT_CAPS, 'CAP_SYS_MODULE'])).has('init_module'));
    const blocked = plain.syscalls.filter((s) => s.action === 'SCMP_ACT_ERRNO').flatMap((s) => s.names);
    assert.ok(blocked.includes('swapoff') && blocked.includes('kexec_load'));
    assert.ok(plain.architectures.includes('SCMP_ARCH_X86_64'));
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
