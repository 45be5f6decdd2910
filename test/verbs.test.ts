import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GROUPS, TOP_LEVEL } from '../src/cli/registry.js';
import { assertPrivileged, CTUI, storeWithBusybox, Tmux, tuiScene, waitFor, type TestStore } from './helpers.js';

/** The host directory of a running container's cgroup for one v1 controller (from /proc/PID/cgroup). */
function cgroupDir(pid: number, controller: string): string {
  for (const line of fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n')) {
    const [, ctrls, p] = line.split(':');
    if (ctrls?.split(',').includes(controller)) return path.join('/sys/fs/cgroup', controller, p!);
  }
  throw new Error(`no ${controller} cgroup for pid ${pid} (is this host's cgroup v1 hierarchy mounted?)`);
}

const readCg = (pid: number, controller: string, file: string) => fs.readFileSync(path.join(cgroupDir(pid, controller), file), 'utf8').trim();
const pidOf = (s: TestStore, c: string) => Number(s.ok(['inspect', '-f', '{{.State.Pid}}', c]).trim());
const hc = (s: TestStore, c: string, field: string) => s.ok(['inspect', '-f', `{{.HostConfig.${field}}}`, c]).trim();

describe('rename', () => {
  assertPrivileged();
  const s = storeWithBusybox('rename');
  after(() => {
    s.run(['rm', '-f', 'r-run', 'r-new', 'r-stopped', 'r-other', 'r-old']);
    s.cleanup();
  });

  it('renames a running container: ps, inspect, events and the old name follow', () => {
    const id = s.ok(['run', '-d', '--name', 'r-run', 'busybox', 'sleep', '300']).trim();
    assert.equal(s.ok(['rename', 'r-run', 'r-new']), '');
    assert.equal(s.ok(['ps', '--format', '{{.Names}} {{.State}}']).trim(), 'r-new running');
    assert.equal(s.ok(['inspect', '-f', '{{.Name}}', id]).trim(), '/r-new');
    const gone = s.run(['inspect', 'r-run']);
    assert.equal(gone.status, 1);
    assert.match(gone.stderr, /No such object: r-run/);
    const ev = s.ok(['events', '--since', '1h', '--until', '0s', '--filter', 'event=rename', '--format', '{{json .}}']);
    assert.match(ev, /"name":"r-new"/);
    assert.match(ev, /"oldName":"\/r-run"/);
    // The old name is free again, and the renamed container still runs under its monitor.
    s.ok(['create', '--name', 'r-run', 'busybox', 'true']);
    assert.equal(s.ok(['exec', 'r-new', 'echo', 'still']).trim(), 'still');
    s.ok(['rm', 'r-run']);
  });

  it('renames a stopped container, which then starts under its new name', () => {
    s.ok(['create', '--name', 'r-stopped', 'busybox', 'echo', 'hi']);
    s.ok(['rename', 'r-stopped', '/r-old']);
    assert.equal(s.ok(['start', '-a', 'r-old']), 'hi\n');
    assert.equal(s.ok(['ps', '-a', '--filter', 'name=r-old', '--format', '{{.Names}}']).trim(), 'r-old');
  });

  it('refuses as docker does: name in use, invalid, same name, missing container, one line each', () => {
    s.ok(['create', '--name', 'r-other', 'busybox', 'true']);
    const before = s.snapshot();
    const cases: Array<[string[], RegExp]> = [
      [['rename', 'r-old', 'r-other'], /^ctui: Error when allocating new name: Conflict\. The container name "\/r-other" is already in use by container "[0-9a-f]{64}"\. You have to remove \(or rename\) that container to be able to reuse that name\.\n$/],
      [['rename', 'r-old', 'bad name'], /^ctui: Error when allocating new name: Invalid container name \(\/bad name\), only \[a-zA-Z0-9\]\[a-zA-Z0-9_.-\] are allowed\n$/],
      [['rename', 'r-old', 'r-old'], /^ctui: Renaming a container with the same name as its current name\n$/],
      [['rename', 'nosuch', 'x1'], /^ctui: No such container: nosuch\n$/],
      [['rename', 'r-old', ''], /^ctui: Neither old nor new names may be empty\n$/],
    ];
    for (const [args, re] of cases) {
      const r = s.run(args);
      assert.equal(r.status, 1, args.join(' '));
      assert.match(r.stderr, re);
    }
    assert.equal(s.run(['rename', 'r-old']).status, 125);
    assert.deepEqual(s.snapshot(), before);
  });
});

