import type { Engine } from '../core/engine.js';
import type { TuiHost } from './host.js';
import type { PaneTarget } from './session/inpane.js';
import type { Job } from './session/job.js';
import type { LogEntry, Ring } from './state/logs.js';
import type { Data, Row } from './state/rows.js';
import type { PaneKind, Tone, UiAction, UiState } from './state/ui.js';

/**
 * The action dispatcher: what a key or a command does to the engine. Pure state changes go through
 * dispatch (the reducer); everything here is a side effect that ends with a status line message,
 * success or the reason for failure, and never throws (a failed action must leave the UI usable).
 * List actions live in actions.ts, the forms and terminal sessions in session-actions.ts.
 */
export interface ActionContext {
  readonly engine: Engine;
  readonly host: TuiHost;
  readonly dispatch: (a: UiAction) => void;
  /** The state, rows and data at the time of the call. */
  readonly current: () => { ui: UiState; rows: readonly Row[]; data: Data; logRing?: Ring<LogEntry> | undefined; logTitle?: string };
  readonly reload: () => void;
  readonly quit: () => void;
  /** Writes to the terminal directly (OSC 52). */
  readonly writeTerminal: (s: string) => void;
  /** Gives the whole terminal to a full-screen session (attach, exec, run -it); the UI comes back after it. */
  /** False when it was refused (another job waits for the terminal, or there is no terminal). */
  readonly handOff: (job: Job) => boolean;
  /** The key that moves a terminal session between the pane and the whole terminal (ctrl-t unless remapped). */
  readonly switchKey: string;
  /** Opens a terminal session inside the detail pane (the list stays live beside it). */
  readonly openPane: (t: PaneTarget) => void;
  /** Runs an action of the key table (handlers.ts) on the state as it is now. */
  readonly perform: (id: string) => void;
  /** Runs fn after the next frame (a pane switched or a row selected: its rows and cursor are then current). */
  readonly afterRender: (fn: () => void) => void;
}

/** One status line message. */
export function say(c: ActionContext, text: string, tone: Tone = 'info'): void {
  c.dispatch({ type: 'status', text, tone });
}

/** True on the Containers pane; elsewhere says that `what` needs a container. */
export function containersOnly(c: ActionContext, pane: PaneKind, what: string): boolean {
  if (pane === 'containers') return true;
  say(c, `${what} works on containers (2 or :containers)`, 'error');
  return false;
}

/** A container row's name as the list shows it. */
export function nameOf(r: Row): string {
  return r.name || r.target.slice(0, 12);
}

/** docker's familiar form of a reference. */
export function short(ref: string): string {
  return ref.replace(/^docker\.io\/(library\/)?/, '');
}
