import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertPrivileged, CTUI, Tmux, tuiScene, tuiPid, waitFor } from './helpers.js';

/**
 * The real `ctui` binary in a real terminal (tmux, 80x24) over real busybox containers: what a person
 * does with the TUI, checked through the screen and through the CLI.
 */
describe('the terminal UI, end to end (tmux 80x24)', () => {
  assertPrivileged();
  const scene = tuiScene('tui', 'tui');
  const { s, t, ctui, sleep, status, names, esc, filter } = scene;
  const cfg = fs.mkdtempSync(path.join(s.root, 'xdg-'));

  before(() => {
    // A stop of 3 s: the test presses q while it waits, and under load reading its state takes a while.
    s.ok(['run', '-d', '--stop-timeout', '3', '--name', 'alpha', 'busybox', 'sleep', '100000']);
    s.ok(['create', '--name', 'beta', 'busybox', 'true']);
    s.ok(['volume', 'create', 'vol1']);
    scene.shell(`XDG_CONFIG_HOME=${cfg}`);
  });
  after(() => scene.close());

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
  const scene = tuiScene('tuiprune', 'tuiprune');
  const { s, t, ctui, sleep, status, names, esc, filter } = scene;
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
    scene.shell();
  });
  after(() => scene.close());

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
  const scene = tuiScene('tui-look', 'look');
  const { s, ctui, sleep } = scene;
  const cfg = fs.mkdtempSync(path.join(s.root, 'xdg-'));
  let t = scene.t;
  /** Opens the TUI in a fresh tmux server (a new socket: the old one may still be going away) at a size, with extra environment. */
  const open = async (cols: number, rows: number, env = '') => {
    t.kill();
    t = new Tmux('look');
    t.open(`env -i PATH=/usr/bin:/bin TERM=xterm CTUI_ROOT=${s.root} XDG_CONFIG_HOME=${cfg} ${env} ${ctui}`, cols, rows);
  };
  const escapes = () => t.cmd('capture-pane', '-p', '-e', '-t', 'look');

  before(() => {
    s.ok(['run', '-d', '--stop-timeout', '1', '--name', 'up1', 'busybox', 'sleep', '100000']);
    s.ok(['create', '--name', 'made', 'busybox', 'true']);
    s.ok(['run', '-d', '--stop-timeout', '1', '--name', 'a-long-name-for-db-1', 'busybox', 'sleep', '100000']);
  });
  after(() => scene.close(t));

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

  it('CI=true in the environment (a CI job, a shell that exports it) still draws every frame', async () => {
    // Ink draws only the last frame when CI is set (it expects a log, not a terminal): a blank
    // screen until quit. The terminal is what counts.
    await open(80, 24, 'CI=true CONTINUOUS_INTEGRATION=1');
    const screen = await t.waitFor(/CONTAINER ID[\s\S]*made/);
    assert.match(screen, /up1/);
  });

  it('80x24: a 20-character name and the status are not cut; 160x48 adds COMMAND and CREATED', async () => {
    await open(80, 24);
    let screen = await t.waitFor(/CONTAINER ID[\s\S]*up1/);
    assert.match(screen, /a-long-name-for-db-1/, screen);
    assert.match(screen, /NAMES/);
    await open(160, 48);
    screen = await t.waitFor(/CONTAINER ID[\s\S]*up1/);
    assert.match(screen, /CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS .*NAMES/, screen);
    assert.match(screen, /"sleep 100000"/);
    t.keys('q');
  });

  it('o sorts by the next column (shown in the header), O reverses; h hides stopped containers', async () => {
    await open(120, 30);
    await t.waitFor(/CONTAINER ID[\s\S]*up1/);
    // The first frame can come before the keyboard is read (raw mode starts in an effect after it).
    await sleep(500);
    // The engine's order first (newest first): made, a-long-name..., up1.
    const order = (screen: string) => [...screen.matchAll(/\b(up1|made|a-long-name-for-db-1)\b/g)].map((m) => m[1]).slice(0, 3).join(' ');
    assert.equal(order(t.screen()), 'a-long-name-for-db-1 made up1');
    // NAMES is the 7th column: o seven times.
    // One at a time, each seen before the next: two keys read at once arrive as one chunk of text
    // ("oo", see chunks.ts), which is no key.
    for (const col of ['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES']) {
      t.keys('o');
      await t.waitFor(new RegExp(`by ${col} ▲`));
    }
    let screen = await t.waitFor(/NAMES ▲/);
    assert.equal(order(screen), 'a-long-name-for-db-1 made up1');
    assert.match(screen, /by NAMES ▲/);
    t.keys('O');
    screen = await t.waitFor(/NAMES ▼/);
    assert.equal(order(screen), 'up1 made a-long-name-for-db-1');
    t.keys('h');
    screen = await t.waitFor(/2 Containers \(2 of 3, running only\)/);
    assert.doesNotMatch(screen, /\bmade\b/);
    t.keys('h');
    await t.waitFor(/2 Containers \(3\)[\s\S]*made/);
    t.keys('q');
  });

  it('theme.json: a bad one is one error in the status line; a good one changes the borders; CTUI_THEME=light colours', async () => {
    const dir = path.join(cfg, 'ctui');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'theme.json'), '{"border": "dotted"}');
    await open(80, 24);
    // The reason first: the status line is one line (cut at 80 columns).
    await t.waitFor(/theme\.json: 'border' needs one of single, round, bold/);
    // The defaults stay: the tab bar's lines.
    assert.match(t.screen(), /─ {2}Logs │ Inspect/);
    fs.writeFileSync(path.join(dir, 'theme.json'), '{"border": "ascii", "accent": "magenta"}');
    await open(80, 24);
    await t.waitFor(/- {2}Logs \| Inspect \|/);
    // magenta (35) on the current pane's name in the header.
    assert.ok(sgrParams(escapes().split('\n')[0]!).some((p) => p.includes(35)), escapes().split('\n')[0]);
    fs.rmSync(path.join(dir, 'theme.json'));
    await open(80, 24, 'CTUI_THEME=light');
    await t.waitFor(/CONTAINER ID/);
    // light: the accent is blue (34), and no white (37) anywhere.
    const lines = escapes().split('\n');
    assert.ok(sgrParams(lines[0]!).some((p) => p.includes(34)), lines[0]);
    assert.ok(!lines.some((l) => sgrParams(l).some((p) => p.includes(37))));
    t.keys('q');
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