describe('rename, seen by a running TUI', () => {
  assertPrivileged();
  const scene = tuiScene('rename-tui', 'rename-tui');
  const { s, t, ctui } = scene;
  after(() => scene.close());

  it('the Containers pane shows the new name once another ctui renamed it', async () => {
    s.ok(['run', '-d', '--name', 'tv-before', 'busybox', 'sleep', '300']);
    scene.shell();
    await t.waitFor(/outer\$/);
    t.type(ctui);
    await t.waitFor(/CONTAINER ID[\s\S]*tv-before/, 20_000);
    s.ok(['rename', 'tv-before', 'tv-after']);
    const screen = await t.waitFor(/CONTAINER ID[\s\S]*tv-after/, 20_000);
    assert.doesNotMatch(screen, /tv-before/);
    t.keys('q');
  });
});

describe('update', () => {
  assertPrivileged();
  const s = storeWithBusybox('update');
  after(() => {
    s.run(['rm', '-f', 'u-live', 'u-runc', 'u-big', 'u-stopped', 'u-rm', 'u-pol', 'u-pol2']);
    s.cleanup();
  });

  for (const runtime of ['ctui', 'runc']) {
    it(`applies --memory, --cpus, --pids-limit, --cpu-shares live to a running container's cgroup (--runtime ${runtime})`, () => {
      const name = runtime === 'ctui' ? 'u-live' : 'u-runc';
      s.ok(['run', '-d', '--runtime', runtime, '--name', name, 'busybox', 'sleep', '300']);
      const pid = pidOf(s, name);
      assert.equal(s.ok(['update', '-m', '64m', '--cpus', '0.5', '--pids-limit', '50', '--cpu-shares', '512', name]), `${name}\n`);
      assert.equal(readCg(pid, 'memory', 'memory.limit_in_bytes'), String(64 * 1024 * 1024));
      assert.equal(readCg(pid, 'cpu', 'cpu.cfs_quota_us'), '50000');
      assert.equal(readCg(pid, 'cpu', 'cpu.cfs_period_us'), '100000');
      assert.equal(readCg(pid, 'cpu', 'cpu.shares'), '512');
      assert.equal(readCg(pid, 'pids', 'pids.max'), '50');
      assert.equal(`${hc(s, name, 'Memory')} ${hc(s, name, 'NanoCpus')} ${hc(s, name, 'PidsLimit')} ${hc(s, name, 'CpuShares')}`, '67108864 500000000 50 512');
      // Both limits at once, growing past the old swap limit (the swap one has to go first).
      s.ok(['update', '-m', '128m', '--memory-swap', '256m', name]);
      assert.equal(readCg(pid, 'memory', 'memory.limit_in_bytes'), String(128 * 1024 * 1024));
      assert.equal(readCg(pid, 'memory', 'memory.memsw.limit_in_bytes'), String(256 * 1024 * 1024));
      // -1 lifts the pids limit; 0 leaves a limit as it is (docker's reading).
      s.ok(['update', '--pids-limit', '-1', '--cpus', '0', name]);
      assert.equal(readCg(pid, 'pids', 'pids.max'), 'max');
      assert.equal(readCg(pid, 'cpu', 'cpu.cfs_quota_us'), '50000');
      assert.equal(hc(s, name, 'PidsLimit'), '0');
    });
  }

  it('keeps the limits of a stopped container for its next start', () => {
    s.ok(['create', '--name', 'u-stopped', 'busybox', 'sleep', '300']);
    assert.equal(s.ok(['update', '--memory', '32m', '--pids-limit', '20', '--cpus', '0.25', 'u-stopped']), 'u-stopped\n');
    s.ok(['start', 'u-stopped']);
    const pid = pidOf(s, 'u-stopped');
    assert.equal(readCg(pid, 'memory', 'memory.limit_in_bytes'), String(32 * 1024 * 1024));
    assert.equal(readCg(pid, 'pids', 'pids.max'), '20');
    assert.equal(readCg(pid, 'cpu', 'cpu.cfs_quota_us'), '25000');
  });

  it("refuses what docker refuses, in docker's words, and changes nothing", () => {
    s.ok(['run', '-d', '--name', 'u-big', 'busybox', 'sh', '-c', 'dd if=/dev/zero of=/dev/shm/fill bs=1M count=40 2>/dev/null; sleep 300']);
    await_(() => Number(readCg(pidOf(s, 'u-big'), 'memory', 'memory.usage_in_bytes')) > 40e6);
    s.ok(['run', '-d', '--rm', '--name', 'u-rm', 'busybox', 'sleep', '300']);
    const before = s.snapshot();
    const cases: Array<[string[], number, RegExp]> = [
      [['update', '-m', '10m', '--memory-swap', '10m', 'u-big'], 1, /^ctui: Cannot update container [0-9a-f]{64}: unable to set memory limit to 10485760 \(current usage: \d+, peak usage: \d+\)\n$/],
      [['update', '-m', '2m', 'u-big'], 1, /^ctui: Minimum memory limit allowed is 6MB\n$/],
      [['update', '-m', '64m', '--memory-swap', '32m', 'u-big'], 1, /^ctui: Minimum memoryswap limit should be larger than memory limit, see usage\n$/],
      [['update', '--restart', 'always', 'u-rm'], 1, /^ctui: Cannot update container [0-9a-f]{64}: Restart policy cannot be updated because AutoRemove is enabled for the container\n$/],
      [['update', '--restart', 'bogus', 'u-big'], 1, /^ctui: invalid restart policy 'bogus'\n$/],
      [['update', '--cpus', '1000', 'u-big'], 1, /^ctui: Range of CPUs is from 0\.01 to \d+\.00, as there are only \d+ CPUs available\n$/],
      [['update', '--cpuset-cpus', '999', 'u-big'], 1, /^ctui: Requested CPUs are not available - requested 999, available: [\d,-]+\n$/],
      [['update', 'u-big'], 1, /^ctui: you must provide one or more flags when using this command\n$/],
      [['update', '-m', '64m', 'nosuch'], 1, /^ctui: No such container: nosuch\n$/],
    ];
    for (const [args, code, re] of cases) {
      const r = s.run(args);
      assert.equal(r.status, code, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re, args.join(' '));
    }
    assert.deepEqual(s.snapshot(), before);
    assert.equal(hc(s, 'u-big', 'Memory'), '0');
    // A refused container does not stop the others (docker goes on and exits 1).
    const mixed = s.run(['update', '--pids-limit', '70', 'nosuch', 'u-big']);
    assert.equal(mixed.status, 1);
    assert.equal(mixed.stdout, 'u-big\n');
    assert.equal(readCg(pidOf(s, 'u-big'), 'pids', 'pids.max'), '70');
  });

  it("the monitor follows --restart changes: a policy set while it runs restarts it, one lifted does not", async () => {
    s.ok(['run', '-d', '--name', 'u-pol', 'busybox', 'sh', '-c', 'sleep 2; exit 3']);
    s.ok(['update', '--restart', 'on-failure:2', 'u-pol']);
    s.ok(['run', '-d', '--restart', 'always', '--name', 'u-pol2', 'busybox', 'sh', '-c', 'sleep 2; exit 1']);
    s.ok(['update', '--restart', 'no', 'u-pol2']);
    await waitFor(() => s.ok(['inspect', '-f', '{{.State.Status}} {{.RestartCount}}', 'u-pol']).trim() === 'exited 2', 60_000);
    assert.equal(s.ok(['inspect', '-f', '{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}} {{.State.ExitCode}}', 'u-pol']).trim(), 'on-failure 2 3');
    await waitFor(() => s.ok(['inspect', '-f', '{{.State.Status}}', 'u-pol2']).trim() === 'exited', 30_000);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(s.ok(['inspect', '-f', '{{.State.Status}} {{.RestartCount}}', 'u-pol2']).trim(), 'exited 0');
  });
});

