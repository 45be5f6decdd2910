import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DetachMatcher, parseDetachKeys } from '../src/core/containers/attach.js';
import { ACTIONS, actionFor, defaultBindings, keyName, markdownKeyTable, parseKeyConfig, switchSessionKey } from '../src/ui/keymap.js';
import { layoutFor } from '../src/ui/layout.js';
import { emptyList, listReducer, targets } from '../src/ui/state/list.js';
import { plainText, Ring, shownLines, wrapLine, type LogEntry } from '../src/ui/state/logs.js';
import { emptyData, filterRows, fitColumns, rowsFor, type Row } from '../src/ui/state/rows.js';
import { initialUi, uiReducer, type Dialog } from '../src/ui/state/ui.js';
import { dialogCancelText, dialogHint, dialogTotal, goingImages } from '../src/ui/state/dialog.js';
import { bulkEntries, bulkMenu } from '../src/ui/bulk.js';
import { removeDialog, volumePruneDialog } from '../src/ui/dialogs.js';
import { progressText, resultText, VERBS } from '../src/ui/status-text.js';
import { REPO } from './helpers.js';

const ids = Array.from({ length: 1000 }, (_, i) => `id${i}`);
const view = { ids, height: 10 };

describe('list reducer: selection, virtual window, marks', () => {
  it('moves within bounds and keeps the cursor inside the window', () => {
    let s = listReducer(emptyList, { type: 'move', delta: -5 }, view);
    assert.equal(s.cursor, 0);
    s = listReducer(s, { type: 'move', delta: 15 }, view);
    assert.deepEqual([s.cursor, s.offset, s.selectedId], [15, 6, 'id15']);
    s = listReducer(s, { type: 'moveTo', index: -1 }, view);
    assert.deepEqual([s.cursor, s.offset], [999, 990]);
    s = listReducer(s, { type: 'page', direction: -1 }, view);
    assert.equal(s.cursor, 990);
    assert.ok(s.cursor >= s.offset && s.cursor < s.offset + 10);
  });

  it('the selection follows its row when rows come and go, and clamps when it is gone', () => {
    let s = listReducer(emptyList, { type: 'moveTo', index: 5 }, view);
    s = listReducer(s, { type: 'sync' }, { ids: ['new', ...ids], height: 10 });
    assert.deepEqual([s.cursor, s.selectedId], [6, 'id5']);
    s = listReducer(s, { type: 'sync' }, { ids: ['a', 'b'], height: 10 });
    assert.deepEqual([s.cursor, s.selectedId], [1, 'b']);
    s = listReducer(s, { type: 'sync' }, { ids: [], height: 10 });
    assert.equal(s.selectedId, undefined);
  });

  it('space marks and moves on, V marks a range, stale marks drop, targets are marks or the selection', () => {
    let s = listReducer(emptyList, { type: 'mark' }, view);
    assert.deepEqual([...s.marks], ['id0']);
    assert.equal(s.cursor, 1);
    s = listReducer(s, { type: 'moveTo', index: 4 }, view);
    s = listReducer(s, { type: 'markRange' }, view);
    assert.deepEqual([...s.marks].sort(), ['id0', 'id1', 'id2', 'id3', 'id4']);
    assert.deepEqual(targets(s, ids), ['id0', 'id1', 'id2', 'id3', 'id4']);
    s = listReducer(s, { type: 'dropMarks', ids: ['id1', 'id3'] }, view);
    assert.deepEqual([...s.marks].sort(), ['id1', 'id3']);
    s = listReducer(s, { type: 'unmarkAll' }, view);
    assert.deepEqual(targets(s, ids), ['id4']);
  });

  it('mark all (ctrl-a) and invert (*) act on the shown rows; marks the filter hides stay as they were', () => {
    const shown = { ids: ['a', 'b', 'c'], height: 10 };
    let s = listReducer({ ...emptyList, marks: new Set(['b', 'hidden']) }, { type: 'markAll' }, shown);
    assert.deepEqual([...s.marks].sort(), ['a', 'b', 'c', 'hidden']);
    assert.equal(listReducer(s, { type: 'markAll' }, shown), s, 'all marked already: the same state');
    s = listReducer({ ...emptyList, marks: new Set(['b', 'hidden']) }, { type: 'invertMarks' }, shown);
    assert.deepEqual([...s.marks].sort(), ['a', 'c', 'hidden']);
    s = listReducer(s, { type: 'invertMarks' }, shown);
    assert.deepEqual([...s.marks].sort(), ['b', 'hidden']);
    assert.deepEqual(targets(listReducer(emptyList, { type: 'markAll' }, shown), shown.ids), ['a', 'b', 'c']);
    assert.equal(actionFor(defaultBindings(), 'ctrl-a', 'list')?.id, 'markAll');
    assert.equal(actionFor(defaultBindings(), '*', 'list')?.id, 'invertMarks');
  });

  it('shift-down/shift-up mark a range as the cursor goes; at the ends they stop', () => {
    let s = listReducer(emptyList, { type: 'moveTo', index: 2 }, view);
    s = listReducer(s, { type: 'extend', delta: 1 }, view);
    s = listReducer(s, { type: 'extend', delta: 1 }, view);
    assert.deepEqual([[...s.marks].sort(), s.cursor], [['id2', 'id3', 'id4'], 4]);
    s = listReducer(s, { type: 'moveTo', index: 0 }, view);
    s = listReducer(s, { type: 'extend', delta: -1 }, view);
    assert.deepEqual([[...s.marks].sort(), s.cursor], [['id0', 'id2', 'id3', 'id4'], 0]);
    assert.equal(keyName('', { downArrow: true, shift: true } as never), 'shift-down');
    assert.equal(actionFor(defaultBindings(), 'shift-up', 'list')?.id, 'extendUp');
  });
});

