import type { DetailData } from './panes/types.js';
import { LOG_AMOUNTS, shownLines } from './state/logs.js';
import { logScroll, logSearch, type LogGeometry } from './state/logwindow.js';
import { rowsFor, type Data } from './state/rows.js';
import type { UiAction, UiState } from './state/ui.js';

/**
 * The Logs tab's keys as UiActions: scrolling, search (f/ctrl-s, n, N), how much is read (T), the
 * merged log (L) and esc. The key handler calls these with the log on screen and the pane's size;
 * everything here is pure, so the app only dispatches what comes back.
 */
export interface LogKeyContext {
  readonly ui: UiState;
  readonly data: Data;
  readonly logs: DetailData['logs'] | undefined;
  /** The Logs tab's width and height (its info line included). */
  readonly width: number;
  readonly height: number;
}

function geometry(c: LogKeyContext): LogGeometry {
  return { width: c.width, height: Math.max(1, c.height - 1), names: c.logs?.names };
}

/** up/down/page/g/G on the Logs tab: delta < 0 goes back in time, as in less. */
export function logMove(c: LogKeyContext, delta: number | 'start' | 'end'): UiAction {
  if (!c.logs) return { type: 'logScroll', top: undefined, pausedAt: undefined };
  const shown = shownLines(c.logs.ring, c.ui.log.filter, c.ui.log.context);
  return logScroll(c.logs.ring, shown, c.ui.log, geometry(c), delta);
}

/** Enter on the search line: the nearest match up from the end (or from the bottom of a paused view). */
export function logSearchStep(c: LogKeyContext, dir: 'first' | 'older' | 'newer'): UiAction {
  if (!c.logs) return { type: 'status', text: 'no log to search', tone: 'error' };
  const shown = shownLines(c.logs.ring, c.ui.log.filter, c.ui.log.context);
  return logSearch(c.logs.ring, shown, c.ui.log, geometry(c), dir);
}

/** L: the marked containers' logs merged, or every running container's when none is marked. */
export function mergeLogs(c: LogKeyContext): UiAction {
  if (c.ui.pane !== 'containers') return { type: 'status', text: 'merged logs are for containers (2)', tone: 'error' };
  const rows = rowsFor('containers', c.data);
  const marks = c.ui.lists.containers.marks;
  const chosen = marks.size ? rows.filter((r) => marks.has(r.key)) : rows.filter((r) => r.running);
  if (chosen.length === 0) return { type: 'status', text: 'no running container to merge (mark some with space)', tone: 'error' };
  return { type: 'logMerge', targets: chosen.map((r) => ({ id: r.objectId, name: r.name ?? r.target.slice(0, 12) })) };
}

/** The Logs tab's own actions by id; undefined for any other action. */
export function logAction(id: string, c: LogKeyContext): UiAction | undefined {
  switch (id) {
    case 'search':
      return { type: 'startFilter', target: 'search' };
    case 'searchOlder':
      return logSearchStep(c, 'older');
    case 'searchNewer':
      return logSearchStep(c, 'newer');
    case 'logAmount':
      return { type: 'logAmount', count: LOG_AMOUNTS.length };
    case 'mergedLogs':
      return mergeLogs(c);
    default:
      return undefined;
  }
}

/** Whether esc on the Logs tab has something of the log's to undo first (search, filter, merged log). */
export function logBackable(ui: UiState): boolean {
  return Boolean(ui.log.search || ui.log.filter || ui.log.merged);
}
