import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DetachMatcher, parseDetachKeys } from '../src/core/containers/attach.js';
import { ACTIONS, actionFor, defaultBindings, helpSections, keyConflicts, keyName, markdownKeyTable, parseKeyConfig, switchSessionKey } from '../src/ui/keymap.js';
import { handlerFor } from '../src/ui/handlers.js';
import { complete, findRow, parseCommand, remember } from '../src/ui/commandline.js';
import { expandCommand, shellWord, templateData } from '../src/ui/custom.js';
import { layoutFor } from '../src/ui/layout.js';
import { emptyList, listReducer, targets } from '../src/ui/state/list.js';
import { LOG_AMOUNTS, plainText, Ring, shownLines, wrapLine, type LogEntry } from '../src/ui/state/logs.js';
import { logScroll, logSearch, logWindow } from '../src/ui/state/logwindow.js';
import { emptyData, filterRows, fitColumns, rowsFor, type Row } from '../src/ui/state/rows.js';
import { initialUi, uiReducer, type Dialog, type LogView, type UiState } from '../src/ui/state/ui.js';
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
    assert.deepEqual([s.mode.kind === 'filter' && s.mode.text, s.filters.containers], ['', ''], '/ starts a new filter, not the old one to append to');
    for (const c of 'db') s = uiReducer(s, { type: 'type', text: c });
    assert.equal(s.filters.containers, 'db');
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

  it('log view: context cycles 0/2/5, T cycles how much is read, esc undoes search, filter, merged log in turn', () => {
    let s = initialUi();
    s = uiReducer(s, { type: 'logContext' });
    s = uiReducer(s, { type: 'logContext' });
    assert.equal(s.log.context, 5);
    assert.equal(uiReducer(s, { type: 'logContext' }).log.context, 0);
    const labels: string[] = [];
    for (let i = 0; i < LOG_AMOUNTS.length + 1; i++) {
      labels.push(LOG_AMOUNTS[s.log.amount]!.label);
      s = uiReducer(s, { type: 'logAmount', count: LOG_AMOUNTS.length });
    }
    assert.deepEqual(labels, ['--tail 5000', '--tail 100', '--tail 1000', '--since 10m', '--since 1h', '--tail 5000']);
    s = uiReducer(s, { type: 'logMerge', targets: [{ id: 'a', name: 'web' }, { id: 'b', name: 'db' }] });
    assert.deepEqual([s.focus, s.tabs.containers, s.log.merged?.length], ['detail', 'logs', 2]);
    s = uiReducer(s, { type: 'startFilter', target: 'logs' });
    s = uiReducer(s, { type: 'type', text: 'err' });
    s = uiReducer(s, { type: 'commit' });
    s = uiReducer(s, { type: 'startFilter', target: 'search' });
    s = uiReducer(s, { type: 'type', text: 'x' });
    s = uiReducer(s, { type: 'commit' });
    assert.deepEqual([s.log.search, s.log.filter, s.mode.kind], ['x', 'err', 'normal']);
    s = uiReducer(s, { type: 'logBack' });
    assert.deepEqual([s.log.search, s.log.filter, s.log.merged?.length], ['', 'err', 2]);
    s = uiReducer(s, { type: 'logBack' });
    assert.deepEqual([s.log.filter, s.log.merged?.length], ['', 2]);
    s = uiReducer(s, { type: 'logBack' });
    assert.equal(s.log.merged, undefined);
  });
});

