import type { Row } from './state/rows.js';
import type { Dialog, DialogItem } from './state/ui.js';

/**
 * The bulk menu (b on the Containers list): the actions over many containers at once, each naming
 * how many it touches. It acts on the marked rows if any, else on every row shown (after the filter:
 * what the user sees is what it touches). Pure: the entries are computed from the rows; the actions
 * run them (and the destructive ones open the usual itemised confirmation first).
 */
export type BulkId = 'stop' | 'start' | 'restart' | 'remove' | 'prune';

export interface BulkEntry {
  readonly id: BulkId;
  readonly label: string;
  /** The containers it acts on (row targets); prune decides its own (every stopped one). */
  readonly rows: readonly Row[];
}

/** The rows the menu acts on: the marked ones, or else all shown. */
export function bulkScope(rows: readonly Row[], marks: ReadonlySet<string>): { rows: Row[]; marked: boolean } {
  const marked = rows.filter((r) => marks.has(r.key));
  return marked.length ? { rows: marked, marked: true } : { rows: [...rows], marked: false };
}

export function bulkEntries(rows: readonly Row[], marks: ReadonlySet<string>): BulkEntry[] {
  const scope = bulkScope(rows, marks);
  const running = scope.rows.filter((r) => r.running);
  const stopped = scope.rows.filter((r) => !r.running);
  // "stop all 3 running" over the list; "stop 2 running of the 3 marked" over marks.
  const of = (n: number, what: string) => (scope.marked ? `${n} ${what} of the ${scope.rows.length} marked` : `all ${n} ${what}`);
  return [
    { id: 'stop', label: `stop ${of(running.length, 'running')}`, rows: running },
    { id: 'start', label: `start ${of(stopped.length, 'stopped')}`, rows: stopped },
    { id: 'restart', label: scope.marked ? `restart the ${scope.rows.length} marked` : `restart all ${running.length} running`, rows: scope.marked ? scope.rows : running },
    { id: 'remove', label: `remove ${of(stopped.length, 'stopped')}… (asks first)`, rows: stopped },
    { id: 'prune', label: 'prune every stopped container… (asks first)', rows: [] },
  ];
}

/** The menu as a dialog: one entry per action, the cursor on the first. */
export function bulkMenu(rows: readonly Row[], marks: ReadonlySet<string>, filter: string): Dialog {
  const scope = bulkScope(rows, marks);
  const items: DialogItem[] = bulkEntries(rows, marks).map((e) => ({ id: e.id, label: e.label, ticked: false }));
  const over = scope.marked ? `the ${scope.rows.length} marked containers` : `${scope.rows.length} containers${filter ? ` (shown by /${filter})` : ''}`;
  return { kind: 'menu', pane: 'containers', title: `Bulk actions on ${over}`, items, cursor: 0, measuring: false };
}
