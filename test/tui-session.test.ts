import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertPrivileged, tuiScene, tuiPid, waitFor } from './helpers.js';

/**
 * Part 2 of the TUI end to end: the run and commit forms and the full-screen sessions (attach, exec,
 * run -it), with the real `ctui` in tmux 80x24 over real busybox containers. After each session the
 * UI must be back where it was, the next key must reach it, and the terminal's settings must be intact.
 */
describe('the terminal UI: forms and full-screen sessions (tmux 80x24)', () => {
  assertPrivileged();
  const scene = tuiScene('tui-session', 'tuisession');
  const { s, t, ctui, sleep, status, names } = scene;
  const xdg = fs.mkdtempSync(path.join(s.root, 'xdg-'));
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
    scene.shell(`XDG_CONFIG_HOME=${xdg}/config XDG_STATE_HOME=${xdg}/state`);
  });
  after(() => scene.close());

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

  it('a: attach full screen; ctrl-c goes to the container, ctrl-p ctrl-q detaches; selection kept; a key typed with the detach keys is dropped, the next one reaches the UI', async () => {
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
    // Detach and at once a 1, in one write: typed during the session, it is neither the container's
    // nor the UI's (it would switch panes; an s would stop the container). The next key is the UI's.
    t.keys('C-p', 'C-q', '1');
    await t.waitFor(/detached from it1 \(still running\)/);
    await sleep(500);
    assert.match(t.screen(), /CONTAINER ID/, 'the 1 typed with the detach keys is dropped');
    await key('1');
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
    await t.waitFor(/CONTAINER ID[\s\S]*─ \/bin\/sh in it1 ─ ctrl-p ctrl-q close  ctrl-t full screen/);
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
    await t.waitFor(/─ it1 \(attached\) ─ ctrl-p ctrl-q detach  ctrl-t full screen/);
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
    await t.waitFor(/─ \/bin\/sh in it1 ─ ctrl-p ctrl-q close  ctrl-t full screen  ctrl-g list/);
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

/**
 * Part 3: sessions on containers without a tty, the pane and the full screen, and the focus moving
 * between a pane session and the list. After a session ends no key typed during it may reach the UI.
 */
describe('the terminal UI: sessions without a tty, ctrl-t and the focus key (tmux 80x24)', () => {
  assertPrivileged();
  const scene = tuiScene('tui-notty', 'tuinotty');
  const { s, t, ctui, sleep, status } = scene;
  const xdg = fs.mkdtempSync(path.join(s.root, 'xdg-'));
  const key = async (...k: string[]) => {
    t.keys(...k);
    await sleep(150);
  };
  const text = async (s: string) => key('-l', s);
  const stty = (file: string) => fs.readFileSync(path.join(s.root, file), 'utf8');
  /** The screen's lines with their escape sequences (colours, inverse), as tmux holds them. */
  const styled = () => t.cmd('capture-pane', '-p', '-e', '-t', 'tuinotty');
  /** Selects a container by its name: the filter keeps only it. */
  const select = async (name: string) => {
    await key('/');
    await t.waitFor(/\n\/█  \(enter keeps it/);
    await text(name);
    await t.waitFor(new RegExp(`\\n/${name}█`));
    await key('Enter');
    await t.waitFor(new RegExp(`/${name}: 1 of`));
  };
  /** Back to the full list (esc clears the filter). */
  const unfilter = async () => {
    await key('Escape');
    await t.waitFor(/3 Volumes \(\d+\)\s*\n/);
  };
  /** A TUI of its own for each test (one that failed midway is ended first, so the next starts clean). */
  const startTui = async (tag: string, keysJson?: string) => {
    const keys = path.join(xdg, 'config', 'ctui', 'keys.json');
    if (keysJson) fs.writeFileSync(keys, keysJson);
    else fs.rmSync(keys, { force: true });
    // A test that failed midway may have stopped one (s reaching the UI is what one of them tests).
    for (const n of ['notty', 'ticker', 'tty1']) if (status(n) !== 'running') s.ok(['start', n]);
    const left = tuiPid(s.root);
    if (left) {
      process.kill(left, 'SIGTERM');
      await waitFor(() => tuiPid(s.root) === undefined, 5000);
      await sleep(300);
    }
    t.type(`clear; stty -a > ${s.root}/b-${tag}; ${ctui}; r=$?; stty -a > ${s.root}/a-${tag}; echo ${tag}-rc=$r`);
    await t.waitFor(/CONTAINER ID[\s\S]*notty/, 15_000);
    await sleep(300);
  };
  const quitTui = async (tag: string) => {
    await key('q');
    await t.waitFor(new RegExp(`${tag}-rc=0`));
    await sleep(200);
    assert.equal(stty(`a-${tag}`), stty(`b-${tag}`), 'stty -a as before the TUI');
  };

  before(() => {
    // Without a tty, with stdin open: a line in, a line out.
    s.ok(['run', '-d', '-i', '--name', 'notty', 'busybox', 'sh', '-c', 'while read l; do echo got:$l; done']);
    // Without a tty and without input: two lines every half second (bare LFs).
    s.ok(['run', '-d', '--name', 'ticker', 'busybox', 'sh', '-c', 'while true; do echo tick-a; echo tick-b; sleep 0.5; done']);
    s.ok(['run', '-d', '-it', '--name', 'tty1', 'busybox', 'sh']);
    fs.mkdirSync(path.join(xdg, 'config', 'ctui'), { recursive: true });
    scene.shell(`XDG_CONFIG_HOME=${xdg}/config XDG_STATE_HOME=${xdg}/state`);
  });
  after(() => scene.close());

  it('a on a container without a tty: the typed line is shown once and sent on enter; ctrl-p ctrl-q detach at once; nothing leaks to the UI', async () => {
    await t.waitFor(/outer\$/);
    await startTui('t1');
    await select('notty');
    await key('a');
    await t.waitFor(/-- attached to notty: ctrl-p ctrl-q detaches/);
    await text('hello');
    await key('Enter');
    const screen = await t.waitFor(/got:hello/);
    // Echoed once by ctui itself (the container has no tty to echo), then the container's answer.
    assert.match(screen, /\nhello\ngot:hello\n/);
    // Erasing works on the line before it is sent.
    await text('abcx');
    await key('BSpace');
    await key('Enter');
    await t.waitFor(/got:abc\n/);
    // ctrl-p alone is held (it may start the detach keys), never echoed as ^P.
    await key('C-p');
    assert.doesNotMatch(t.screen(), /\^P/);
    await key('C-q');
    await t.waitFor(/detached from notty \(still running\)/);
    assert.equal(status('notty'), 'running');
    // The UI has the keys again: the next one moves to the Images pane.
    await key('1');
    await t.waitFor(/REPOSITORY[\s\S]*busybox/);
    await key('2');
    await t.waitFor(/CONTAINER ID/);
    await quitTui('t1');
  });

  it('ctrl-c detaches from a container without a tty (as its banner says); the container runs on', async () => {
    await startTui('t1b');
    await select('notty');
    await key('a');
    await t.waitFor(/-- attached to notty: .*ctrl-c detaches too/);
    await text('again');
    await key('Enter');
    await t.waitFor(/got:again/);
    await key('C-c');
    await t.waitFor(/detached from notty \(still running\)/);
    assert.equal(status('notty'), 'running');
    await quitTui('t1b');
  });

  it('custom detach keys (keys.json ctrl-x,x): they detach at once; s and enter typed with them never reach the UI', async () => {
    await startTui('t2', '{"detachKeys": "ctrl-x,x"}');
    await select('notty');
    await key('a');
    await t.waitFor(/-- attached to notty: ctrl-x x detaches/);
    await text('one');
    await key('Enter');
    await t.waitFor(/got:one/);
    // The detach keys, then s (stop, in the UI) and enter, in one write, as a fast typist would.
    t.keys('C-x', 'x', 's', 'Enter');
    await t.waitFor(/detached from notty \(still running\)/);
    await sleep(1500);
    assert.equal(status('notty'), 'running', 's typed in the session must not stop the container');
    assert.doesNotMatch(t.screen(), /stopp/);
    // A full-screen attach to a tty container with a key typed right after the detach keys: dropped too.
    await unfilter();
    await select('tty1');
    await key('a');
    await t.waitFor(/-- attached to tty1: ctrl-x x detaches --/);
    await key('Enter');
    t.keys('C-x', 'x', '1');
    await t.waitFor(/detached from tty1 \(still running\)/);
    await sleep(500);
    assert.match(t.screen(), /CONTAINER ID/, 'the 1 typed with the detach keys is not a UI key');
    assert.equal(status('tty1'), 'running');
    await unfilter();
    // The same in the pane, without a tty and with one.
    for (const name of ['notty', 'tty1']) {
      await select(name);
      await key('A');
      await t.waitFor(new RegExp(`─ ${name} \\(attached\\) ─ ctrl-x x detach`));
      t.keys('C-x', 'x', 's', 'Enter');
      await t.waitFor(new RegExp(`detached from ${name} \\(still running\\)`));
      await sleep(1500);
      assert.equal(status(name), 'running', `s typed in the pane's session must not stop ${name}`);
      await unfilter();
    }
    await quitTui('t2');
  });

  it('A on a container without a tty: every line starts at column 0 in the pane; a typed line goes in on enter', async () => {
    await startTui('t3');
    await select('ticker');
    await key('A');
    await t.waitFor(/─ ticker \(attached\) ─/);
    const pane = await t.waitFor(/tick-a\s*\n\s*tick-b\s*\n\s*tick-a/);
    // No staircase: each line of the pane (below its title) begins at the left edge.
    const body = pane.split('─ ticker (attached) ─')[1]!.split('\n').slice(1).filter((l) => /tick-/.test(l));
    assert.ok(body.length >= 3, pane);
    for (const l of body) assert.match(l, /^tick-[ab]\s*$/, `a line at column 0:\n${pane}`);
    await key('C-p');
    await key('C-q');
    await t.waitFor(/detached from ticker \(still running\)/);
    await unfilter();
    await select('notty');
    await key('A');
    await t.waitFor(/─ notty \(attached\) ─/);
    await text('in-pane');
    await key('Enter');
    const p2 = await t.waitFor(/got:in-pane/);
    assert.match(p2, /\nin-pane\s*\ngot:in-pane/);
    await key('C-p');
    await key('C-q');
    await t.waitFor(/detached from notty \(still running\)/);
    assert.equal(status('notty'), 'running');
    await quitTui('t3');
  });

  it('ctrl-t from the pane: the banner and the pane\'s screen full screen; ctrl-t back: the pane shows what is on screen now (attach and exec)', async () => {
    await startTui('t4');
    await select('tty1');
    await key('A');
    await t.waitFor(/─ tty1 \(attached\) ─/);
    await text('echo mark-$((1+1))');
    await key('Enter');
    await t.waitFor(/\nmark-2/);
    await key('C-t');
    // What the pane showed, below the banner.
    await t.waitFor(/-- tty1 full screen: ctrl-t back to the pane --\n[\s\S]*\nmark-2/);
    await text('echo now-$((2+1))');
    await key('Enter');
    await t.waitFor(/\nnow-3/);
    await key('C-t');
    const back = await t.waitFor(/─ tty1 \(attached\) ─[\s\S]*\nnow-3/);
    assert.match(back, /tty1 back in the pane/);
    await key('C-p');
    await key('C-q');
    await t.waitFor(/detached from tty1 \(still running\)/);
    // The same with an exec in the pane.
    await key('E');
    await t.waitFor(/\(in the pane\): \/bin\/sh█/);
    await key('Enter');
    await t.waitFor(/─ \/bin\/sh in tty1 ─/);
    await text('echo ex-$((4+4))');
    await key('Enter');
    await t.waitFor(/\nex-8/);
    await key('C-t');
    await t.waitFor(/-- \/bin\/sh in tty1 full screen: ctrl-t back to the pane --\n[\s\S]*\nex-8/);
    await text('echo ex-now-$((5+5))');
    await key('Enter');
    await t.waitFor(/\nex-now-10/);
    await key('C-t');
    await t.waitFor(/─ \/bin\/sh in tty1 ─[\s\S]*\nex-now-10/);
    await text('exit');
    await key('Enter');
    await t.waitFor(/exec \/bin\/sh in tty1: exit code 0/);
    await quitTui('t4');
  });

  it('ctrl-g: from a pane session to the list (the session runs on, list keys work), enter gives it the keys again; a full-screen attach from the list leaves it waiting in the pane', async () => {
    await startTui('t5');
    await select('tty1');
    await unfilter(); // the cursor stays on tty1 in the whole list
    assert.match(styled(), /\x1b\[(?:[0-9;]*;)?7m[^\n]*tty1/, 'tty1 selected');
    await key('E');
    await t.waitFor(/\(in the pane\): \/bin\/sh█/);
    await key('Enter');
    const pane = await t.waitFor(/─ \/bin\/sh in tty1 ─ ctrl-p ctrl-q close  ctrl-t full screen  ctrl-g list/);
    assert.match(pane, /ctrl-g list/);
    // Output that comes while the list has the keys: the session keeps drawing in the pane.
    await text('(sleep 2; echo later-$((7*6))) &');
    await key('Enter');
    await key('C-g');
    await t.waitFor(/─ \/bin\/sh in tty1 ─ enter: focus the session/);
    // The list has the keys: j/k move its cursor (the inverse row), and reach nobody else.
    const row = () => /\x1b\[(?:[0-9;]*;)?7m[^\n]*?(notty|ticker|tty1)/.exec(styled())?.[1];
    const first = row();
    assert.ok(first, `a selected row:\n${styled()}`);
    await key('j');
    await sleep(300);
    if (row() === first) await key('k'); // it was the last row
    await waitFor(() => row() !== first, 3000);
    await t.waitFor(/─ \/bin\/sh in tty1 ─ enter: focus the session[\s\S]*later-42/, 8000);
    await key('Enter');
    await t.waitFor(/─ \/bin\/sh in tty1 ─ ctrl-p ctrl-q close  ctrl-t full screen/);
    await text('echo after-$((3*3))');
    await key('Enter');
    const after = await t.waitFor(/\nafter-9/);
    assert.doesNotMatch(after, /\/ # [jk]/, 'j/k went to the list, not the shell');
    // The same key on the list gives the focus back too.
    await text('KEPT=same-$((2*4))');
    await key('Enter');
    await key('C-g');
    await t.waitFor(/enter: focus the session/);
    await key('C-g');
    await t.waitFor(/─ \/bin\/sh in tty1 ─ ctrl-p ctrl-q close  ctrl-t full screen/);
    // From the list, a full-screen attach elsewhere: the pane's shell waits and is there afterwards,
    // the list keeping the keys. Another exec in the pane is refused meanwhile (it would hang this one up).
    await key('C-g');
    await t.waitFor(/enter: focus the session/);
    await select('notty');
    await key('E');
    await t.waitFor(/\(in the pane\): \/bin\/sh█/);
    await key('Enter');
    await t.waitFor(/the pane has \/bin\/sh in tty1: end it first/);
    await key('a');
    await t.waitFor(/-- attached to notty:/);
    await text('meanwhile');
    await key('Enter');
    await t.waitFor(/got:meanwhile/);
    await key('C-p');
    await key('C-q');
    await t.waitFor(/detached from notty \(still running\)[\s\S]*/);
    await t.waitFor(/─ \/bin\/sh in tty1 ─ enter: focus the session/);
    await unfilter();
    await key('Enter');
    await t.waitFor(/─ \/bin\/sh in tty1 ─ ctrl-p ctrl-q close  ctrl-t full screen/);
    await text('echo $KEPT');
    await key('Enter');
    await t.waitFor(/\nsame-8/);
    await text('exit');
    await key('Enter');
    await t.waitFor(/exec \/bin\/sh in tty1: exit code 0/);
    await quitTui('t5');
  });
});
