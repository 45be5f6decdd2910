import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertPrivileged, CTUI, storeWithBusybox, Tmux, tuiPid, waitFor } from './helpers.js';

/**
 * Part 2 of the TUI end to end: the run and commit forms and the full-screen sessions (attach, exec,
 * run -it), with the real `ctui` in tmux 80x24 over real busybox containers. After each session the
 * UI must be back where it was, the next key must reach it, and the terminal's settings must be intact.
 */
describe('the terminal UI: forms and full-screen sessions (tmux 80x24)', () => {
  assertPrivileged();
  const s = storeWithBusybox('tui-session');
  const xdg = fs.mkdtempSync(path.join(s.root, 'xdg-'));
  const ctui = `${process.execPath} ${CTUI}`;
  const t = new Tmux('tuisession');
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const status = (name: string) => s.ok(['inspect', '-f', '{{.State.Status}}', name]).trim();
  const names = () => s.ok(['ps', '-a', '--format', '{{.Names}}']).trim().split('\n').filter(Boolean).sort();
  /** One key at a time, as a person types (a burst would reach the UI as one chunk). */
  const key = async (...k: string[]) => {
    t.keys(...k);
    await sleep(150);
  };
  const text = async (s: string) => key('-l', s);
  const stty = (file: string) => fs.readFileSync(path.join(s.root, file), 'utf8');
  /** Processes whose command line mentions this test's store (ctui itself, runtimes it started). */
  const procs = (match: (cmd: string[], env: string) => boolean) => fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      return match(fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0'), fs.readFileSync(`/proc/${p}/environ`, 'utf8'));
    } catch {
      return false;
    }
  });
  const ctuiPid = () => tuiPid(s.root);

  before(() => {
    t.open(`env -i PATH=/usr/bin:/bin TERM=xterm PS1='outer$ ' CTUI_ROOT=${s.root} XDG_CONFIG_HOME=${xdg}/config XDG_STATE_HOME=${xdg}/state bash --norc --noprofile`, 80, 24);
  });
  after(() => {
    t.kill();
    const ids = s.ok(['ps', '-aq']).trim().split('\n').filter(Boolean);
    if (ids.length) s.run(['rm', '-f', ...ids]);
    s.cleanup();
  });

  it('r on an image runs a detached container from the form and selects it', async () => {
    await t.waitFor(/outer\$/);
    t.type(`stty -a > ${s.root}/before; ${ctui}; r=$?; stty -a > ${s.root}/after; echo tui-rc=$r`);
    await t.waitFor(/2 Containers \(0\)/);
    await key('1');
    await t.waitFor(/REPOSITORY[\s\S]*busybox\s+latest/);
    await key('r');
    await t.waitFor(/Run a container of busybox[\s\S]*image:\s+busybox:latest/);
    await text('web');
    await key('Tab');
    await text('sleep 100000');
    await key('Tab');
    await key('Tab');
    await text('A=1, B=two');
    const form = t.screen();
    assert.match(form, /name:\s+web/);
    assert.match(form, /mode:\s+\(•\) detached/);
    await key('Enter');
    await waitFor(() => names().includes('web') && status('web') === 'running', 15_000);
    const screen = await t.waitFor(/started web \(/);
    assert.match(screen, /CONTAINER ID[\s\S]*web/);
    assert.match(s.ok(['inspect', '-f', '{{json .Config.Env}}', 'web']), /"A=1","B=two"/);
    // Detached is docker's -dit: a terminal and an open stdin, so the image's shell stays up for `a`.
    assert.equal(s.ok(['inspect', '-f', '{{.Config.Tty}} {{.Config.OpenStdin}}', 'web']).trim(), 'true true');
    await key('1');
    await key('r');
    await t.waitFor(/Run a container of busybox/);
    await text('shelly');
    await key('Tab');
    await text('sh');
    await key('Enter');
    await t.waitFor(/started shelly \(/);
    await sleep(1000);
    assert.equal(status('shelly'), 'running', 'busybox\'s sh, started detached from the form, stays up');
    s.ok(['rm', '-f', 'shelly']);
  });

  it('a bad run (no such image) is an error in the status line; esc leaves the UI usable', async () => {
    await key('r');
    await t.waitFor(/Run a container of/);
    await key('BTab');
    await key('C-u');
    await text('nosuch');
    await key('Enter');
    await t.waitFor(/run nosuch: No such image/);
    await key('Escape');
    await sleep(150);
    await t.waitFor(/cancelled: nothing run/);
  });

  it('r interactive: full screen in the new container, ctrl-p ctrl-q back to the UI with it selected', async () => {
    await key('r');
    await t.waitFor(/Run a container of busybox/);
    await text('it1');
    await key('Tab');
    await text('sh');
    await key('Tab');
    await key('Space');
    await t.waitFor(/mode:\s+\( \) detached\s+\(•\) interactive/);
    await key('Enter');
    await t.waitFor(/-- running it1 \(busybox:latest\): ctrl-p ctrl-q detaches --[\s\S]*\/ #/);
    await text('echo inside-$((6*7))');
    await key('Enter');
    await t.waitFor(/inside-42/);
    await key('C-p');
    await key('C-q');
    await t.waitFor(/detached from it1 \(still running\)/);
    assert.equal(status('it1'), 'running');
  });

  it('a: attach full screen; ctrl-c goes to the container, ctrl-p ctrl-q detaches; selection kept; the next key is not lost', async () => {
    // it1 is selected (the form selected it): attach to it.
    await key('a');
    await t.waitFor(/-- attached to it1: ctrl-p ctrl-q detaches --/);
    await key('Enter');
    await text('sleep 30');
    await key('Enter');
    await key('C-c');
    await text('echo after-ctrl-c');
    await key('Enter');
    await t.waitFor(/\n(\/ # )?after-ctrl-c/);
    assert.equal(status('it1'), 'running', 'ctrl-c is a byte for its tty, never a signal from the TUI');
    // Detach and at once ask for the Images pane, in one write: the key typed right after the detach
    // keys (same read) must reach the UI, not the container and not the floor.
    t.keys('C-p', 'C-q', '1');
    await t.waitFor(/REPOSITORY[\s\S]*busybox/);
    await key('2');
    const screen = await t.waitFor(/CONTAINER ID/);
    assert.match(screen, /detached from it1/);
    assert.equal(status('it1'), 'running');
    // The selection is still it1: its name heads the detail pane.
    assert.match(screen, /─+ it1\n/);
  });

  it('e: exec the login shell full screen after an editable prompt; ctrl-t moves the same shell into the pane; exit returns', async () => {
    await key('e');
    await t.waitFor(/exec in it1: \/bin\/sh█/);
    await key('Enter');
    await t.waitFor(/-- \/bin\/sh in it1: exit the shell to return, ctrl-t puts it in the pane --/);
    await text('stty size; KEPT=$0-in-exec');
    await key('Enter');
    await t.waitFor(/\n24 80\n/);
    // ctrl-t: the UI comes back with the same process in the detail pane, beside the list.
    await key('C-t');
    await t.waitFor(/CONTAINER ID[\s\S]*─ \/bin\/sh in it1 ─ ctrl-t full screen/);
    await text('echo $KEPT');
    await key('Enter');
    await t.waitFor(/─ \/bin\/sh in it1 ─[\s\S]*\n\/bin\/sh-in-exec/);
    await text('exit');
    await key('Enter');
    await t.waitFor(/exec \/bin\/sh in it1: exit code 0/);
    assert.equal(status('it1'), 'running');
    // Remembered for the image in the XDG state file.
    const state = JSON.parse(fs.readFileSync(path.join(xdg, 'state', 'ctui', 'tui-state.json'), 'utf8')) as { exec: Record<string, string> };
    assert.equal(state.exec['busybox:latest'], '/bin/sh');
  });

  it('c: the commit form shows the diff summary; enter commits and the image appears', async () => {
    s.ok(['exec', 'it1', 'sh', '-c', 'echo hello > /hello.txt; rm /bin/vi']);
    await key('c');
    const form = await t.waitFor(/Commit it1[\s\S]*1 added, 1 changed, 1 deleted; the layer adds/);
    assert.match(form, /A \/hello\.txt/);
    assert.match(form, /D \/bin\/vi/);
    await text('snap:one');
    await key('Tab');
    await text('from the tui');
    await key('Enter');
    await t.waitFor(/committed snap:one: sha256:/, 20_000);
    assert.match(s.ok(['images', '--format', '{{.Repository}}:{{.Tag}}']), /snap:one/);
    assert.match(s.ok(['inspect', '-f', '{{.Comment}}', 'snap:one']), /from the tui/);
    await key('1');
    await t.waitFor(/snap\s+one/);
    await key('2');
  });

  it('A: the session inside the detail pane (colours, keys), ctrl-t full screen and back, the list live beside it', async () => {
    await key('A');
    await t.waitFor(/─ it1 \(attached\) ─ ctrl-t full screen/);
    await text('echo in-pane-$((2*21))');
    await key('Enter');
    await t.waitFor(/in-pane-42/);
    // Colours come through the headless terminal: busybox ls colours directories.
    await text('ls --color=always /');
    await key('Enter');
    await sleep(500);
    assert.match(t.cmd('capture-pane', '-p', '-e', '-t', 'tuisession'), /\x1b\[[0-9;]*34m[^\n]*bin/);
    // Another process's container shows in the list while the pane has the session.
    s.ok(['run', '-d', '--name', 'beside', 'busybox', 'sleep', '100000']);
    await t.waitFor(/beside[\s\S]*─ it1 \(attached\)/);
    await key('C-t');
    await t.waitFor(/-- it1 full screen: ctrl-t back to the pane --/);
    await text('echo full-$((3*3))');
    await key('Enter');
    await t.waitFor(/full-9/);
    await key('C-t');
    await t.waitFor(/─ it1 \(attached\) ─/);
    await text('echo back-in-pane');
    await key('Enter');
    await t.waitFor(/\nback-in-pane/);
    await key('C-p');
    await key('C-q');
    await t.waitFor(/detached from it1 \(still running\)/);
    assert.equal(status('it1'), 'running');
  });

  it('E: exec inside the pane beside the live list; ctrl-t takes the same shell full screen and back; exit and the detach keys end it', async () => {
    const shells = () => s.ok(['top', 'it1']).split('\n').filter((l) => /\/bin\/sh\s*$/.test(l)).length;
    const before = shells();
    await key('E');
    await t.waitFor(/exec in it1 \(in the pane\): \/bin\/sh█/);
    await key('Enter');
    await t.waitFor(/─ \/bin\/sh in it1 ─ ctrl-t full screen  ctrl-p ctrl-q close/);
    await text('echo pane-exec-$((5*5)); stty size');
    await key('Enter');
    const pane = await t.waitFor(/pane-exec-25\n(\d+) (\d+)/);
    const [, rows, cols] = /pane-exec-25\n(\d+) (\d+)/.exec(pane)!;
    assert.equal(Number(cols), 80, 'the pane is the terminal\'s width');
    assert.ok(Number(rows) > 3 && Number(rows) < 24, `the pane's height, not the terminal's (${rows})`);
    assert.equal(shells(), before + 1, 'the exec runs in the container');
    // The list stays live beside it.
    s.ok(['run', '-d', '--name', 'beside2', 'busybox', 'sleep', '100000']);
    await t.waitFor(/beside2[\s\S]*─ \/bin\/sh in it1 ─/);
    // The same process full screen (its variables kept), the terminal's size, and back.
    await text('MARK=same-shell');
    await key('Enter');
    await key('C-t');
    await sleep(500);
    await text('stty size; echo full-$MARK');
    await key('Enter');
    await t.waitFor(/24 80\n[\s\S]*full-same-shell/);
    await key('C-t');
    await t.waitFor(/\/bin\/sh in it1 back in the pane/);
    await text('echo again-$MARK');
    await key('Enter');
    await t.waitFor(/─ \/bin\/sh in it1 ─[\s\S]*\nagain-same-shell/);
    await text('exit 5');
    await key('Enter');
    await t.waitFor(/exec \/bin\/sh in it1: exit code 5/);
    assert.equal(shells(), before);
    // The detach keys close it: its terminal hangs up, the shell goes.
    await key('E');
    await t.waitFor(/\(in the pane\): \/bin\/sh█/);
    await key('Enter');
    await t.waitFor(/─ \/bin\/sh in it1 ─/);
    await waitFor(() => shells() === before + 1, 5000);
    await key('C-p');
    await key('C-q');
    await t.waitFor(/closed \/bin\/sh in it1 \(its terminal hung up\)/);
    await waitFor(() => shells() === before, 5000);
    // A command that cannot start says why in the status line; the UI stays usable.
    await key('E');
    await t.waitFor(/\(in the pane\): \/bin\/sh█/);
    for (let i = 0; i < 7; i++) await key('BSpace');
    await text('no-such-cmd');
    await key('Enter');
    await t.waitFor(/exec in it1: "no-such-cmd": executable file not found/);
    assert.equal(status('it1'), 'running');
    s.ok(['rm', '-f', 'beside2']);
  });

  it('q at the end: stty -a unchanged after all the sessions', async () => {
    await key('q');
    await t.waitFor(/tui-rc=0/);
    await sleep(200);
    assert.equal(stty('after'), stty('before'));
  });

  it('SIGTERM to ctui while attached leaves the terminal intact and the container running', async () => {
    t.type(`clear; stty -a > ${s.root}/b2; ${ctui}; r=$?; stty -a > ${s.root}/a2; echo tui2-rc=$r`);
    await t.waitFor(/CONTAINER ID[\s\S]*it1/);
    await sleep(300);
    await key('g');
    await key('a');
    await t.waitFor(/-- attached to /);
    const pid = tuiPid(s.root);
    assert.ok(pid, 'the ctui process');
    process.kill(pid!, 'SIGTERM');
    await t.waitFor(/tui2-rc=143/);
    await sleep(200);
    assert.equal(stty('a2'), stty('b2'));
    assert.equal(status('it1'), 'running');
  });

  it('SIGTERM to ctui during a full-screen exec: no runtime left on the terminal, stty unchanged', async () => {
    t.type(`clear; stty -a > ${s.root}/b3; ${ctui}; r=$?; stty -a > ${s.root}/a3; echo tui3-rc=$r`);
    await t.waitFor(/CONTAINER ID[\s\S]*it1/);
    await sleep(300);
    await key('/');
    await text('it1');
    await key('Enter');
    await key('e');
    await t.waitFor(/exec in it1: /);
    await key('Enter');
    await t.waitFor(/-- \S+ in it1: exit the shell to return, ctrl-t puts it in the pane --/);
    await sleep(300);
    const pid = ctuiPid();
    assert.ok(pid, 'the ctui process');
    process.kill(pid!, 'SIGTERM');
    await t.waitFor(/tui3-rc=143/);
    await sleep(300);
    assert.equal(stty('a3'), stty('b3'));
    assert.deepEqual(procs((cmd) => cmd.some((c) => c.startsWith(s.root)) && cmd.includes('exec')), [], 'no exec runtime left behind');
    assert.equal(status('it1'), 'running');
  });
});