describe('ui reducer: panes, tabs, modes, dialogs', () => {
  it('panes cycle and reset focus; tabs cycle within the pane kind', () => {
    let s = initialUi('containers');
    s = uiReducer(s, { type: 'focus', focus: 'detail' });
    s = uiReducer(s, { type: 'cyclePane', delta: 1 });
    assert.deepEqual([s.pane, s.focus], ['volumes', 'list']);
    s = uiReducer(s, { type: 'cyclePane', delta: 1 });
    assert.equal(s.pane, 'images');
    s = uiReducer(s, { type: 'cycleTab', delta: 1 });
    assert.equal(s.tabs.images, 'history');
    s = uiReducer(s, { type: 'tab', tab: 'logs' });
    assert.equal(s.tabs.images, 'history', 'images have no Logs tab');
    s = uiReducer(s, { type: 'cyclePane', delta: -1 });
    assert.equal(s.pane, 'volumes');
  });

  it('filter input applies as typed; enter keeps it, esc clears it; the command line never filters', () => {
    let s = uiReducer(initialUi(), { type: 'startFilter', target: 'list' });
    for (const c of 'webx') s = uiReducer(s, { type: 'type', text: c });
    s = uiReducer(s, { type: 'erase' });
    assert.equal(s.filters.containers, 'web');
    s = uiReducer(s, { type: 'commit' });
    assert.deepEqual([s.mode.kind, s.filters.containers], ['normal', 'web']);
    s = uiReducer(s, { type: 'startFilter', target: 'list' });
    s = uiReducer(s, { type: 'cancelInput' });
    assert.equal(s.filters.containers, '');
    s = uiReducer(s, { type: 'startCommand' });
    s = uiReducer(s, { type: 'type', text: 'q' });
    assert.deepEqual(s.mode, { kind: 'command', text: 'q' });
    assert.equal(s.filters.containers, '');
  });

  it('dialogs: move, untick, sizes arrive', () => {
    let s = uiReducer(initialUi(), {
      type: 'openDialog',
      dialog: { kind: 'prune', pane: 'containers', title: 't', items: [{ id: 'a', label: 'a', ticked: true }, { id: 'b', label: 'b', ticked: true }], cursor: 0, measuring: true },
    });
    s = uiReducer(s, { type: 'dialogMove', delta: 5 });
    s = uiReducer(s, { type: 'dialogToggle' });
    s = uiReducer(s, { type: 'dialogSizes', sizes: new Map([['a', 10]]), done: true });
    assert.equal(s.mode.kind, 'dialog');
    if (s.mode.kind !== 'dialog') return;
    assert.deepEqual(s.mode.dialog.items.map((i) => [i.id, i.ticked, i.size]), [['a', true, 10], ['b', false, undefined]]);
    assert.equal(s.mode.dialog.measuring, false);
    assert.equal(uiReducer(s, { type: 'closeMode' }).mode.kind, 'normal');
  });

  it('log view: context cycles 0/2/5, scrolling back is bounded, G returns to the end', () => {
    let s = initialUi();
    s = uiReducer(s, { type: 'logContext' });
    s = uiReducer(s, { type: 'logContext' });
    assert.equal(s.log.context, 5);
    assert.equal(uiReducer(s, { type: 'logContext' }).log.context, 0);
    s = uiReducer(s, { type: 'logScroll', delta: -50, max: 20 });
    assert.equal(s.log.back, 20);
    assert.equal(uiReducer(s, { type: 'logScroll', delta: 'end', max: 20 }).log.back, 0);
  });
});

