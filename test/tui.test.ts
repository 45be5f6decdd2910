import assert from 'node:assert/strict';
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
    s.ok(['run', '-d', '--stop-timeout', '1', '--name', 'alpha', 'busybox', 'sleep', '100000']);
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
    await t.waitFor(/Exited \(\d+\)[\s\S]*alpha|stopped: alpha/);
    t.keys('s');
    await waitFor(() => status('alpha') === 'running', 10_000);
    await t.waitFor(/started: alpha/);
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
    await t.waitFor(/stopped: bulk\d, bulk\d/);
    await esc();
    await esc();
  });

  it('d removes after a confirmation that names the container', async () => {
    await filter('beta');
    t.keys('d');
    await t.waitFor(/Remove 1 container\?[\s\S]*beta/);
    t.keys('Enter');
    await waitFor(() => !names().includes('beta'), 10_000);
    await t.waitFor(/removed 1 container: beta/);
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
    await t.waitFor(new RegExp(`pruned 1 container: ${other}`));
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

/** Select Graphic Rendition parameters of every escape sequence on a line captured with -e. */
function sgrParams(line: string): number[][] {
  // eslint-disable-next-line no-control-regex
  return [...line.matchAll(/\x1b\[([0-9;]*)m/g)].map((m) => (m[1] ? m[1].split(';').map(Number) : [0]));
}

/** Colour parameters (foreground, background, bright, 256 and true colour); 39 and 49 reset to the default. */
function colourParams(params: readonly number[]): number[] {
  return params.filter((p) => (p >= 30 && p <= 38) || (p >= 40 && p <= 48) || (p >= 90 && p <= 97) || (p >= 100 && p <= 107));
}

describe("the terminal UI's look, end to end (tmux)", () => {
  assertPrivileged();
  const s = storeWithBusybox('tui-look');
  const cfg = fs.mkdtempSync(path.join(s.root, 'xdg-'));
  const ctui = `${process.execPath} ${CTUI}`;
  const t = new Tmux('look');
  /** Opens the TUI in a fresh tmux window of the given size with extra environment (NO_COLOR=1...). */
  const open = async (cols: number, rows: number, env = '') => {
    t.kill();
    t.open(`env -i PATH=/usr/bin:/bin TERM=xterm CTUI_ROOT=${s.root} XDG_CONFIG_HOME=${cfg} ${env} ${ctui}`, cols, rows);
  };
  const escapes = () => t.cmd('capture-pane', '-p', '-e', '-t', 'look');

  before(() => {
    s.ok(['run', '-d', '--stop-timeout', '1', '--name', 'up1', 'busybox', 'sleep', '100000']);
    s.ok(['create', '--name', 'made', 'busybox', 'true']);
  });
  after(() => {
    t.kill();
    const ids = s.ok(['ps', '-aq']).trim().split('\n').filter(Boolean);
    if (ids.length) s.run(['rm', '-f', ...ids]);
    s.cleanup();
  });

  it('NO_COLOR=1: the selected row and the current pane stay reverse video; no colour at all', async () => {
    await open(80, 24, 'NO_COLOR=1');
    const screen = await t.waitFor(/CONTAINER ID[\s\S]*made/);
    const plain = screen.split('\n');
    const lines = escapes().split('\n');
    const head = plain.findIndex((l) => l.includes('CONTAINER ID'));
    assert.ok(head > 0, screen);
    // The first row is the selection (the list has the focus): reverse video (SGR 7) on its line.
    assert.ok(sgrParams(lines[head + 1]!).some((p) => p.includes(7)), `no reverse on the selected row: ${JSON.stringify(lines[head + 1])}`);
    // The current pane's name in the header line, too.
    assert.ok(sgrParams(lines[0]!).some((p) => p.includes(7)), `no reverse on the current pane: ${JSON.stringify(lines[0])}`);
    for (const [i, l] of lines.entries()) assert.deepEqual(sgrParams(l).flatMap(colourParams), [], `colour on line ${i}: ${JSON.stringify(l)}`);
  });

  it('30x8 says the terminal is too small; resized to 80x24 the lists come back', async () => {
    await open(30, 8);
    const screen = await t.waitFor(/terminal too small/);
    assert.match(screen, /need at least \d+x\d+/);
    t.cmd('resize-window', '-t', 'look', '-x', '80', '-y', '24');
    await t.waitFor(/CONTAINER ID[\s\S]*up1/);
    t.keys('q');
  });
});
