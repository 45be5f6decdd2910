import { humanSize } from '../../core/util/humanize.js';
import { displayText, searcher, type LogEntry, type Ring, type ShownLine } from './logs.js';
import type { LogView, UiAction } from './ui.js';

/**
 * Which log lines are on screen, and how keys move that window: the pure geometry of the Logs tab, so
 * the pane and the keys agree on it and tests need no terminal. Positions are line numbers as
 * Ring.total counts them (a line keeps its number while newer ones arrive and older ones drop off),
 * so a view scrolled back stays on its lines; following the end is the position `undefined`.
 */

/** One row of the pane (a line, or a piece of a wrapped one). */
export interface LogRow {
  readonly key: string;
  readonly text: string;
  /** A filter match (bold); context lines are not. */
  readonly match: boolean;
  readonly err: boolean;
  /** The "--" between context groups, or a skipped stretch (dim). */
  readonly dim: boolean;
  /** Merged log: the container (its colour) and the width of the name column at the row's start. */
  readonly source?: number;
  readonly nameWidth: number;
  /** Search matches in `text`, [start, end) in characters (inverse). */
  readonly hits: ReadonlyArray<readonly [number, number]>;
}

export interface LogGeometry {
  readonly width: number;
  /** Rows for lines (the pane less its info line). */
  readonly height: number;
  /** Merged log: the containers' names, for the name column. */
  readonly names?: readonly string[] | undefined;
}

export interface LogWindow {
  readonly rows: LogRow[];
  /** Index in `shown` of the first line on screen, and of the last. */
  readonly topIndex: number;
  readonly bottomIndex: number;
  /** Index in `shown` of the top line of the last screenful (0: the whole log fits). */
  readonly endTop: number;
}

const NAME_MAX = 20;

/** The merged log's name column: as wide as the longest name (up to NAME_MAX), then " | ". */
export function nameColumn(names: readonly string[] | undefined): number {
  if (!names?.length) return 0;
  return Math.min(NAME_MAX, Math.max(...names.map((n) => [...n].length))) + 3;
}

export function skippedText(bytes: number): string {
  return `… ${humanSize(bytes)} of log skipped: written faster than it can be shown (ctui logs has it all) …`;
}

/** The rows one shown line takes. */
function lineRows(ring: Ring<LogEntry>, s: ShownLine, view: LogView, g: LogGeometry, find: ReturnType<typeof searcher>): LogRow[] {
  const e = ring.at(s.index)!;
  const nameW = nameColumn(g.names);
  const name = nameW ? [...(g.names![e.source ?? 0] ?? '')].slice(0, nameW - 3).join('').padEnd(nameW - 3) + ' | ' : '';
  const time = view.timestamps && e.time ? e.time.slice(0, 23).replace('T', ' ') + ' ' : '';
  const skipped = e.skipped !== undefined;
  const body = skipped ? skippedText(e.skipped!) : displayText(e.text);
  const prefix = [...(name + time)].length;
  const chars = [...(name + time + body)];
  const width = Math.max(1, g.width);
  const pieces = !view.wrap || chars.length <= width ? 1 : Math.ceil(chars.length / width);
  const hits = find && !skipped ? find(body).map(([a, b]) => [a + prefix, b + prefix] as const) : [];
  const out: LogRow[] = [];
  if (s.gap) out.push({ key: `${s.index}.gap`, text: '--', match: false, err: false, dim: true, nameWidth: 0, hits: [] });
  for (let p = 0; p < pieces; p++) {
    const from = p * width;
    const to = from + width;
    out.push({
      key: `${ring.dropped + s.index}.${p}`,
      text: chars.slice(from, to).join(''),
      match: s.match,
      err: e.stream === 'stderr',
      dim: skipped,
      ...(e.source !== undefined && nameW ? { source: e.source } : {}),
      nameWidth: p === 0 ? nameW : 0,
      hits: hits.filter(([a, b]) => a < to && b > from).map(([a, b]) => [Math.max(a, from) - from, Math.min(b, to) - from] as const),
    });
  }
  return out;
}

/** Index in `shown` of the first line numbered `seq` or later (0 when it dropped off the ring). */
export function indexOf(ring: Ring<LogEntry>, shown: readonly ShownLine[], seq: number): number {
  let lo = 0;
  let hi = shown.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ring.dropped + shown[mid]!.index < seq) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(lo, Math.max(0, shown.length - 1));
}