/** Synchronous poll (the cgroup fills while the test waits). */
function await_(cond: () => boolean, timeoutMs = 30_000): void {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    spawnSync('sleep', ['0.2']);
  }
}

describe('ls aliases, inspect --type and --size', () => {
  assertPrivileged();
  const s = storeWithBusybox('aliases');
  after(() => {
    s.run(['rm', '-f', 'a-run', 'a-made']);
    s.run(['volume', 'rm', 'a-vol']);
    s.cleanup();
  });

  it('the management spellings take the same flags as the verbs and print the same', () => {
    s.ok(['run', '-d', '--name', 'a-run', 'busybox', 'sleep', '300']);
    s.ok(['create', '--name', 'a-made', 'busybox', 'true']);
    s.ok(['volume', 'create', 'a-vol']);
    for (const flags of [['-a', '--format', '{{.Names}}'], ['-aq', '--no-trunc'], ['-n', '1', '--format', '{{.Names}} {{.Size}}', '-s'], ['-l', '-q'], ['--filter', 'status=created', '-q']]) {
      const want = s.ok(['ps', ...flags]);
      for (const alias of ['ls', 'list', 'ps']) assert.equal(s.ok(['container', alias, ...flags]), want, `container ${alias} ${flags.join(' ')}`);
    }
    // (formats without CREATED: "42 seconds ago" may turn into 43 between two calls)
    for (const flags of [['--format', '{{.Repository}}:{{.Tag}}'], ['-q', '--no-trunc'], ['--digests', '--format', '{{.Digest}} {{.ID}}'], ['-a', '--filter', 'dangling=false', '--format', '{{.ID}} {{.Size}}']]) {
      const want = s.ok(['images', ...flags]);
      for (const alias of ['ls', 'list']) assert.equal(s.ok(['image', alias, ...flags]), want, `image ${alias} ${flags.join(' ')}`);
    }
    assert.match(s.ok(['images', '--digests']), /^REPOSITORY +TAG +DIGEST +IMAGE ID +CREATED +SIZE\nbusybox +latest +<none> +[0-9a-f]{12} /);
    assert.equal(s.ok(['volume', 'list', '-q', '--filter', 'name=a-vol']), s.ok(['volume', 'ls', '-q', '--filter', 'name=a-vol']));
    // Flag tables: each management spelling is the verb's own.
    const byName = (defs: typeof TOP_LEVEL, n: string) => defs.find((d) => d.command.split(' ')[0] === n || d.aliases?.includes(n))!;
    assert.deepEqual(Object.keys(byName(GROUPS.container!.commands, 'list').flags), Object.keys(byName(TOP_LEVEL, 'ps').flags));
    assert.deepEqual(Object.keys(byName(GROUPS.image!.commands, 'list').flags), Object.keys(byName(TOP_LEVEL, 'images').flags));
    assert.deepEqual(Object.keys(byName(GROUPS.container!.commands, 'remove').flags), Object.keys(byName(TOP_LEVEL, 'rm').flags));
    assert.deepEqual(Object.keys(byName(GROUPS.image!.commands, 'remove').flags), Object.keys(byName(TOP_LEVEL, 'rmi').flags));
    // docker 20.10's flag sets, by long name.
    assert.deepEqual(Object.keys(byName(TOP_LEVEL, 'ps').flags).sort(), ['all', 'filter', 'format', 'last', 'latest', 'no-trunc', 'quiet', 'size']);
    assert.deepEqual(Object.keys(byName(TOP_LEVEL, 'images').flags).sort(), ['all', 'digests', 'filter', 'format', 'no-trunc', 'quiet']);
    assert.deepEqual(Object.keys(byName(GROUPS.volume!.commands, 'ls').flags).sort(), ['filter', 'format', 'quiet']);
    assert.deepEqual(Object.keys(byName(TOP_LEVEL, 'update').flags).sort(), [
      'blkio-weight', 'cpu-period', 'cpu-quota', 'cpu-rt-period', 'cpu-rt-runtime', 'cpu-shares', 'cpus', 'cpuset-cpus', 'cpuset-mems',
      'kernel-memory', 'memory', 'memory-reservation', 'memory-swap', 'pids-limit', 'restart',
    ]);
    const link = s.run(['container', 'rm', '--link', 'a-made']);
    assert.equal(link.status, 125);
    assert.match(link.stderr, /^ctui: --link: ctui has no legacy container links/);
  });

  it('inspect --type picks the kind, refuses an unknown one; --size adds SizeRw and SizeRootFs as docker computes them', () => {
    s.ok(['exec', 'a-run', 'dd', 'if=/dev/zero', 'of=/data', 'bs=1000', 'count=300']);
    assert.equal(s.ok(['inspect', '--type', 'container', '-f', '{{.Name}}', 'a-run']).trim(), '/a-run');
    assert.equal(s.ok(['inspect', '--type', 'volume', '-f', '{{.Name}}', 'a-vol']).trim(), 'a-vol');
    assert.match(s.ok(['inspect', '--type', 'image', '-f', '{{.Id}}', 'busybox']).trim(), /^sha256:[0-9a-f]{64}$/);
    const wrong = s.run(['inspect', '--type', 'image', 'a-run']);
    assert.equal(wrong.status, 1);
    assert.equal(wrong.stdout, '[]\n');
    assert.match(wrong.stderr, /No such image: a-run/);
    const bad = s.run(['inspect', '--type', 'network', 'a-run']);
    assert.equal(bad.status, 1);
    assert.equal(bad.stderr, 'ctui: unknown type: "network": must be one of "container", "image", "volume"\n');

    const plain = JSON.parse(s.ok(['inspect', 'a-run']))[0];
    assert.equal('SizeRw' in plain, false);
    const sized = JSON.parse(s.ok(['inspect', '--size', 'a-run']))[0];
    const keys = Object.keys(sized);
    assert.equal(keys[keys.indexOf('GraphDriver') + 1], 'SizeRw');
    assert.equal(keys[keys.indexOf('GraphDriver') + 2], 'SizeRootFs');
    assert.ok(sized.SizeRw >= 300_000 && sized.SizeRw < 400_000, `SizeRw ${sized.SizeRw}`);
    const image = Number(s.ok(['image', 'inspect', '-f', '{{.Size}}', 'busybox']).trim());
    assert.equal(sized.SizeRootFs, sized.SizeRw + image);
    assert.equal(s.ok(['container', 'inspect', '-s', '-f', '{{.SizeRw}}', 'a-made']).trim(), '0');
    assert.equal(s.run(['image', 'inspect', '-s', 'busybox']).status, 125);
  });
});