describe('logs: ring, filter with context, wrap', () => {
  it('the ring keeps the last N lines', () => {
    const r = new Ring<number>(3);
    r.push([1, 2, 3, 4, 5]);
    assert.deepEqual(r.toArray(), [3, 4, 5]);
    assert.equal(r.dropped, 2);
  });

  it('a tty container\'s terminal sequences and control characters are not shown', () => {
    assert.equal(plainText('/ # \x1b[6n\r\n'), '/ # ');
    assert.equal(plainText('\x1b[1;34mbin\x1b[m  \x1b]0;title\x07etc'), 'bin  etc');
    assert.equal(plainText('10%\r20%\r30%\n'), '30%');
    assert.equal(plainText('a\x07b\x00c\ttab'), 'abc\ttab');
  });

  it('filters plain (case-insensitive) or /regex/, with context and gaps', () => {
    const r = new Ring<LogEntry>(100);
    r.push(Array.from({ length: 20 }, (_, i) => ({ time: '', stream: 'stdout' as const, text: i === 5 || i === 15 ? `ERROR ${i}\n` : `ok ${i}\n` })));
    assert.deepEqual(shownLines(r, 'error', 0).map((l) => l.index), [5, 15]);
    const c = shownLines(r, '/ERR.R 1\\d/', 2);
    assert.deepEqual(c.map((l) => [l.index, l.match]), [[13, false], [14, false], [15, true], [16, false], [17, false]]);
    assert.deepEqual(shownLines(r, 'error', 2).filter((l) => l.gap).map((l) => l.index), [13]);
    assert.equal(shownLines(r, '', 0).length, 20);
  });

  it('wraps or cuts, and strips control characters (a log cannot drive the terminal)', () => {
    assert.deepEqual(wrapLine('abcdefg\n', 3, true), ['abc', 'def', 'g']);
    assert.deepEqual(wrapLine('abcdefg', 3, false), ['abc']);
    assert.deepEqual(wrapLine('\x1b[31mred\x1b[0m', 20, false), ['[31mred[0m']);
  });
});

describe('rows and layout', () => {
  it('filter is a plain substring of the row text, case-insensitive', () => {
    const rows = ['Web one', 'db', 'webber'].map((t) => ({ key: t, target: t, objectId: t, cells: [t], tones: [], text: t.toLowerCase() }) as Row);
    assert.deepEqual(filterRows(rows, 'WEB').map((r) => r.key), ['Web one', 'webber']);
    assert.equal(filterRows(rows, '').length, 3);
  });

  it('columns drop by priority and flexible ones take the rest', () => {
    const cols = [
      { title: 'A', width: 10, priority: 0 },
      { title: 'B', width: 10, flex: true, priority: 1 },
      { title: 'C', width: 30, priority: 2 },
    ];
    assert.deepEqual(fitColumns(cols, 40), [{ index: 0, width: 10 }, { index: 1, width: 28 }]);
    assert.deepEqual(fitColumns(cols, 60).map((c) => c.width), [10, 16, 30]);
  });

  it('80x24 stacks, 160x48 goes side by side; heights add up to the screen', () => {
    const s = layoutFor(80, 24, 'list');
    assert.equal(s.wide, false);
    assert.equal(1 + 1 + s.listRows + s.detailHeight + 2, 24);
    const w = layoutFor(160, 48, 'list');
    assert.equal(w.wide, true);
    assert.equal(w.listWidth + 1 + w.detailWidth, 160);
  });
});

