import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { renderToString } from 'ink';
import { createElement } from 'react';
import { historyRows, inspectLines, mountRows } from '../src/ui/detail.js';
import { defaultBindings } from '../src/ui/keymap.js';
import type { DetailData } from '../src/ui/panes/types.js';
import { Ring, type LogEntry } from '../src/ui/state/logs.js';
import { isUp, rowsFor, type Data } from '../src/ui/state/rows.js';
import { shownRows } from '../src/ui/state/sort.js';
import { initialUi, uiReducer, type UiAction, type UiState } from '../src/ui/state/ui.js';
import { layoutFor } from '../src/ui/layout.js';
import { View } from '../src/ui/view.js';
import { FIXED_NOW, fixtureEngine as engine } from './fixtures/ui-engine.js';
import { REPO } from './helpers.js';

/**
 * Frames of the terminal UI at 80x24 and 160x48 from a fixture engine with fixed ids and times,
 * compared with snapshots/tui-*.txt (UPDATE_SNAPSHOTS=1 rewrites them). The View is the same
 * component the live app renders; only the data source differs.
 */
process.env.NO_COLOR = '1';
// Writable-layer sizes as the UI measures them for the rows on screen (fixed, for stable frames).
const sizes = new Map(engine.containers.list().map((c, i) => [c.Id, [0, 4096, 12_000, 0, 1_500_000][i % 5]!] as const));
const data: Data = { images: engine.images.list(), containers: engine.containers.list(), volumes: engine.volumes.list(), sizes };

function logRing(): Ring<LogEntry> {
  const r = new Ring<LogEntry>(5000);
  const lines: LogEntry[] = [];
  for (let i = 0; i < 60; i++) {
    const t = new Date(FIXED_NOW - (60 - i) * 1000).toISOString().replace('Z', '000000Z');
    lines.push({ time: t, stream: i % 17 === 5 ? 'stderr' : 'stdout', text: i % 10 === 3 ? `error: request ${i} failed with a rather long message that does not fit in eighty columns at all\n` : `tick ${i}\n` });
  }
  r.push(lines);
  return r;
}

function detailFor(ui: UiState, cols: number, lines: number): DetailData | undefined {
  const rows = shownRows(ui, rowsFor(ui.pane, data, FIXED_NOW));
  const row = rows[ui.lists[ui.pane].cursor];
  if (!row) return undefined;
  const tab = ui.tabs[ui.pane];
  const ring = logRing();
  void cols;
  void lines;
  return {
    title: ui.pane === 'containers' ? row.name! : row.target,
    ...(tab === 'inspect' ? { inspect: inspectLines(engine, ui.pane, row) } : {}),
    ...(tab === 'history' ? { history: historyRows(engine, row.objectId, FIXED_NOW) } : {}),
    ...(tab === 'mounts' ? { mounts: mountRows(engine, row.objectId) } : {}),
    ...(tab === 'top' ? { top: engine.containers.top(row.objectId) } : {}),
    stats: { points: Array.from({ length: 40 }, (_, i) => ({ cpu: 5 + 4 * Math.sin(i / 3), mem: 2_000_000 + i * 30_000, memLimit: 512_000_000, pids: 2 + (i % 5 === 0 ? 1 : 0) })) },
    logs: { ring, version: ring.version, following: true },
  };
}

function frame(cols: number, lines: number, actions: Array<UiAction | ((ui: UiState) => UiAction)>): string {
  let ui = initialUi('containers');
  const view = () => ({ ids: shownRows(ui, rowsFor(ui.pane, data, FIXED_NOW)).map((r) => r.key), height: layoutFor(cols, lines, ui.focus).listRows });
  ui = uiReducer(ui, { type: 'list', action: { type: 'sync' }, view: view() });
  for (const a of actions) {
    ui = uiReducer(ui, typeof a === 'function' ? a(ui) : a);
    ui = uiReducer(ui, { type: 'list', action: { type: 'sync' }, view: view() });
  }
  const all = { images: rowsFor('images', data, FIXED_NOW), containers: rowsFor('containers', data, FIXED_NOW), volumes: rowsFor('volumes', data, FIXED_NOW) };
  const rows = shownRows(ui, all[ui.pane]);
  const out = renderToString(
    createElement(View, {
      ui,
      rows,
      counts: { images: all.images.length, containers: all.containers.length, volumes: all.volumes.length },
      detail: detailFor(ui, cols, lines),
      bindings: defaultBindings(),
      cols,
      lines,
      running: data.containers.filter(isUp).length,
    }),
    { columns: cols },
  );
  // eslint-disable-next-line no-control-regex
  return out.replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((l) => l.trimEnd()).join('\n') + '\n';
}