describe('completion', () => {
  assertPrivileged();
  const s = storeWithBusybox('complete');
  after(() => {
    s.run(['rm', '-f', 'c-up', 'c-down']);
    s.run(['volume', 'rm', 'c-vol']);
    s.cleanup();
  });
  const env = { ...process.env, CTUI_ROOT: s.root, PATH: `${path.dirname(CTUI)}:${process.env.PATH}` };

  /** Real bash: the script sourced, complete -p, then the completion function driven as readline would. */
  function bashComplete(line: string): string[] {
    const words = line.split(' ');
    const script = [
      'source <(ctui completion bash) || exit 9',
      'complete -p ctui >/dev/null || exit 8',
      `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; COMP_LINE='${line}'; COMP_POINT=${line.length}`,
      '_ctui; printf "%s\\n" "${COMPREPLY[@]}"',
    ].join('\n');
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', script], { env, encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.split('\n').filter(Boolean).sort();
  }

  before(() => {
    s.ok(['run', '-d', '--name', 'c-up', 'busybox', 'sleep', '300']);
    s.ok(['create', '--name', 'c-down', 'busybox', 'true']);
    s.ok(['volume', 'create', 'c-vol']);
  });

  it('bash completes verbs, per-verb flags and flag values, and the names each verb takes', () => {
    assert.deepEqual(bashComplete('ctui sta'), ['start', 'stats']);
    assert.deepEqual(bashComplete('ctui container l'), ['list', 'logs', 'ls']);
    assert.deepEqual(bashComplete('ctui update --memory'), ['--memory', '--memory-reservation', '--memory-swap']);
    assert.deepEqual(bashComplete('ctui run --restart '), ['always', 'no', 'on-failure', 'unless-stopped']);
    assert.deepEqual(bashComplete('ctui stop '), ['c-up']);
    assert.deepEqual(bashComplete('ctui exec '), ['c-up']);
    assert.deepEqual(bashComplete('ctui rm '), ['c-down', 'c-up']);
    assert.deepEqual(bashComplete('ctui start c-'), ['c-down', 'c-up']);
    assert.deepEqual(bashComplete('ctui run -d '), ['busybox:latest']);
    assert.deepEqual(bashComplete('ctui volume rm '), ['c-vol']);
    assert.deepEqual(bashComplete('ctui inspect c'), ['c-down', 'c-up', 'c-vol']);
    assert.deepEqual(bashComplete('ctui container inspect '), ['c-down', 'c-up']);
    assert.deepEqual(bashComplete('ctui image inspect '), ['busybox:latest']);
    assert.deepEqual(bashComplete('ctui completion '), ['bash', 'zsh']);
    // --root before the verb: names come from that store.
    assert.deepEqual(bashComplete(`ctui --root ${s.root} stop c`), ['c-up']);
  });

  it('zsh completes names in a real interactive shell', async () => {
    if (!fs.existsSync('/usr/bin/zsh')) throw new Error('zsh is not installed (apt-get install zsh): the zsh completion test needs it');
    const dir = fs.mkdtempSync(path.join(s.root, 'zdot-'));
    fs.writeFileSync(path.join(dir, '.zshrc'), "autoload -U compinit && compinit -u\nsource <(ctui completion zsh)\nPS1='ZP> '\n");
    const t = new Tmux('zsh');
    try {
      t.open(`env ZDOTDIR=${dir} CTUI_ROOT=${s.root} PATH=${env.PATH} zsh -i`);
      await t.waitFor(/ZP>/, 20_000);
      t.keys('ctui rena', 'Tab');
      await t.waitFor(/ZP> ctui rename\s*$/m, 20_000);
      t.keys('C-u', 'ctui stop ', 'Tab');
      await t.waitFor(/ZP> ctui stop c-up/, 20_000);
    } finally {
      t.kill();
    }
  });
});