describe('the keymap', () => {
  it('every action has keys, a description and a unique id; no key is bound twice in one scope', () => {
    assert.equal(new Set(ACTIONS.map((a) => a.id)).size, ACTIONS.length);
    for (const scope of ['global', 'list', 'detail', 'logs']) {
      const keys = ACTIONS.filter((a) => a.scope === scope).flatMap((a) => a.keys);
      assert.equal(new Set(keys).size, keys.length, `duplicate key in ${scope}`);
    }
    for (const a of ACTIONS) assert.ok(a.keys.length && a.description, a.id);
  });

  it('dispatch by context: t is timestamps only on the Logs tab; enter opens details only on a list', () => {
    const b = defaultBindings();
    assert.equal(actionFor(b, 't', 'logs')?.id, 'timestamps');
    assert.equal(actionFor(b, 't', 'list'), undefined);
    assert.equal(actionFor(b, 'enter', 'list')?.id, 'details');
    assert.equal(actionFor(b, 's', 'list')?.id, 'stop');
    assert.equal(actionFor(b, 'q', 'logs')?.id, 'quit');
  });

  it('keys.json remaps; a remapped key wins; bad files keep the defaults with one clear error', () => {
    const r = parseKeyConfig('{"stop": ["x"], "quit": "Q"}', 'keys.json');
    assert.equal(r.error, undefined);
    assert.equal(actionFor(r.bindings, 'x', 'list')?.id, 'stop');
    assert.equal(actionFor(r.bindings, 's', 'list'), undefined);
    assert.equal(actionFor(r.bindings, 'Q', 'list')?.id, 'quit');
    const taken = parseKeyConfig('{"remove": ["s"]}', 'k');
    assert.equal(actionFor(taken.bindings, 's', 'list')?.id, 'remove');
    for (const bad of ['{', '[]', '{"nope": ["x"]}', '{"stop": []}', '{"stop": ["ctrl-xyz"]}']) {
      const e = parseKeyConfig(bad, 'keys.json');
      assert.match(e.error ?? '', /^keys\.json: .*default keys kept/, bad);
      assert.equal(actionFor(e.bindings, 's', 'list')?.id, 'stop');
    }
  });

  it('keys.json may set detachKeys (docker\'s format); a bad sequence is one error', () => {
    const r = parseKeyConfig('{"detachKeys": "ctrl-x, x", "stop": ["x"]}', 'keys.json');
    assert.equal(r.error, undefined);
    assert.equal(r.detachKeys, 'ctrl-x,x');
    assert.equal(parseKeyConfig('{}', 'keys.json').detachKeys, undefined);
    for (const bad of ['{"detachKeys": "ctrl-xy"}', '{"detachKeys": ""}', '{"detachKeys": ["ctrl-x"]}', '{"detachKeys": "a,,b"}']) {
      assert.match(parseKeyConfig(bad, 'keys.json').error ?? '', /^keys\.json: 'detachKeys' needs a sequence/, bad);
    }
  });

  it('the session switch key (ctrl-t) is remappable, to control keys only', () => {
    assert.equal(switchSessionKey(defaultBindings()), 'ctrl-t');
    assert.equal(switchSessionKey(parseKeyConfig('{"switchSession": ["ctrl-o"]}', 'keys.json').bindings), 'ctrl-o');
    assert.match(parseKeyConfig('{"switchSession": ["T"]}', 'keys.json').error ?? '', /'switchSession' needs ctrl-<letter> keys/);
    assert.equal(actionFor(defaultBindings(), 'ctrl-t', 'list'), undefined, 'only in a session');
  });

  it('the detach matcher hands back what came after the sequence in the same read', () => {
    const m = new DetachMatcher(parseDetachKeys('ctrl-p,ctrl-q'));
    assert.deepEqual(m.feed(Buffer.from('ab\x10')), { forward: Buffer.from('ab'), detach: false });
    const r = m.feed(Buffer.from('\x111x'));
    assert.equal(r.detach, true);
    assert.deepEqual([...r.forward], []);
    assert.equal(r.rest?.toString(), '1x');
    // A ctrl-p that is not followed by ctrl-q is the container's after all.
    const n = new DetachMatcher(parseDetachKeys('ctrl-p,ctrl-q'));
    assert.deepEqual([...n.feed(Buffer.from('\x10z')).forward], [0x10, 0x7a]);
  });

  it('Ink keys map to our names', () => {
    const none = { upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false };
    assert.equal(keyName('', { ...none, tab: true, shift: true }), 'shift-tab');
    assert.equal(keyName(' ', none), 'space');
    assert.equal(keyName('b', { ...none, ctrl: true }), 'ctrl-b');
    assert.equal(keyName('G', none), 'G');
  });

  it("the README's key table is the one scripts/keytable.mjs prints", () => {
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const m = /<!-- keys:start -->\n([\s\S]*?)<!-- keys:end -->/.exec(readme);
    assert.ok(m, 'README.md has the keys markers');
    assert.equal(m[1], markdownKeyTable());
    const r = spawnSync(process.execPath, [path.join(REPO, 'scripts/keytable.mjs')], { encoding: 'utf8' });
    assert.equal(r.stdout, markdownKeyTable());
  });
});

