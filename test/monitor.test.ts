import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { assertPrivileged, CTUI, storeWithBusybox } from './helpers.js';
import { waitFor } from './helpers.js';

describe('restart policies, healthchecks, events, stats, top, robustness', () => {
  assertPrivileged();
  const s = storeWithBusybox('mon');
  after(() => {
    s.run(['rm', '-f', ...s.ok(['ps', '-aq']).trim().split('\n').filter(Boolean)]);
    s.cleanup();
  });
  const inspect = (name: string, f: string) => s.ok(['inspect', '-f', f, name]).trim();

  it('--restart on-failure:2 restarts twice, then stays exited', async () => {
    s.ok(['run', '-d', '--name', 'flaky', '--restart', 'on-failure:2', 'busybox', 'sh', '-c', 'echo try; exit 3']);
    await waitFor(() => inspect('flaky', '{{.State.Status}}') === 'exited' && inspect('flaky', '{{.RestartCount}}') === '2', 15_000);
    assert.equal(inspect('flaky', '{{.State.ExitCode}}'), '3');
    assert.equal(s.ok(['logs', 'flaky']), 'try\ntry\ntry\n');
  });

  it('--restart always restarts after an exit but not after stop', async () => {
    s.ok(['run', '-d', '--name', 'always', '--restart', 'always', 'busybox', 'sh', '-c', 'sleep 0.3; exit 0']);
    await waitFor(() => Number(inspect('always', '{{.RestartCount}}')) >= 1, 15_000);
    s.ok(['stop', '-t', '1', 'always']);
    const count = inspect('always', '{{.RestartCount}}');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(inspect('always', '{{.State.Status}}'), 'exited');
    assert.equal(inspect('always', '{{.RestartCount}}'), count);
  });

  it('healthchecks go starting -> unhealthy -> healthy and show in ps and inspect', async () => {
    s.ok(['run', '-d', '--name', 'doc', '--health-cmd', 'test -f /tmp/ok', '--health-interval', '200ms', '--health-retries', '2', 'busybox', 'sleep', '100']);
    await waitFor(() => inspect('doc', '{{.State.Health.Status}}') === 'unhealthy', 15_000);
    assert.match(s.ok(['ps', '--filter', 'name=doc', '--format', '{{.Status}}']), /\(unhealthy\)/);
    s.ok(['exec', 'doc', 'touch', '/tmp/ok']);
    await waitFor(() => inspect('doc', '{{.State.Health.Status}}') === 'healthy', 15_000);
    const health = JSON.parse(s.ok(['inspect', '-f', '{{json .State.Health}}', 'doc']));
    assert.equal(health.FailingStreak, 0);
    assert.ok(health.Log.length >= 1 && health.Log.at(-1).ExitCode === 0);
    assert.match(s.ok(['ps', '--filter', 'health=healthy', '--format', '{{.Names}}']), /doc/);
  });

  it('events reports every step as it happens', async () => {
    const ev = s.spawn(['events', '--filter', 'container=evt']);
    let out = '';
    ev.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((r) => setTimeout(r, 300));
    s.ok(['run', '-d', '--name', 'evt', 'busybox', 'sleep', '100']);
    s.ok(['pause', 'evt']);
    s.ok(['unpause', 'evt']);
    s.ok(['stop', '-t', '0', 'evt']);
    s.ok(['rm', 'evt']);
    await waitFor(() => out.includes(' destroy '));
    ev.kill();
    const actions = out.trim().split('\n').map((l) => l.split(' ')[2]);
    for (const a of ['create', 'start', 'pause', 'unpause', 'kill', 'die', 'stop', 'destroy']) assert.ok(actions.includes(a), `${a} in ${actions.join(',')}`);
    assert.match(out, /^\d{4}-\d\d-\d\dT[\d:.]+Z container create [0-9a-f]{64} \(image=busybox, name=evt\)$/m);
    // past events with --since and --until
    const past = s.ok(['events', '--since', '1m', '--until', '0s', '--filter', 'event=destroy']);
    assert.match(past, / container destroy /);
  });

  it('stats --no-stream and top show a running container', () => {
    s.ok(['run', '-d', '--name', 'busy', '-m', '64m', 'busybox', 'sh', '-c', 'while true; do :; done']);
    const stats = s.ok(['stats', '--no-stream', 'busy']).trim().split('\n');
    assert.match(stats[0]!, /^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET I\/O\s+BLOCK I\/O\s+PIDS$/);
    const m = /busy\s+([\d.]+)%\s+[\d.]+\w+ \/ 64MiB/.exec(stats[1]!);
    assert.ok(m, stats[1]);
    assert.ok(Number(m[1]) > 10, `a busy loop uses CPU: ${m[1]}%`);
    const top = s.ok(['top', 'busy']).trim().split('\n');
    assert.match(top[0]!, /PID/);
    assert.ok(top.some((l) => l.includes('while true')));
    s.ok(['rm', '-f', 'busy']);
  });

  it('a monitor killed with -9 never leaves a container "running" forever', async () => {
    const id = s.ok(['run', '-d', '--name', 'orphan', 'busybox', 'sleep', '100']).trim();
    const mon = Number(fs.readFileSync(path.join(s.root, 'containers', id, 'monitor.pid'), 'utf8').split(' ')[0]);
    const pid = Number(inspect('orphan', '{{.State.Pid}}'));
    process.kill(mon, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(inspect('orphan', '{{.State.Status}}'), 'running', 'the container itself is still alive');
    process.kill(pid, 'SIGKILL');
    await waitFor(() => inspect('orphan', '{{.State.Status}}') === 'exited');
    assert.equal(inspect('orphan', '{{.State.ExitCode}}'), '255');
    s.ok(['rm', 'orphan']);
  });

  it('a container killed from outside is seen as exited with its code', async () => {
    s.ok(['run', '-d', '--name', 'victim', 'busybox', 'sleep', '100']);
    process.kill(Number(inspect('victim', '{{.State.Pid}}')), 'SIGKILL');
    await waitFor(() => inspect('victim', '{{.State.Status}}') === 'exited');
    assert.equal(inspect('victim', '{{.State.ExitCode}}'), '137');
  });

  it('stop and rm of many containers from two processes at once lose nothing', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `par${i}`);
    for (const n of names) s.ok(['run', '-d', '--name', n, 'busybox', 'sleep', '100']);
    const half = (list: string[]) => new Promise<number>((resolve) => {
      const c = s.spawn(['rm', '-f', ...list]);
      c.stdout.resume();
      c.stderr.resume();
      c.on('close', (code) => resolve(code ?? 1));
    });
    // Both processes try all of them: every container goes exactly once, the rest is "No such container".
    await Promise.all([half(names), half([...names].reverse())]);
    assert.equal(s.ok(['ps', '-a', '--filter', 'name=par', '-q']).trim(), '');
    assert.deepEqual(fs.readdirSync(path.join(s.root, 'containers')).filter((d) => !s.ok(['ps', '-aq', '--no-trunc']).includes(d)), []);
  });

  it('ctui killed in the middle of run -d leaves no half-made container', async () => {
    for (let i = 0; i < 6; i++) {
      const child = s.spawn(['run', '-d', '--name', `half${i}`, 'busybox', 'sleep', '100']);
      const closed = new Promise((r) => child.on('close', r));
      await new Promise((r) => setTimeout(r, 20 + i * 25));
      child.kill('SIGKILL');
      await closed;
      // Either it does not exist, or it is a whole container that ctui can inspect and remove.
      const r = s.run(['inspect', '-f', '{{.State.Status}}', `half${i}`]);
      if (r.status === 0) s.ok(['rm', '-f', `half${i}`]);
      else assert.match(r.stderr, /No such object|No such container/);
    }
    assert.equal(fs.readdirSync(path.join(s.root, 'tmp')).length, 0);
  });

  it('a stop whose ctui is killed during the grace period still ends the container (the monitor holds the deadline)', async () => {
    // sleep as pid 1 ignores SIGTERM: only the kill after the timeout ends it.
    s.ok(['run', '-d', '--name', 'stubborn', 'busybox', 'sleep', '100000']);
    const stop = s.spawn(['stop', '-t', '2', 'stubborn']);
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(inspect('stubborn', '{{.State.Status}}'), 'running', 'still in its grace period');
    stop.kill('SIGKILL');
    await waitFor(() => inspect('stubborn', '{{.State.Status}}') === 'exited', 6_000);
    assert.equal(inspect('stubborn', '{{.State.ExitCode}}'), '137');
    assert.equal(inspect('stubborn', '{{.RestartCount}}'), '0');
  });

  it('ctui binary path is valid for exit commands', () => {
    assert.ok(fs.existsSync(CTUI));
    assert.equal(spawnSync(CTUI, ['--version']).status, 0);
  });
});
