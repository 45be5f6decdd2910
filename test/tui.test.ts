import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertPrivileged, CTUI, storeWithBusybox, Tmux, tuiPid, waitFor } from './helpers.js';

/**
 * The real `ctui` binary in a real terminal (tmux, 80x24) over real busybox containers: what a person
 * does with the TUI, checked through the screen and through the CLI.
 */
describe('the terminal UI, end to end (tmux 80x24)', () => {
  assertPrivileged();
  const s = storeWithBusybox('tui');
  const cfg = fs.mkdtempSync(path.join(s.root, 'xdg-'));
  const ctui = `${process.execPath} ${CTUI}`;
  const t = new Tmux('tui');
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const status = (name: string) => s.ok(['inspect', '-f', '{{.State.Status}}', name]).trim();
  const names = () => s.ok(['ps', '-a', '--format', '{{.Names}}']).trim().split('\n').filter(Boolean).sort();
  /** Esc then another key at once reads as alt-key to any terminal program: give it a moment alone. */
  const esc = async () => {
    t.keys('Escape');
    await sleep(250);
  };
  const filter = async (text: string) => {
    t.keys('/');
    await sleep(100);
    t.keys('-l', text);
    t.keys('Enter');
    await sleep(300);
  };

  before(() => {
    // A stop of 3 s: the test presses q while it waits, and under load reading its state takes a while.
    s.ok(['run', '-d', '--stop-timeout', '3', '--name', 'alpha', 'busybox', 'sleep', '100000']);
    s.ok(['create', '--name', 'beta', 'busybox', 'true']);
    s.ok(['volume', 'create', 'vol1']);
    t.open(`env -i PATH=/usr/bin:/bin TERM=xterm PS1='outer$ ' CTUI_ROOT=${s.root} XDG_CONFIG_HOME=${cfg} bash --norc --noprofile`, 80, 24);
  });
  after(() => {
    t.kill();
    const ids = s.ok(['ps', '-aq']).trim().split('\n').filter(Boolean);
    if (ids.length) s.run(['rm', '-f', ...ids]);
    s.cleanup();
  });

  it('opens full screen on the Containers pane; panes switch with 1 2 3 and tab', async () => {
    await t.waitFor(/outer\$/);
    t.type(`stty -a > ${s.root}/before; ${ctui}; r=$?; stty -a > ${s.root}/after; echo tui-rc=$r`);
    await t.waitFor(/2 Containers \(2\)[\s\S]*CONTAINER ID[\s\S]*alpha/);
    t.keys('1');
    await t.waitFor(/REPOSITORY[\s\S]*busybox\s+latest/);
    t.keys('3');
    await t.waitFor(/VOLUME NAME[\s\S]*vol1/);
    t.keys('Tab');
    await t.waitFor(/REPOSITORY/);
    t.keys('2');
    await t.waitFor(/CONTAINER ID/);
  });

  it('a container started in another process appears within a second', async () => {
    s.ok(['run', '-d', '--stop-timeout', '1', '--name', 'outsider', 'busybox', 'sleep', '100000']);
    const t0 = Date.now();
    await t.waitFor(/outsider/, 1000);
    assert.ok(Date.now() - t0 <= 1000);
  });

  it('/ filters the list by a substring; esc clears it', async () => {
    await filter('outs');
    const screen = await t.waitFor(/\/outs: 1 of 3/);
    assert.match(screen, /outsider/);
    assert.doesNotMatch(screen, /alpha|beta/);
    await esc();
    await t.waitFor(/alpha[\s\S]*|beta/);
    assert.match(t.screen(), /outsider/);
  });

  it('s stops and starts the selected container; q while the stop waits asks for a second q', async () => {
    await filter('alpha');
    t.keys('s');
    await sleep(300);
    if (status('alpha') === 'running') {
      // An action is under way: quitting asks first.
      t.keys('q');
      await t.waitFor(/still busy: q again quits, leaving the rest of it undone/);
    }
    await waitFor(() => status('alpha') === 'exited', 15_000);
    await t.waitFor(/stopped alpha/);
    t.keys('s');
    await waitFor(() => status('alpha') === 'running', 10_000);
    await t.waitFor(/started alpha/);
    await esc();
  });

  it('marks (space) and a bulk stop', async () => {
    s.ok(['run', '-d', '--stop-timeout', '1', '--name', 'bulk1', 'busybox', 'sleep', '100000']);
    s.ok(['run', '-d', '--stop-timeout', '1', '--name', 'bulk2', 'busybox', 'sleep', '100000']);
    await filter('bulk');
    await t.waitFor(/\/bulk: 2 of/);
    t.keys('Space');
    await t.waitFor(/1 marked/);
    t.keys('Space');
    await t.waitFor(/2 marked/);
    t.keys('s');
    await waitFor(() => status('bulk1') === 'exited' && status('bulk2') === 'exited', 20_000);
    await t.waitFor(/stopped 2 containers: bulk\d, bulk\d/);
    await esc();
    await esc();
  });

  it('d removes after a confirmation that names the container', async () => {
    await filter('beta');
    t.keys('d');
    await t.waitFor(/Remove 1 container\?[\s\S]*beta/);
    t.keys('Enter');
    await waitFor(() => !names().includes('beta'), 10_000);
    await t.waitFor(/removed beta; reclaimed \d/);
    await esc();
  });

  it('p prunes what stays ticked: untick one, the other goes', async () => {
    const stopped = s.ok(['ps', '-a', '--filter', 'status=exited', '--format', '{{.Names}}']).trim().split('\n').filter(Boolean);
    assert.deepEqual(stopped.sort(), ['bulk1', 'bulk2']);
    t.keys('p');
    const screen = await t.waitFor(/Prune stopped containers\?[\s\S]*2 of 2 ticked/);
    const first = /\[x\] (bulk\d)/.exec(screen)![1]!;
    t.keys('Space');
    await t.waitFor(/1 of 2 ticked/);
    t.keys('Enter');
    const other = first === 'bulk1' ? 'bulk2' : 'bulk1';
    await waitFor(() => !names().includes(other), 10_000);
    assert.ok(names().includes(first), `${first} was unticked and must stay`);
    await t.waitFor(new RegExp(`pruned ${other}; reclaimed \\d`));
  });

  it('? shows the help generated from the keymap; esc closes it', async () => {
    t.keys('?');
    await t.waitFor(/Keys \(1-\d+ of \d+[\s\S]*next pane/);
    await esc();
    await t.waitFor(/CONTAINER ID/);
  });

  it('q quits: the shell is back and the terminal settings are as they were', async () => {
    t.keys('q');
    await t.waitFor(/tui-rc=0/);
    await sleep(200);
    assert.equal(fs.readFileSync(path.join(s.root, 'after'), 'utf8'), fs.readFileSync(path.join(s.root, 'before'), 'utf8'));
  });

  it('a key remapped in $XDG_CONFIG_HOME/ctui/keys.json works ({"stop": ["x"]}), and s no longer stops', async () => {
    fs.mkdirSync(path.join(cfg, 'ctui'), { recursive: true });
    fs.writeFileSync(path.join(cfg, 'ctui', 'keys.json'), '{"stop": ["x"]}');
    t.type(`clear; ${ctui}; echo tui2-rc=$?`);
    await t.waitFor(/CONTAINER ID[\s\S]*outsider/);
    await filter('outsider');
    t.keys('s');
    await sleep(800);
    assert.equal(status('outsider'), 'running');
    t.keys('x');
    await waitFor(() => status('outsider') === 'exited', 15_000);
    t.keys('q');
    await t.waitFor(/tui2-rc=0/);
  });

  it('a bad keys.json is one clear error in the status line; the defaults stay', async () => {
    fs.writeFileSync(path.join(cfg, 'ctui', 'keys.json'), '{"nosuch": ["x"]}');
    t.type(`clear; ${ctui}; echo tui3-rc=$?`);
    await t.waitFor(/unknown action 'nosuch'; default keys kept/);
    t.keys('q');
    await t.waitFor(/tui3-rc=0/);
  });

  it('SIGTERM restores the terminal too', async () => {
    t.type(`clear; stty -a > ${s.root}/b2; ${ctui}; r=$?; stty -a > ${s.root}/a2; echo tui4-rc=$r`);
    await t.waitFor(/CONTAINER ID/);
    await sleep(500);
    const pid = tuiPid(s.root);
    assert.ok(pid, 'the ctui process');
    process.kill(pid!, 'SIGTERM');
    await t.waitFor(/tui4-rc=143/);
    await sleep(200);
    assert.equal(fs.readFileSync(path.join(s.root, 'a2'), 'utf8'), fs.readFileSync(path.join(s.root, 'b2'), 'utf8'));
  });
});

/**
 * The prune and remove dialogs, the status line's wording and the bulk menu, through the real binary in
 * tmux over a store made for them: a named volume with data beside an anonymous one, a dangling image
 * whose own layer is small beside layers it shares, three running and two stopped containers.
 */
describe('the terminal UI: prune dialogs, status wording, bulk actions (tmux 80x24)', () => {
  assertPrivileged();
  const s = storeWithBusybox('tuiprune');
  const ctui = `${process.execPath} ${CTUI}`;
  const t = new Tmux('tuiprune');
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const status = (name: string) => s.ok(['inspect', '-f', '{{.State.Status}}', name]).trim();
  const names = () => s.ok(['ps', '-a', '--format', '{{.Names}}']).trim().split('\n').filter(Boolean).sort();
  const esc = async () => {
    t.keys('Escape');
    await sleep(250);
  };
  const filter = async (text: string) => {
    t.keys('/');
    await sleep(100);
    t.keys('-l', text);
    t.keys('Enter');
    await sleep(300);
  };
  /** What `ctui image prune -f` says it reclaims, measured on a copy of the store made before the TUI starts. */
  let cliReclaimed = '';

  before(() => {
    // A named volume with data, an anonymous one (the container's -v /anon), neither in use afterwards.
    s.ok(['run', '--name', 'filler', '-v', 'keepme:/d', '-v', '/anon', 'busybox', 'sh', '-c', 'head -c 200000 /dev/zero > /d/f; echo x > /anon/f']);
    s.ok(['rm', 'filler']);
    // one:1 made twice: the first is dangling, with its own 300 kB layer over busybox's (which busybox:latest keeps).
    s.ok(['run', '--name', 'c1', 'busybox', 'sh', '-c', 'head -c 300000 /dev/urandom > /one']);
    s.ok(['commit', 'c1', 'one:1']);
    s.ok(['run', '--name', 'c2', 'busybox', 'sh', '-c', 'head -c 300000 /dev/urandom > /two']);
    s.ok(['commit', 'c2', 'one:1']);
    s.ok(['rm', 'c1', 'c2']);
    const copy = `${s.root}-copy`;
    spawnSync('cp', ['-a', s.root, copy]);
    try {
      const r = spawnSync(CTUI, ['image', 'prune', '-f'], { env: { ...process.env, CTUI_ROOT: copy }, encoding: 'utf8' });
      cliReclaimed = /Total reclaimed space: (\S+)/.exec(r.stdout)?.[1] ?? '';
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
    assert.match(cliReclaimed, /^3\d\d(\.\d+)?kB$/, 'the dangling image has one ~300 kB layer of its own');
    for (const n of ['grp-run1', 'grp-run2', 'grp-run3']) s.ok(['run', '-d', '--stop-timeout', '1', '--name', n, 'busybox', 'sleep', '100000']);
    s.ok(['create', '--name', 'grp-stop1', 'busybox', 'true']);
    s.ok(['run', '--name', 'grp-stop2', 'busybox', 'true']);
    t.open(`env -i PATH=/usr/bin:/bin TERM=xterm PS1='outer$ ' CTUI_ROOT=${s.root} bash --norc --noprofile`, 80, 24);
  });
  after(() => {
    t.kill();
    const ids = s.ok(['ps', '-aq']).trim().split('\n').filter(Boolean);
    if (ids.length) s.run(['rm', '-f', ...ids]);
    s.cleanup();
  });

  it('volume prune ticks the anonymous volume only: the named one with data is listed unticked and stays', async () => {
    await t.waitFor(/outer\$/);
    t.type(`${ctui}; echo tui-rc=$?`);
    await t.waitFor(/CONTAINER ID[\s\S]*grp-run1/);
    t.keys('3');
    await t.waitFor(/VOLUME NAME[\s\S]*keepme/);
    t.keys('p');
    const screen = await t.waitFor(/1 of 2 ticked/);
    assert.match(screen, /Prune.*anonymous/i, 'the title says what goes');
    assert.match(screen, /\[ \] named\s+keepme/);
    assert.match(screen, /\[x\] anonymous\s+[0-9a-f]{12}/);
    t.keys('Enter');
    await t.waitFor(/pruned [0-9a-f]{12}; reclaimed 2B/);
    assert.equal(s.ok(['volume', 'ls', '-q']).trim(), 'keepme');
  });

  it('image prune counts only the layers no kept image uses, follows the ticks, and the result says what was reclaimed', async () => {
    t.keys('1');
    await t.waitFor(/REPOSITORY[\s\S]*one\s+1/);
    t.keys('p');
    // busybox:latest is in use (the grp- containers): the dangling image and one:1 are the candidates.
    let screen = await t.waitFor(/1 of 2 ticked/);
    assert.match(screen, new RegExp(`1 of 2 ticked, ${cliReclaimed.replace('.', '\\.')}\\b`), `what ctui image prune reclaims (${cliReclaimed})`);
    // Ticking one:1 too adds its own layer only: busybox's layers stay with busybox:latest.
    const lines = screen.split('\n');
    const at = lines.findIndex((l) => /\] one:1/.test(l)) - lines.findIndex((l) => /^\[/.test(l));
    for (let i = 0; i < at; i++) {
      t.keys('j');
      await sleep(100);
    }
    t.keys('Space');
    screen = await t.waitFor(/2 of 2 ticked, 6\d\d(\.\d+)?kB/);
    t.keys('Space');
    await t.waitFor(new RegExp(`1 of 2 ticked, ${cliReclaimed.replace('.', '\\.')}\\b`));
    t.keys('Enter');
    await t.waitFor(new RegExp(`pruned <none> \\([0-9a-f]{12}\\); reclaimed ${cliReclaimed.replace('.', '\\.')}`));
    assert.equal(s.ok(['images', '-q', '--filter', 'dangling=true']).trim(), '');
  });

  it('a failed remove says "remove X failed: <reason>"', async () => {
    await filter('busybox');
    t.keys('d');
    await t.waitFor(/Remove 1 image\?/);
    t.keys('Enter');
    // The reason is the engine's, cut at the screen's edge.
    await t.waitFor(/remove busybox:latest failed: conflict: unable to remove repository reference/);
    await esc();
  });

  it('the status line says "stopping X…" while a stop is under way, then "stopped X"', async () => {
    t.keys('2');
    await filter('grp-run1');
    t.keys('s');
    await t.waitFor(/stopping grp-run1…/, 5000);
    await waitFor(() => status('grp-run1') === 'exited', 15_000);
    await t.waitFor(/stopped grp-run1\s*$/m);
    t.keys('s');
    await t.waitFor(/started grp-run1\s*$/m, 10_000);
    await esc();
  });

  it('the bulk menu: "remove all stopped" asks, itemised, and removes only the stopped ones', async () => {
    await filter('grp');
    await t.waitFor(/\/grp: 5 of/);
    t.keys('b');
    const menu = await t.waitFor(/Bulk actions on 5 containers/);
    assert.match(menu, /stop all 3 running/);
    assert.match(menu, /remove all 2 stopped/);
    const lines = menu.split('\n');
    const at = lines.findIndex((l) => /remove all 2 stopped/.test(l)) - lines.findIndex((l) => /stop all 3 running/.test(l));
    for (let i = 0; i < at; i++) {
      t.keys('j');
      await sleep(100);
    }
    t.keys('Enter');
    const ask = await t.waitFor(/Remove 2 containers\?[\s\S]*grp-stop[\s\S]*grp-stop/);
    const body = ask.slice(ask.indexOf('Remove 2 containers?'), ask.indexOf('enter: remove'));
    assert.doesNotMatch(body, /grp-run/, 'running ones are not in it');
    t.keys('Enter');
    await waitFor(() => !names().some((n) => n.startsWith('grp-stop')), 10_000);
    await t.waitFor(/removed 2 containers: grp-stop\d, grp-stop\d/);
    assert.deepEqual(names().filter((n) => n.startsWith('grp-')), ['grp-run1', 'grp-run2', 'grp-run3']);
  });

  it('the bulk menu: "stop all running" stops the three', async () => {
    t.keys('b');
    await t.waitFor(/stop all 3 running/);
    t.keys('Enter');
    await waitFor(() => ['grp-run1', 'grp-run2', 'grp-run3'].every((n) => status(n) === 'exited'), 30_000);
    await t.waitFor(/stopped 3 containers: grp-run\d, grp-run\d, grp-run\d/);
    t.keys('q');
    await t.waitFor(/tui-rc=0/);
  });
});