describe('container status tones', () => {
  const container = (id: string, Status: string, ExitCode: number) => ({
    Id: id, Name: id, Image: 'busybox', ImageId: 'sha256:x', Command: 'true', Created: '2026-01-01T00:00:00Z', Labels: {}, ImageSize: 0, Mounts: [],
    State: { Status, Pid: 0, ExitCode, Error: '', StartedAt: '2026-01-01T00:00:00Z', FinishedAt: '2026-01-01T00:00:01Z' },
  });
  it('Exited (0) is not coloured as a failure; a non-zero exit is', () => {
    const data = { ...emptyData, containers: [container('ok', 'exited', 0), container('bad', 'exited', 137), container('up', 'running', 0)] as never };
    const tones = rowsFor('containers', data).map((r) => [r.cells[4]!.replace(/ .*/, ''), r.tones[4]]);
    assert.deepEqual(tones, [['Exited', 'exitedOk'], ['Exited', 'exited'], ['Up', 'running']]);
  });
});

describe('status wording: under way, done, failed', () => {
  it('progress says -ing with an ellipsis; done says the past; a failure names the verb, the object and the reason', () => {
    assert.equal(progressText(VERBS.stop, 'web1', 0, 1), 'stopping web1…');
    assert.equal(progressText(VERBS.stop, 'web2', 1, 3), 'stopping web2 (2/3)… esc stops after this one');
    const noun = { one: 'container', many: 'containers' };
    assert.equal(resultText(VERBS.stop, { done: ['web1'], failed: [], left: 0 }, noun), 'stopped web1');
    assert.equal(resultText(VERBS.stop, { done: ['a', 'b'], failed: [], left: 0 }, noun), 'stopped 2 containers: a, b');
    assert.equal(resultText(VERBS.remove, { done: [], failed: [{ label: 'web1', reason: 'no such container' }], left: 0 }, noun), 'remove web1 failed: no such container');
    assert.equal(resultText(VERBS.remove, { done: ['b'], failed: [{ label: 'a', reason: 'busy' }], left: 0 }, noun, '; reclaimed 1kB'), 'remove a failed: busy; removed b; reclaimed 1kB');
    assert.equal(resultText(VERBS.stop, { done: ['a'], failed: [], left: 2 }, noun), 'stopped a (cancelled: 2 left alone)');
    const many = Array.from({ length: 12 }, (_, i) => `c${i}`);
    assert.match(resultText(VERBS.start, { done: many, failed: [], left: 0 }, noun), /^started 12 containers: c0, .*, c9 and 2 more$/);
    for (const v of Object.values(VERBS)) assert.match(v.doing, /ing$/);
  });

  it('the dialogs name what esc did not do, and their hint line', () => {
    const d: Dialog = { kind: 'prune', pane: 'volumes', title: '', items: [], cursor: 0, measuring: false };
    assert.equal(dialogCancelText(d), 'cancelled: nothing pruned');
    assert.equal(dialogCancelText({ ...d, kind: 'remove' }), 'cancelled: nothing removed');
    assert.match(dialogHint({ ...d, kind: 'menu' }), /enter choose/);
  });
});

