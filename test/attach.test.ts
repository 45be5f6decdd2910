import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { assertPrivileged, CTUI, CTUI_JS, storeWithBusybox, Tmux } from './helpers.js';

/** attach and exec in a real terminal (tmux), as a person would use them. */
describe('attach and exec through a real terminal', () => {
  assertPrivileged();
  const s = storeWithBusybox('attach');
  const ctui = CTUI;
  const t = new Tmux('t');
  const type = (text: string) => t.type(text);
  const screenMatches = (re: RegExp) => t.waitFor(re);
  after(() => {
    t.kill();
    s.run(['rm', '-f', ...s.ok(['ps', '-aq']).trim().split('\n').filter(Boolean)]);
    s.cleanup();
  });

  it('attach, type, detach with ctrl-p ctrl-q: the container runs on and the terminal is as it was', async () => {
    s.ok(['run', '-d', '-it', '--name', 'shell', 'busybox', 'sh']);
    t.open(`env -i PATH=/usr/bin:/bin TERM=xterm PS1='outer$ ' CTUI_ROOT=${s.root} bash --norc --noprofile`);
    await screenMatches(/outer\$/);
    type(`stty -a > ${s.root}/before; ${ctui} attach shell`);
    await new Promise((r) => setTimeout(r, 800));
    type('echo attached-$((20+22)); stty size');
    await screenMatches(/attached-42\n30 100/);
    t.keys('C-p', 'C-q');
    await screenMatches(/outer\$\s*$/);
    type(`echo rc=$?; stty -a > ${s.root}/after`);
    await screenMatches(/rc=0/);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(fs.readFileSync(path.join(s.root, 'after'), 'utf8'), fs.readFileSync(path.join(s.root, 'before'), 'utf8'));
    assert.equal(s.ok(['inspect', '-f', '{{.State.Status}}', 'shell']).trim(), 'running');
    assert.match(s.ok(['logs', 'shell']), /attached-42/);
  });

  it('a SIGTERM to the attached ctui gives the terminal back intact and leaves the container running', async () => {
    type(`stty -a > ${s.root}/before2; ${ctui} attach shell`);
    await new Promise((r) => setTimeout(r, 800));
    const pids = spawnSync('pgrep', ['-f', `${CTUI_JS} attach shell`], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean);
    assert.ok(pids.length >= 1, 'the attached ctui is running');
    for (const p of pids) process.kill(Number(p), 'SIGTERM');
    await screenMatches(/outer\$\s*$/);
    type(`stty -a > ${s.root}/after2`);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(fs.readFileSync(path.join(s.root, 'after2'), 'utf8'), fs.readFileSync(path.join(s.root, 'before2'), 'utf8'));
    assert.equal(s.ok(['inspect', '-f', '{{.State.Status}}', 'shell']).trim(), 'running');
  });

  it('two attachers see the same output', async () => {
    const other = s.spawn(['attach', '--no-stdin', 'shell']);
    let seen = '';
    other.stdout.on('data', (d: Buffer) => (seen += d.toString()));
    await new Promise((r) => setTimeout(r, 500));
    type(`${ctui} attach shell`);
    await new Promise((r) => setTimeout(r, 800));
    type('echo both-see-$((6*7))');
    await screenMatches(/both-see-42/);
    await new Promise((r) => setTimeout(r, 300));
    assert.match(seen, /both-see-42/);
    other.kill();
    t.keys('C-p', 'C-q');
    await screenMatches(/outer\$\s*$/);
  });

  it('exec -it is a real shell in the container; its exit code comes back', async () => {
    type(`${ctui} exec -it shell sh`);
    await new Promise((r) => setTimeout(r, 800));
    type('tty; echo pid1=$(cat /proc/1/comm); exit 7');
    await screenMatches(/\/dev\/pts\/\d+\npid1=sh/);
    type('echo exec-rc=$?');
    await screenMatches(/exec-rc=7/);
  });

  it('exec without a tty: output, exit codes, -e -w -u', () => {
    assert.equal(s.ok(['exec', '-e', 'X=1', '-w', '/tmp', '-u', 'user', 'shell', 'sh', '-c', 'echo $X $(pwd) $(id -un) $HOME']), '1 /tmp user /home/user\n');
    assert.equal(s.run(['exec', 'shell', 'sh', '-c', 'exit 3']).status, 3);
    assert.equal(s.run(['exec', 'shell', 'nosuchcmd']).status, 127);
    assert.equal(s.run(['exec', 'shell', '/etc/passwd']).status, 126);
    // the same pid namespace, capabilities and seccomp as the container
    assert.match(s.ok(['exec', 'shell', 'ps']), /\s1 root\s+.*sh/);
    assert.match(s.ok(['exec', 'shell', 'grep', 'Seccomp:', '/proc/self/status']), /Seccomp:\s+2/);
    assert.match(s.ok(['exec', 'shell', 'grep', 'CapEff', '/proc/self/status']), /00000000a80425fb/);
    s.ok(['exec', '-d', 'shell', 'sh', '-c', 'sleep 0.2; touch /tmp/detached']);
    spawnSync('sleep', ['0.6']);
    assert.equal(s.run(['exec', 'shell', 'test', '-f', '/tmp/detached']).status, 0);
  });
});
