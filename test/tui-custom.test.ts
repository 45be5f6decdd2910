import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertPrivileged, tuiScene, waitFor } from './helpers.js';

/**
 * The user's own commands (keys.json customCommands) and the mouse, in the real binary at 80x24 over
 * real containers: a key runs a command line over the selection in the background, in an overlay or
 * on the whole terminal; clicks and the wheel select panes, rows and tabs.
 */
describe('the terminal UI: custom commands, the mouse and the : line (tmux 80x24)', () => {
  assertPrivileged();
  const scene = tuiScene('tuicustom', 'tuicustom');
  const { s, t, ctui, sleep, names, filter } = scene;
  const cfg = fs.mkdtempSync(path.join(s.root, 'xdg-'));
  /** A mouse event as an xterm in SGR mode sends it (1-based cell coordinates). */
  const mouse = (button: number, x: number, y: number, release = false) => t.keys('-l', `\x1b[<${button};${x};${y}${release ? 'm' : 'M'}`);
  const click = async (x: number, y: number) => {
    mouse(0, x, y);
    mouse(0, x, y, true);
    await sleep(300);
  };

  before(() => {
    for (const n of ['web1', 'web2']) s.ok(['run', '-d', '--label', `project=shop`, '--name', n, 'busybox', 'sleep', '100000']);
    s.ok(['create', '--name', 'other', 'busybox', 'true']);
    fs.mkdirSync(path.join(cfg, 'ctui'), { recursive: true });
    // `ctui` here is this checkout's binary (the commands run with the user's shell and PATH).
    const keys = {
      customCommands: [
        { key: 'ctrl-d', name: 'compose down', command: `${ctui} rm -f $(${ctui} ps -aq --filter label=project={{.Labels.project}})`, output: 'background' },
        { key: 'D', name: 'env', command: `${ctui} exec {{.Name}} sh -c 'echo from-$HOSTNAME; echo second line'`, output: 'pane' },
        { key: 'T', name: 'hello', command: 'echo hello-from-{{.Container.Name}}', output: 'terminal' },
        { key: 'ctrl-x', name: 'bad', command: 'echo {{.Nope}}', output: 'background' },
      ],
    };
    fs.writeFileSync(path.join(cfg, 'ctui', 'keys.json'), JSON.stringify(keys));
    scene.shell(`XDG_CONFIG_HOME=${cfg}`);
  });
  after(() => scene.close());

  it('? lists the custom commands with their keys', async () => {
    await t.waitFor(/outer\$/);
    t.type(`${ctui}; echo tui-rc=$?`);
    await t.waitFor(/CONTAINER ID[\s\S]*web1/);
    t.keys('?');
    t.keys('G');
    for (let i = 0; i < 12; i++) t.keys('pgdn');
    await t.waitFor(/Your commands[\s\S]*ctrl-d\s+compose down/);
    t.keys('Escape');
    await sleep(300);
  });

  it('output "pane": the command\'s output in an overlay over the selection; esc closes it', async () => {
    await filter('web1');
    t.keys('D');
    await t.waitFor(/env: .*exec web1[\s\S]*from-[0-9a-f]{12}[\s\S]*second line/);
    await t.waitFor(/env: done/);
    t.keys('Escape');
    await sleep(300);
    await t.waitFor(/CONTAINER ID/);
  });

  it('output "terminal": the whole terminal, then enter comes back to the UI', async () => {
    t.keys('T');
    await t.waitFor(/hello-from-web1[\s\S]*enter returns to ctui/);
    assert.equal(t.cmd('display', '-p', '-t', 'tuicustom', '#{mouse_any_flag}').trim(), '0', 'no mouse mode while a command has the terminal');
    t.keys('Enter');
    await t.waitFor(/CONTAINER ID[\s\S]*hello: exit code 0/);
  });

  it('a bad template is one error line; nothing runs', async () => {
    t.keys('C-x');
    await t.waitFor(/bad: .*Nope/);
  });

  it('the mouse: a click selects a row, a pane title its pane, a tab its tab; the wheel scrolls; nothing reaches the keymap', async () => {
    assert.equal(t.cmd('display', '-p', '-t', 'tuicustom', '#{mouse_any_flag}').trim(), '1', 'the UI asked for mouse reports');
    t.keys('Escape'); // the filter of an earlier test
    await t.waitFor(/web1[\s\S]*web2|web2[\s\S]*web1/);
    await sleep(300);
    // 80x24: the header is line 1, the list's header line 2, its rows from line 3; the detail's tab bar at line 12.
    const rowOf = (name: string) => t.screen().split('\n').findIndex((l) => l.includes(` ${name} `)) + 1;
    await click(10, rowOf('web2'));
    await t.waitFor(/Logs │[^\n]*web2\s*$/m);
    await click(10, rowOf('other'));
    await t.waitFor(/Logs │[^\n]*other\s*$/m);
    await click(3, 1);
    await t.waitFor(/REPOSITORY[\s\S]*busybox/);
    await click(20, 1);
    await t.waitFor(/CONTAINER ID/);
    await click(12, 12);
    await t.waitFor(/Inspect[\s\S]*"Id"|"Name"/);
    // The wheel over the list moves its selection (focus goes to the list).
    await click(10, rowOf('other'));
    mouse(65, 10, 4);
    await sleep(300);
    assert.doesNotMatch(t.screen().split('\n').find((l) => l.includes('Logs │')) ?? '', /other\s*$/, 'the wheel moved the selection off "other"');
    // Nothing of the reports was taken as keys: no filter or command line opened, no error said.
    assert.doesNotMatch(t.screen(), /unknown|\[<|^\/|^:/m);
    await click(10, rowOf('web1'));
  });

  it('the : line: tab completes verbs and names, a verb acts on the object named, an error stays where it was typed, up recalls', async () => {
    t.keys(':');
    await sleep(150);
    t.keys('-l', 'lo');
    t.keys('Tab');
    await t.waitFor(/^:logs █/m);
    t.keys('-l', 'we');
    t.keys('Tab');
    await t.waitFor(/^:logs web█[\s\S]*web1 {2}web2/m);
    t.keys('-l', '2');
    t.keys('Enter');
    await t.waitFor(/Logs │[^\n]*web2\s*$/m);
    t.keys('Escape');
    await sleep(300);
    t.keys(':');
    await sleep(150);
    t.keys('-l', 'rm nosuch');
    t.keys('Enter');
    await t.waitFor(/^:rm nosuch█ +no such container: nosuch/m);
    assert.deepEqual(names(), ['other', 'web1', 'web2'], 'nothing removed');
    t.keys('C-u'); // not a line editor key: ignored, the line stays
    for (let i = 0; i < 9; i++) t.keys('BSpace');
    await t.waitFor(/^:█/m);
    t.keys('Up');
    await t.waitFor(/^:logs web2█/m);
    t.keys('Escape');
    await sleep(300);
    await t.waitFor(/CONTAINER ID/);
  });

  it('ctrl-d runs a compose-down-style command over the selection\'s project in the background', async () => {
    t.keys('C-d');
    await waitFor(() => names().join() === 'other', 20_000);
    await t.waitFor(/compose down: done/);
    t.keys('Escape');
    await sleep(300);
    await t.waitFor(/other/);
  });

  it('q quits cleanly', async () => {
    t.keys('q');
    await t.waitFor(/tui-rc=0/);
    assert.equal(t.cmd('display', '-p', '-t', 'tuicustom', '#{mouse_any_flag}').trim(), '0', 'the shell gets a terminal without mouse reports');
  });
});