describe('prune and remove dialogs: what is ticked, what the ticked set frees', () => {
  const volume = (Name: string, Anonymous: boolean, UsedBy: string[] = []) => ({ Name, Anonymous, UsedBy, Driver: 'local', Mountpoint: '', CreatedAt: '', Labels: null, Options: null, Scope: 'local' });
  it('volume prune ticks anonymous unused volumes only; named ones are listed unticked; used ones not at all', () => {
    const d = volumePruneDialog([volume('data', false), volume('f'.repeat(64), true), volume('inuse', true, ['c1'])]);
    assert.deepEqual(d.items.map((i) => [i.name, i.ticked]), [['ffffffffffff', true], ['data', false]]);
    assert.match(d.title, /anonymous/);
  });

  it('images: a layer counts once, and only while no kept image has it; an image goes with its last tag', () => {
    const layers = [
      { id: 'A', layers: [{ diffId: 'base', size: 1000 }, { diffId: 'a', size: 10 }] },
      { id: 'B', layers: [{ diffId: 'base', size: 1000 }, { diffId: 'ab', size: 100 }] },
      { id: 'C', layers: [{ diffId: 'base', size: 1000 }, { diffId: 'ab', size: 100 }] },
      { id: 'K', layers: [{ diffId: 'base', size: 1000 }] },
    ];
    const item = (id: string, image: string, of = 1, ticked = true) => ({ id, label: id, ticked, frees: { image, of } });
    const d: Dialog = { kind: 'prune', pane: 'images', title: '', items: [item('A', 'A'), item('B', 'B'), item('C', 'C')], cursor: 0, measuring: false, layers };
    assert.equal(dialogTotal(d), 110, 'a + ab once; base stays with K');
    let u = uiReducer(uiReducer(initialUi(), { type: 'openDialog', dialog: d }), { type: 'dialogMove', delta: 1 });
    u = uiReducer(u, { type: 'dialogToggle' });
    assert.ok(u.mode.kind === 'dialog');
    if (u.mode.kind !== 'dialog') return;
    assert.equal(dialogTotal(u.mode.dialog), 10, 'B unticked keeps ab: only a goes');
    // Remove by tag: K has two tags; ticking one of them frees nothing, both frees what K alone has.
    const r: Dialog = { kind: 'remove', pane: 'images', title: '', items: [item('k:1', 'K', 2), item('k:2', 'K', 2, false)], cursor: 0, measuring: false, layers: [layers[3]!] };
    assert.deepEqual([...goingImages(r)], []);
    assert.equal(dialogTotal(r), 0);
    assert.equal(dialogTotal({ ...r, items: r.items.map((i) => ({ ...i, ticked: true })) }), 1000);
  });

  it('the remove dialog of d kills running containers (and says so); the bulk one of stopped ones never kills', () => {
    const row = (name: string, running: boolean) => ({ key: name, target: name + 'id', objectId: name + 'id', cells: ['', '', '', '', running ? 'Up' : 'Exited (0)'], tones: [], text: name, running, name, bytes: 5 }) as Row;
    const d = removeDialog('containers', [row('up', true), row('down', false)], { force: true });
    assert.equal(d.force, true);
    assert.match(d.items[0]!.label, /running: it is killed first/);
    const b = removeDialog('containers', [row('down', false)], { force: false });
    assert.equal(b.force, false);
    assert.equal(dialogTotal(b), 5);
  });
});

describe('the bulk menu', () => {
  const row = (name: string, running: boolean) => ({ key: name, target: name, objectId: name, cells: [], tones: [], text: name, running, name }) as Row;
  const rows = [row('r1', true), row('r2', true), row('r3', true), row('s1', false), row('s2', false)];
  it('over the shown rows, each entry names how many it touches', () => {
    const e = bulkEntries(rows, new Set());
    assert.deepEqual(e.map((x) => [x.id, x.label, x.rows.map((r) => r.key)]), [
      ['stop', 'stop all 3 running', ['r1', 'r2', 'r3']],
      ['start', 'start all 2 stopped', ['s1', 's2']],
      ['restart', 'restart all 3 running', ['r1', 'r2', 'r3']],
      ['remove', 'remove all 2 stopped… (asks first)', ['s1', 's2']],
      ['prune', 'prune every stopped container… (asks first)', []],
    ]);
    assert.equal(bulkMenu(rows, new Set(), 'grp').title, 'Bulk actions on 5 containers (shown by /grp)');
  });

  it('with marks, only the marked rows', () => {
    const e = bulkEntries(rows, new Set(['r1', 's1', 'gone']));
    assert.deepEqual(e.slice(0, 4).map((x) => [x.label, x.rows.map((r) => r.key)]), [
      ['stop 1 running of the 2 marked', ['r1']],
      ['start 1 stopped of the 2 marked', ['s1']],
      ['restart the 2 marked', ['r1', 's1']],
      ['remove 1 stopped of the 2 marked… (asks first)', ['s1']],
    ]);
    assert.equal(bulkMenu(rows, new Set(['r1', 's1']), '').title, 'Bulk actions on the 2 marked containers');
  });

  it('space in a menu ticks nothing; j/k move', () => {
    let s = uiReducer(initialUi(), { type: 'openDialog', dialog: bulkMenu(rows, new Set(), '') });
    const before = s.mode;
    s = uiReducer(s, { type: 'dialogToggle' });
    assert.equal(s.mode, before);
    s = uiReducer(s, { type: 'dialogMove', delta: 3 });
    assert.ok(s.mode.kind === 'dialog' && s.mode.dialog.cursor === 3);
  });
});