describe('log scrolling, as in less (state/logwindow.ts)', () => {
  const lines = (n: number, text = (i: number) => `line ${i + 1}`) =>
    Array.from({ length: n }, (_, i) => ({ time: `2026-12-02T10:00:${String(i % 60).padStart(2, '0')}.000000000Z`, stream: 'stdout' as const, text: text(i) }));
  const ringOf = (n: number, cap = 5000) => {
    const r = new Ring<LogEntry>(cap);
    r.push(lines(n));
    return r;
  };
  // The 80x24 pane with the detail focused: 12 rows of lines.
  const g = { width: 80, height: 12 };
  const shown = (r: Ring<LogEntry>, v: LogView) => shownLines(r, v.filter, v.context);
  const screen = (r: Ring<LogEntry>, v: LogView) => logWindow(r, shown(r, v), v, g).rows.map((x) => x.text);
  const key = (r: Ring<LogEntry>, s: UiState, delta: number | 'start' | 'end') => uiReducer(s, logScroll(r, shown(r, s.log), s.log, g, delta));

  it('on a 200-line log: PageUp at the end goes back, PageDown toward the end, k back, j forward; the end follows again', () => {
    const r = ringOf(200);
    let s = initialUi();
    assert.equal(screen(r, s.log).at(-1), 'line 200');
    s = key(r, s, -12); // PageUp
    assert.deepEqual([screen(r, s.log)[0], screen(r, s.log).at(-1)], ['line 177', 'line 188']);
    assert.notEqual(s.log.top, undefined, 'scrolled back: paused');
    s = key(r, s, -1); // k
    assert.equal(screen(r, s.log).at(-1), 'line 187');
    s = key(r, s, 1); // j
    s = key(r, s, 1);
    assert.equal(screen(r, s.log).at(-1), 'line 189');
    s = key(r, s, 12); // PageDown: reaches the end, which follows
    assert.equal(s.log.top, undefined);
    assert.equal(screen(r, s.log).at(-1), 'line 200');
    s = key(r, s, 12);
    assert.equal(screen(r, s.log).at(-1), 'line 200', 'PageDown at the end stays there');
  });

  it('g shows the first screenful (line 1 at the top, the pane full); G the end', () => {
    const r = ringOf(200);
    let s = key(r, initialUi(), 'start');
    const rows = screen(r, s.log);
    assert.deepEqual([rows.length, rows[0], rows[11]], [12, 'line 1', 'line 12']);
    s = key(r, s, -5);
    assert.equal(screen(r, s.log)[0], 'line 1', 'up at the start stays there');
    s = key(r, s, 'end');
    assert.equal(s.log.top, undefined);
    assert.equal(screen(r, s.log).at(-1), 'line 200');
  });

  it('a log that fits in the pane has nowhere to scroll: every key keeps following', () => {
    const r = ringOf(5);
    for (const d of [-1, -12, 'start', 1] as const) assert.equal(key(r, initialUi(), d).log.top, undefined, String(d));
  });

  it('scrolled back, new lines do not move the view; the info counts them; lines the ring drops are accounted for', () => {
    const r = ringOf(100, 100);
    let s = key(r, initialUi(), -30);
    const held = screen(r, s.log);
    assert.equal(held.at(-1), 'line 70');
    r.push(lines(40, (i) => `new ${i + 1}`)); // 40 of the old lines drop off the ring
    assert.deepEqual(screen(r, s.log), held, 'the same lines, though their places in the ring moved');
    assert.equal(r.total - s.log.pausedAt!, 40, 'new lines since the pause');
    s = key(r, s, -1);
    assert.equal(screen(r, s.log).at(-1), 'line 69', 'k from there still goes one line back');
    r.push(lines(80, (i) => `newer ${i + 1}`)); // the view's own lines drop off: it shows the oldest kept
    assert.equal(screen(r, s.log)[0], 'new 21');
  });

  it('counts shown lines under a filter, and whole lines with wrap (g: the first one at the top)', () => {
    const r = ringOf(200);
    let s = uiReducer(initialUi(), { type: 'startFilter', target: 'logs' });
    s = uiReducer(uiReducer(s, { type: 'type', text: '/0$/' }), { type: 'commit' });
    assert.equal(screen(r, s.log).at(-1), 'line 200');
    s = key(r, s, -1);
    assert.deepEqual([screen(r, s.log)[0], screen(r, s.log).at(-1)], ['line 80', 'line 190'], 'one shown line back');
    const long = new Ring<LogEntry>(100);
    long.push(lines(30, (i) => `${i + 1} ${'x'.repeat(150)}`));
    let w = uiReducer(initialUi(), { type: 'logToggle', what: 'wrap' });
    w = uiReducer(w, logScroll(long, shown(long, w.log), w.log, g, 'start'));
    const rows = screen(long, w.log);
    assert.equal(rows.length, 12);
    assert.match(rows[0]!, /^1 x+$/);
    assert.match(rows[1]!, /^x+$/);
    assert.match(rows[2]!, /^2 x+$/, 'each line takes two rows at 80 columns, then the next');
  });

  it('search: enter finds the nearest match up from the end, n the next older, N the newer; matches are marked', () => {
    const r = new Ring<LogEntry>(5000);
    r.push(lines(200, (i) => (i === 49 || i === 119 || i === 189 ? `ERROR at ${i + 1}` : `line ${i + 1}`)));
    let s = uiReducer(initialUi(), { type: 'startFilter', target: 'search' });
    s = uiReducer(uiReducer(s, { type: 'type', text: 'error' }), { type: 'commit' });
    const step = (dir: 'first' | 'older' | 'newer') => (s = uiReducer(s, logSearch(r, shown(r, s.log), s.log, g, dir)));
    step('first');
    assert.equal(s.log.hit, 189, 'the match at line 190, already on screen');
    assert.notEqual(s.log.top, undefined, 'a search pauses the view');
    const w = logWindow(r, shown(r, s.log), s.log, g);
    const row = w.rows.find((x) => x.text.startsWith('ERROR'))!;
    assert.deepEqual(row.hits, [[0, 5]]);
    step('older');
    assert.equal(s.log.hit, 119);
    assert.equal(screen(r, s.log)[0], 'ERROR at 120', 'a match off screen comes to the top, as in less');
    step('older');
    assert.equal(s.log.hit, 49);
    const none = logSearch(r, shown(r, s.log), s.log, g, 'older');
    assert.deepEqual([none.type, none.type === 'status' && none.text], ['status', 'no older match for error']);
    step('newer');
    assert.equal(s.log.hit, 119);
    const bad = uiReducer(initialUi(), { type: 'startFilter', target: 'search' });
    assert.equal(logSearch(r, shown(r, bad.log), bad.log, g, 'older').type, 'status', 'n without a search says so');
  });

  it('a merged log: a name column padded to the longest name; a skipped stretch is one marked line', () => {
    const r = new Ring<LogEntry>(100);
    r.push([
      { time: 't1', stream: 'stdout', text: 'hello', source: 0 },
      { time: 't2', stream: 'stderr', text: 'oops', source: 1 },
      { time: 't3', stream: 'stdout', text: '', skipped: 3_000_000, source: 1 },
    ]);
    const rows = logWindow(r, shownLines(r, 'zzz', 0), initialUi().log, { width: 80, height: 12, names: ['web', 'database'] }).rows;
    assert.deepEqual(rows.map((x) => x.text.slice(0, 14)), ['database | … 3'], 'the filter keeps the skip mark in sight');
    const all = logWindow(r, shownLines(r, '', 0), initialUi().log, { width: 80, height: 12, names: ['web', 'database'] }).rows;
    assert.deepEqual(all.map((x) => [x.text.slice(0, 16), x.source, x.nameWidth, x.err]), [
      ['web      | hello', 0, 11, false],
      ['database | oops', 1, 11, true],
      ['database | … 3MB', 1, 11, false],
    ]);
    assert.match(all[2]!.text, /skipped: written faster than it can be shown/);
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
    // On the Logs tab the logs, detail and global keys all apply: none may shadow another (n/N, f, T, L).
    const onLogs = ACTIONS.filter((a) => ['logs', 'detail', 'global'].includes(a.scope)).flatMap((a) => a.keys);
    assert.equal(new Set(onLogs).size, onLogs.length, 'a key bound twice on the Logs tab');
    const b = defaultBindings();
    for (const [k, id] of [['n', 'searchOlder'], ['N', 'searchNewer'], ['f', 'search'], ['ctrl-s', 'search'], ['T', 'logAmount'], ['L', 'mergedLogs']]) assert.equal(actionFor(b, k!, 'logs')?.id, id, k);
    assert.equal(actionFor(b, 'L', 'list')?.id, 'mergedLogs');
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

  it('a key bound twice is reported: {"stop":["q"]} says it shadows quit; the defaults share no key', () => {
    assert.deepEqual(keyConflicts(defaultBindings(), new Set()), []);
    const r = parseKeyConfig('{"stop": ["q"]}', '/home/u/.config/ctui/keys.json');
    assert.equal(r.error, 'keys.json: q is bound to both quit and stop; rebind one (/home/u/.config/ctui/keys.json)');
    assert.equal(actionFor(r.bindings, 'q', 'list')?.id, 'stop', 'the remap still applies');
    assert.equal(parseKeyConfig('{"stop": ["q"], "quit": ["Q"]}', 'keys.json').error, undefined, 'moving quit away resolves it');
    assert.equal(parseKeyConfig('{"wrap": ["s"]}', 'keys.json').error, undefined, 'logs and list keys are never live at once');
  });

  it('every action but the session ones has a handler in the table (the compiler checks it too)', () => {
    for (const a of ACTIONS) assert.equal(handlerFor(a.id) !== undefined, a.scope !== 'session', a.id);
    assert.equal(handlerFor('toString'), undefined);
  });

  it('the help names the keys in use: a remapped switch key and detach keys show there', () => {
    const text = (b: Parameters<typeof helpSections>[0], d?: string) => helpSections(b, d).flatMap((s) => s.rows.map((r) => r.join(' '))).join('\n');
    assert.match(text(defaultBindings()), /ctrl-t full screen and back/);
    const r = parseKeyConfig('{"switchSession": ["ctrl-o"]}', 'keys.json');
    const t = text(r.bindings, 'ctrl-x,x');
    assert.match(t, /ctrl-o full screen and back/);
    assert.doesNotMatch(t, /ctrl-t|ctrl-p ctrl-q/);
    assert.match(t, /ctrl-x x detach/);
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

describe('custom commands (keys.json customCommands)', () => {
  it('parse: defaults, lazydocker\'s attach, and one clear error for each bad entry', () => {
    const r = parseKeyConfig('{"customCommands": [{"key": "ctrl-d", "name": "down", "command": "docker-compose down"}, {"key": "X", "command": "sh", "attach": true, "context": "images"}]}', 'keys.json');
    assert.equal(r.error, undefined);
    assert.deepEqual(r.custom?.map((c) => [c.key, c.name, c.context, c.output]), [['ctrl-d', 'down', 'containers', 'pane'], ['X', 'sh', 'images', 'terminal']]);
    for (const [bad, why] of [
      ['[{"key": "ctrl-xy", "command": "x"}]', /'key' needs a key/],
      ['[{"key": "x"}]', /'command' needs/],
      ['[{"key": "x", "command": "y", "output": "popup"}]', /'output' is one of/],
      ['[{"key": "x", "command": "y", "where": 1}]', /unknown field 'where'/],
      ['[{"key": "x", "command": "a"}, {"key": "x", "command": "b"}]', /x is bound to both/],
      ['{}', /needs a list/],
    ] as const) {
      const e = parseKeyConfig(`{"customCommands": ${bad}}`, 'keys.json');
      assert.match(e.error ?? '', why, bad);
      assert.match(e.error ?? '', /default keys kept/);
    }
    assert.match(parseKeyConfig('{"customCommands": [{"key": "s", "command": "x"}]}', 'keys.json').error ?? '', /s is bound to both stop and the custom command/);
  });

  it('templates see docker\'s field names; every value is one shell word', () => {
    assert.equal(shellWord('web-1.x'), 'web-1.x');
    assert.equal(shellWord("it's; rm -rf /"), `'it'\\''s; rm -rf /'`);
    const row = { key: 'c1', target: 'c1', objectId: 'c1', cells: [], tones: [], text: '', name: 'web', running: true };
    const data = { ...emptyData, containers: [{ Id: 'c1', Name: 'web', Image: 'busybox', ImageId: 'i', Command: 'sh', Created: '', State: { Status: 'running' } as never, Labels: { note: 'a b' }, ImageSize: 0, Mounts: [] }] };
    const d = templateData('containers', row, data, ['c1', 'c2']);
    const cmd = { key: 'x', name: 'n', context: 'containers' as const, output: 'background' as const, command: 'echo {{.Name}} {{.Container.ID}} {{.Labels.note}} {{.IDs}}' };
    assert.deepEqual(expandCommand(cmd, d), { line: "echo web c1 'a b' c1 c2" });
    assert.match((expandCommand({ ...cmd, command: '{{.Nope}}' }, d) as { error: string }).error, /^n: .*Nope/);
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

describe('the : line', () => {
  const data = {
    ...emptyData,
    containers: ['web1', 'web2', 'db'].map((n, i) => ({ Id: `${i}abc${n}`, Name: n, Image: 'busybox', ImageId: 'i', Command: 'sh', Created: '', State: { Status: 'running', Running: true, ExitCode: 0, StartedAt: '2026-01-01T00:00:00Z', FinishedAt: '' } as never, Labels: {}, ImageSize: 0, Mounts: [] })),
    images: [{ Id: 'sha256:feed', RepoTags: ['docker.io/library/busybox:latest'], Created: '', Size: 1, Containers: 0 }],
    volumes: [{ Name: 'vol1', Driver: 'local', Scope: 'local', Mountpoint: '', Labels: {}, UsedBy: [], CreatedAt: '2026-01-01T00:00:00Z' } as never],
  };
  it('parses docker verbs and aliases; a bad line is an error to show where it was typed', () => {
    const ok = parseCommand('ps');
    assert.ok(ok && 'def' in ok && ok.def.name === 'containers');
    const rm = parseCommand('rm web1');
    assert.ok(rm && 'def' in rm && rm.def.name === 'rm' && rm.args[0] === 'web1');
    assert.match((parseCommand('frob') as { error: string }).error, /unknown command :frob/);
    assert.match((parseCommand('run') as { error: string }).error, /usage: :run IMAGE/);
    assert.match((parseCommand('prune nothing') as { error: string }).error, /usage: :prune/);
    assert.equal(parseCommand('  '), undefined);
  });
  it('names: a container by name or id prefix, an image by its short reference, a volume by name', () => {
    assert.equal(findRow('containers', data, 'web2')?.name, 'web2');
    assert.equal(findRow('containers', data, '2abc')?.name, 'db');
    assert.equal(findRow('images', data, 'busybox')?.objectId, 'sha256:feed');
    assert.equal(findRow('images', data, 'feed')?.objectId, 'sha256:feed');
    assert.equal(findRow('volumes', data, 'vol1')?.target, 'vol1');
    assert.equal(findRow('containers', data, 'nope'), undefined);
  });
  it('tab completes commands, then the names each takes', () => {
    assert.deepEqual(complete('lo', data), { text: 'logs ', choices: [] });
    assert.deepEqual(complete('logs w', data), { text: 'logs web', choices: ['web1', 'web2'] });
    assert.deepEqual(complete('logs web2', data), { text: 'logs web2 ', choices: [] });
    assert.deepEqual(complete('rmi bu', data), { text: 'rmi busybox:latest ', choices: [] });
    assert.deepEqual(complete('st', data).choices, ['start', 'stop']);
    assert.deepEqual(complete('zz', data), { text: 'zz', choices: [] });
  });
  it('history: up and down walk it; typing leaves it; the error clears as one types', () => {
    let s = uiReducer(initialUi(), { type: 'remember', line: 'ps' });
    s = uiReducer(s, { type: 'remember', line: 'logs web1' });
    s = uiReducer(s, { type: 'remember', line: 'logs web1' });
    assert.deepEqual(s.history, ['ps', 'logs web1']);
    s = uiReducer(s, { type: 'startCommand' });
    s = uiReducer(s, { type: 'commandLine', text: 'frob', error: 'unknown command :frob' });
    assert.ok(s.mode.kind === 'command' && s.mode.error);
    s = uiReducer(s, { type: 'type', text: 'x' });
    assert.deepEqual(s.mode, { kind: 'command', text: 'frobx' });
    assert.deepEqual(remember(Array.from({ length: 100 }, (_, i) => `c${i}`), 'new').length, 100);
  });
});
