import { filterRows, type Row } from './rows.js';
import type { UiState } from './ui.js';

/**
 * How a list is ordered and what it leaves out: a column to sort by (none: the engine's order, as
 * `ctui ps -a` lists them), its direction, and for containers whether stopped ones are hidden. Pure,
 * so the reducer keeps it per pane and the tests need no React.
 */
export interface SortState {
  /** The column's index in COLUMNS[pane]; undefined keeps the engine's order. */
  readonly column: number | undefined;
  readonly desc: boolean;
}

export const defaultSort: SortState = { column: undefined, desc: false };

/** The next column to sort by, in column order, then back to the engine's order; ascending each time. */
export function nextSort(s: SortState, columns: number): SortState {
  const next = s.column === undefined ? 0 : s.column + 1;
  return next >= columns ? defaultSort : { column: next, desc: false };
}

/** The other direction (on the engine's order: that order reversed). */
export function reverseSort(s: SortState): SortState {
  return { ...s, desc: !s.desc };
}

// Numbers inside text sort as numbers ("web-2" before "web-10"); case does not matter.
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function compare(a: string | number | undefined, b: string | number | undefined): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a ?? ''), String(b ?? ''));
}

/**
 * The rows as the list shows them: stopped containers left out when asked, then sorted by the
 * column's sort key (times and sizes by value, not by their text). The sort is stable: rows that
 * tie keep the engine's order.
 */
export function arrange(rows: readonly Row[], sort: SortState, runningOnly = false): readonly Row[] {
  const kept = runningOnly ? rows.filter((r) => r.running === true) : rows;
  if (sort.column === undefined) return sort.desc ? [...kept].reverse() : kept;
  const col = sort.column;
  const sign = sort.desc ? -1 : 1;
  return [...kept].sort((a, b) => sign * compare(a.sortKeys?.[col] ?? a.cells[col], b.sortKeys?.[col] ?? b.cells[col]));
}

/** What the header says about the order: "" for the engine's own. */
export function sortArrow(s: SortState): string {
  return s.desc ? '▼' : '▲';
}

/** The current pane's rows as shown: its filter, then "running only" (containers), then its sort. */
export function shownRows(ui: UiState, paneRows: readonly Row[]): readonly Row[] {
  return arrange(filterRows(paneRows, ui.filters[ui.pane]), ui.sorts[ui.pane], ui.runningOnly && ui.pane === 'containers');
}