const move = (delta: number): UiAction => ({ type: 'list', action: { type: 'move', delta }, view: { ids: [], height: 1 } });
const moveIn = (delta: number) => (ui: UiState): UiAction => ({
  type: 'list',
  action: { type: 'move', delta },
  view: { ids: shownRows(ui, rowsFor(ui.pane, data, FIXED_NOW)).map((r) => r.key), height: 5 },
});

const SCENES: Record<string, Array<UiAction | ((ui: UiState) => UiAction)>> = {
  containers: [],
  'containers-marks': [{ type: 'list', action: { type: 'mark' }, view: { ids: data.containers.map((c) => c.Id), height: 8 } }, moveIn(1), { type: 'list', action: { type: 'mark' }, view: { ids: data.containers.map((c) => c.Id), height: 8 } }],
  logs: [{ type: 'focus', focus: 'detail' }],
  'logs-filter': [{ type: 'focus', focus: 'detail' }, { type: 'startFilter', target: 'logs' }, { type: 'type', text: 'error' }, { type: 'commit' }, { type: 'logContext' }],
  'logs-wrap-time': [{ type: 'focus', focus: 'detail' }, { type: 'logToggle', what: 'wrap' }, { type: 'logToggle', what: 'timestamps' }],
  inspect: [{ type: 'tab', tab: 'inspect' }, { type: 'focus', focus: 'detail' }],
  stats: [{ type: 'tab', tab: 'stats' }],
  top: [{ type: 'tab', tab: 'top' }],
  mounts: [moveIn(1), { type: 'tab', tab: 'mounts' }],
  images: [{ type: 'pane', pane: 'images' }],
  history: [{ type: 'pane', pane: 'images' }, moveIn(2), { type: 'tab', tab: 'history' }],
  volumes: [{ type: 'pane', pane: 'volumes' }],
  filter: [{ type: 'startFilter', target: 'list' }, { type: 'type', text: 'run' }],
  help: [{ type: 'help' }],
  prune: [
    {
      type: 'openDialog',
      dialog: {
        kind: 'prune',
        pane: 'containers',
        title: 'Prune stopped containers? (their writable layers and logs go)',
        items: [
          { id: 'a', label: `job-1 (${data.containers[2]!.Id.slice(0, 12)}) exited`, size: 40_960, ticked: true },
          { id: 'b', label: `fresh (${data.containers[3]!.Id.slice(0, 12)}) created`, size: 0, ticked: true },
        ],
        cursor: 0,
        measuring: false,
      },
    },
    { type: 'dialogToggle' },
  ],
  status: [{ type: 'status', text: 'stopped: web, worker', tone: 'ok' }, move(0)],
  // o o o o o (STATUS), then O: the header's arrow, the order by state.
  sorted: [{ type: 'sortNext' }, { type: 'sortNext' }, { type: 'sortNext' }, { type: 'sortNext' }, { type: 'sortNext' }, { type: 'sortReverse' }],
  'running-only': [{ type: 'toggleRunningOnly' }],
};

/** Sizes besides 80x24 and 160x48: a small terminal, a huge one (side by side), one too small to draw in. */
const EXTRA: Array<[string, number, number]> = [
  ['containers', 60, 15],
  ['logs', 60, 15],
  ['images', 60, 15],
  ['help', 60, 15],
  ['containers', 220, 50],
  ['containers', 30, 8],
];

describe('TUI frames (snapshots/tui-*.txt; UPDATE_SNAPSHOTS=1 rewrites them)', () => {
  const all: Array<[string, number, number]> = [
    ...([[80, 24], [160, 48]] as const).flatMap(([c, l]) => Object.keys(SCENES).map((n): [string, number, number] => [n, c, l])),
    ...EXTRA,
  ];
  for (const [name, cols, lines] of all) {
    const actions = SCENES[name]!;
    {
      it(`${name} at ${cols}x${lines}`, () => {
        const got = frame(cols, lines, actions);
        const file = path.join(REPO, 'snapshots', `tui-${name}-${cols}x${lines}.txt`);
        if (process.env.UPDATE_SNAPSHOTS === '1' || !fs.existsSync(file)) fs.writeFileSync(file, got);
        const want = fs.readFileSync(file, 'utf8');
        assert.equal(got, want);
        // The frame is exactly the terminal's size: nothing scrolls, nothing wraps.
        const rows = got.replace(/\n$/, '').split('\n');
        assert.ok(rows.length <= lines, `${rows.length} lines > ${lines}`);
        for (const r of rows) assert.ok([...r].length <= cols, `line wider than ${cols}: ${r}`);
      });
    }
  }
});
