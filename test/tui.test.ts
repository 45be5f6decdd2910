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
