import type { Actions } from './actions.js';
import { nameOf } from './actioncontext.js';
import type { ActionId, SessionActionId } from './keymap.js';
import { logAction, logBackable, type LogKeyContext } from './logkeys.js';
import type { PaneTarget } from './session/inpane.js';
import type { ListView } from './state/list.js';
import type { UiAction, UiState } from './state/ui.js';

/** What a key's action may use: the state when the key came, the reducer, the engine's actions. */
export interface KeyContext {
  readonly ui: UiState;
  readonly dispatch: (a: UiAction) => void;
  readonly actions: Actions;
  /** The focused list's ids and height (for moves and marks). */
  readonly list: ListView;
  /** Whether the focus is on the detail pane's Logs tab. */
  readonly onLogs: boolean;
  /** Moves the focused thing (list cursor, log, detail text) by lines, or to its start or end. */
  readonly move: (delta: number | 'start' | 'end') => void;
  /** One page up or down on the focused thing. */
  readonly page: (direction: 1 | -1) => void;
  readonly openPane: (t: PaneTarget) => void;
  /** The Logs tab's log and size, for its own keys (search, amount, the merged log). */
  readonly log: () => LogKeyContext;
}

/** The actions a key reaches through the table: all but the session's own (its keys go to the session). */
export type TableActionId = Exclude<ActionId, SessionActionId>;
export type KeyHandler = (c: KeyContext) => void;

const list = (c: KeyContext, action: Extract<UiAction, { type: 'list' }>['action']) => c.dispatch({ type: 'list', action, view: c.list });
const logKey = (c: KeyContext, id: string) => {
  const a = logAction(id, c.log());
  if (a) c.dispatch(a);
};
const toTab = (c: KeyContext, tab: 'logs' | 'inspect') => {
  c.dispatch({ type: 'tab', tab });
  c.dispatch({ type: 'focus', focus: 'detail' });
};

/**
 * One handler per keymap action, keyed by its id (lazydocker keeps key, handler and help in one row
 * the same way): a missing, extra or misspelled id fails to compile, so the keymap and what keys do
 * cannot drift apart. Keys, mouse clicks and the `:` line all reach actions through this table.
 */
export const HANDLERS: { readonly [A in TableActionId]: KeyHandler } = {
  quit: (c) => c.actions.quit(),
  help: (c) => c.dispatch({ type: 'help' }),
  nextPane: (c) => c.dispatch({ type: 'cyclePane', delta: 1 }),
  prevPane: (c) => c.dispatch({ type: 'cyclePane', delta: -1 }),
  images: (c) => c.dispatch({ type: 'pane', pane: 'images' }),
  containers: (c) => c.dispatch({ type: 'pane', pane: 'containers' }),
  volumes: (c) => c.dispatch({ type: 'pane', pane: 'volumes' }),
  command: (c) => c.dispatch({ type: 'startCommand' }),
  filter: (c) => c.dispatch({ type: 'startFilter', target: c.onLogs ? 'logs' : 'list' }),
  up: (c) => c.move(-1),
  down: (c) => c.move(1),
  pageUp: (c) => c.page(-1),
  pageDown: (c) => c.page(1),
  top: (c) => c.move('start'),
  bottom: (c) => c.move('end'),
  details: (c) => c.dispatch({ type: 'focus', focus: 'detail' }),
  back: (c) => (c.onLogs && logBackable(c.ui) ? c.dispatch({ type: 'logBack' }) : c.dispatch({ type: 'focus', focus: 'list' })),
  prevTab: (c) => c.dispatch({ type: 'cycleTab', delta: -1 }),
  nextTab: (c) => c.dispatch({ type: 'cycleTab', delta: 1 }),
  logs: (c) => (c.ui.pane !== 'containers' ? c.dispatch({ type: 'status', text: 'logs are for containers', tone: 'error' }) : toTab(c, 'logs')),
  inspect: (c) => toTab(c, 'inspect'),
  copyId: (c) => c.actions.copyId(),
  stop: (c) => void c.actions.startStop(),
  restart: (c) => void c.actions.restart(),
  pause: (c) => void c.actions.pause(),
  remove: (c) => c.actions.askRemove(),
  prune: (c) => c.actions.askPrune(),
  mark: (c) => list(c, { type: 'mark' }),
  markRange: (c) => list(c, { type: 'markRange' }),
  extendDown: (c) => list(c, { type: 'extend', delta: 1 }),
  extendUp: (c) => list(c, { type: 'extend', delta: -1 }),
  unmarkAll: (c) => list(c, { type: 'unmarkAll' }),
  markAll: (c) => list(c, { type: 'markAll' }),
  invertMarks: (c) => list(c, { type: 'invertMarks' }),
  bulk: (c) => c.actions.bulk(),
  attach: (c) => c.actions.sessions.attach(),
  attachPane: (c) => {
    const row = c.actions.sessions.sessionTarget('attach');
    if (row) c.openPane({ kind: 'attach', id: row.target, name: nameOf(row) });
  },
  execPane: (c) => c.actions.sessions.exec('pane'),
  exec: (c) => c.actions.sessions.exec(),
  run: (c) => c.actions.sessions.openRun(),
  commit: (c) => c.actions.sessions.openCommit(),
  wrap: (c) => c.dispatch({ type: 'logToggle', what: 'wrap' }),
  timestamps: (c) => c.dispatch({ type: 'logToggle', what: 'timestamps' }),
  context: (c) => c.dispatch({ type: 'logContext' }),
  saveLogs: (c) => void c.actions.saveLogs(),
  search: (c) => logKey(c, 'search'),
  searchOlder: (c) => logKey(c, 'searchOlder'),
  searchNewer: (c) => logKey(c, 'searchNewer'),
  logAmount: (c) => logKey(c, 'logAmount'),
  mergedLogs: (c) => logKey(c, 'mergedLogs'),
};

/** The handler of an action id (undefined for session actions and unknown ids). */
export function handlerFor(id: string): KeyHandler | undefined {
  return Object.hasOwn(HANDLERS, id) ? HANDLERS[id as TableActionId] : undefined;
}