/** The pane's rows: from the top line when scrolled back, else the last screenful (built bottom-up). */
export function logWindow(ring: Ring<LogEntry>, shown: readonly ShownLine[], view: LogView, g: LogGeometry): LogWindow {
  const find = searcher(view.search);
  const h = Math.max(1, g.height);
  const rowsOf = (i: number) => lineRows(ring, shown[i]!, view, g, find);
  if (shown.length === 0) return { rows: [], topIndex: 0, bottomIndex: -1, endTop: 0 };
  const last = shown.length - 1;
  // The last screenful, bottom-up (its top line may show only its last pieces), and the first line of it shown whole.
  const endRows: LogRow[] = [];
  let endFirst = last;
  let endTop = 0;
  for (let i = last; i >= 0 && endRows.length < h; i--) {
    const r = rowsOf(i);
    if (endRows.length + r.length <= h) endTop = i;
    else if (i === last) endTop = last;
    endRows.unshift(...r.slice(Math.max(0, r.length - (h - endRows.length))));
    endFirst = i;
  }
  const end = { rows: endRows, top: endFirst };
  if (view.top === undefined) return { rows: end.rows, topIndex: end.top, bottomIndex: shown.length - 1, endTop };
  const start = indexOf(ring, shown, view.top);
  // Near the end (a filter or wrap changed what fits): the last screenful, still paused.
  if (start >= endTop) return { rows: end.rows, topIndex: end.top, bottomIndex: shown.length - 1, endTop };
  const rows: LogRow[] = [];
  let i = start;
  for (; i < shown.length && rows.length < h; i++) rows.push(...rowsOf(i));
  return { rows: rows.slice(0, h), topIndex: start, bottomIndex: i - 1, endTop };
}

/**
 * The position after a move, as in less: negative deltas go back in time, positive ones toward the end
 * (reaching it follows again), 'start' shows the first screenful, 'end' follows.
 */
export function logScroll(ring: Ring<LogEntry>, shown: readonly ShownLine[], view: LogView, g: LogGeometry, delta: number | 'start' | 'end'): UiAction {
  const follow: UiAction = { type: 'logScroll', top: undefined, pausedAt: undefined };
  if (delta === 'end' || shown.length === 0) return follow;
  const { endTop, topIndex } = logWindow(ring, shown, view, g);
  // The whole log fits: there is nowhere to scroll.
  if (endTop === 0) return follow;
  const cur = view.top === undefined ? endTop : topIndex;
  const next = delta === 'start' ? 0 : Math.max(0, Math.min(endTop, cur + delta));
  if (next >= endTop) return follow;
  return { type: 'logScroll', top: ring.dropped + shown[next]!.index, pausedAt: view.pausedAt ?? ring.total };
}

/**
 * A search step: 'first' finds the nearest match up from the bottom of the pane (from the end when
 * following), 'older' the next one up (n, as in less after ?), 'newer' the next one down (N). The
 * view pauses with the match in sight; a match already on screen does not move it.
 */
export function logSearch(ring: Ring<LogEntry>, shown: readonly ShownLine[], view: LogView, g: LogGeometry, dir: 'first' | 'older' | 'newer'): UiAction {
  const find = searcher(view.search);
  if (!find) return { type: 'status', text: view.search ? `bad search pattern: ${view.search}` : 'no search yet (f or ctrl-s searches the log)', tone: 'error' };
  const w = logWindow(ring, shown, view, g);
  const hitAt = view.hit === undefined ? undefined : indexOf(ring, shown, view.hit);
  const hitOk = hitAt !== undefined && ring.dropped + shown[hitAt]!.index === view.hit;
  const step = dir === 'newer' ? 1 : -1;
  let i = dir === 'first' || !hitOk ? (dir === 'newer' ? w.topIndex : w.bottomIndex) : hitAt! + step;
  for (; i >= 0 && i < shown.length; i += step) {
    const e = ring.at(shown[i]!.index)!;
    if (e.skipped === undefined && find(displayText(e.text)).length) break;
  }
  if (i < 0 || i >= shown.length) {
    const what = dir === 'first' ? `pattern not found: ${view.search}` : `no ${dir} match for ${view.search}`;
    return { type: 'status', text: what, tone: 'error' };
  }
  const hit = ring.dropped + shown[i]!.index;
  const onScreen = i >= w.topIndex && i <= w.bottomIndex;
  const topIdx = onScreen ? Math.min(w.topIndex, w.endTop) : Math.min(i, w.endTop);
  return { type: 'logHit', hit, top: ring.dropped + shown[topIdx]!.index, pausedAt: view.pausedAt ?? ring.total };
}