describe('errors: user errors and internal ones', () => {
  assertPrivileged();
  const s = storeWithBusybox('errors');
  after(() => s.cleanup());

  it('a bug is told apart: one internal-error line asking for a report, the stack only with --debug', () => {
    const id = s.ok(['create', 'busybox', 'true']).trim();
    // A record ctui cannot make sense of trips over a field it does not guard: a TypeError.
    fs.writeFileSync(path.join(s.root, 'containers', id, 'container.json'), JSON.stringify({ Id: id, Name: 'broken' }));
    const r = s.run(['ps', '-a']);
    assert.equal(r.status, 125);
    assert.match(r.stderr, /^ctui: internal error: TypeError: .+ \(this is a bug in ctui: please report it with the output of `ctui --debug ps -a`\)\n$/);
    const d = s.run(['--debug', 'ps', '-a']);
    assert.equal(d.status, 125);
    const lines = d.stderr.split('\n');
    assert.match(lines[0]!, /^ctui: internal error: TypeError/);
    assert.match(d.stderr, /\n {4}at /);
    // -D after the verb is the container command's own flag: no stack, and kept in the hint.
    const own = s.run(['exec', 'nosuch', 'grep', '-D', 'skip', 'x']);
    assert.equal(own.stderr, 'ctui: No such container: nosuch\n');
  });

  it('user errors say what is wrong in one line, with no errno, temp file or stack', () => {
    const cases: Array<[string[], number, RegExp]> = [
      [['save', '-o', path.join(s.root, 'no', 'dir', 'x.tar'), 'busybox'], 1, /^ctui: cannot write .+x\.tar: the directory .+\/no\/dir does not exist\n$/],
      [['export', '-o', path.join(s.root, 'x.tar'), 'nosuch'], 1, /^ctui: No such container: nosuch\n$/],
      [['run', '--rm', 'busybox', '/nonexistent'], 127, /^ctui: unable to start container process: exec: "\/nonexistent": stat \/nonexistent: no such file or directory\n$/],
      [['import', '/nonexistent.tar'], 125, /^ctui: open \/nonexistent\.tar: no such file or directory\n$/],
      [['update', '--memory', 'lots', 'x'], 1, /^ctui: invalid argument "lots" for "--memory" flag: invalid size: 'lots'\n$/],
      [['--debug', 'rmi', 'nosuch'], 1, /^ctui: No such image: nosuch\n(?:\S.*\n|\s+at .*\n)*$/],
    ];
    for (const [args, code, re] of cases) {
      const r = s.run(args);
      assert.equal(r.status, code, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re, args.join(' '));
      assert.doesNotMatch(r.stderr, /E[A-Z]{3,}:|\.tmp-|internal error/, args.join(' '));
    }
    assert.equal(fs.existsSync(path.join(s.root, 'x.tar')), false);
  });
});
