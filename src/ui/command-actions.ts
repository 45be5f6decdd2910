import type { ActionContext } from './actioncontext.js';
import { complete, findRow, parseCommand, paneOf, type CommandDef } from './commandline.js';
import type { TableActionId } from './handlers.js';
import type { Row } from './state/rows.js';
import type { Mode, PaneKind } from './state/ui.js';

/** What the `:` line needs besides the context: the list actions it reuses. */
export interface CommandHooks {
  readonly saveLogs: (file?: string) => Promise<void>;
  readonly runImage: (image: string, cmd: readonly string[]) => Promise<void>;
}

/** The verbs that act on the selected object, and the table's action each one is. */
const ON_OBJECT: Partial<Record<string, TableActionId>> = {
  logs: 'logs', inspect: 'inspect', restart: 'restart', pause: 'pause', rm: 'remove', rmi: 'remove', attach: 'attach', exec: 'exec',
};

/**
 * The `:` line: Enter runs the line or keeps it open with the error where it was typed; tab
 * completes commands and names; up and down walk the history (this run's lines, oldest first).
 */
export class CommandLine {
  constructor(private readonly c: ActionContext, private readonly hooks: CommandHooks) {}

  private keepOpen(text: string, error: string): void {
    this.c.dispatch({ type: 'commandLine', text, error });
  }

  complete(text: string): void {
    const r = complete(text, this.c.current().data);
    this.c.dispatch({ type: 'commandLine', text: r.text, choices: r.choices });
  }

  history(step: -1 | 1, m: Extract<Mode, { kind: 'command' }>): void {
    const h = this.c.current().ui.history;
    if (!h.length) return;
    const at = (m.hist ?? h.length) + step;
    if (at >= h.length) return this.c.dispatch({ type: 'commandLine', text: '', hist: h.length });
    const i = Math.max(0, at);
    this.c.dispatch({ type: 'commandLine', text: h[i]!, hist: i });
  }

  submit(text: string): void {
    const p = parseCommand(text);
    if (!p) return this.c.dispatch({ type: 'commit' });
    if ('error' in p) return this.keepOpen(text, p.error);
    const name = p.args[0];
    // A name that means nothing here is said on the line itself, which stays open to be corrected.
    let target: { pane: PaneKind; row: Row } | undefined;
    if (name && p.def.arg !== 'pane' && p.def.arg !== 'file' && p.def.name !== 'run') {
      target = this.lookup(p.def, name);
      if (!target) return this.keepOpen(text, `no such ${p.def.arg === 'object' ? 'container, image or volume' : p.def.arg}: ${name}`);
    }
    this.c.dispatch({ type: 'commit' });
    this.c.dispatch({ type: 'remember', line: text });
    void this.run(p.def, p.args, target);
  }

  private lookup(def: CommandDef, name: string): { pane: PaneKind; row: Row } | undefined {
    const { data } = this.c.current();
    const panes: PaneKind[] = def.arg === 'object' ? ['containers', 'images', 'volumes'] : [paneOf(def.arg)!];
    for (const pane of panes) {
      const row = findRow(pane, data, name);
      if (row) return { pane, row };
    }
    return undefined;
  }

  private async run(def: CommandDef, args: readonly string[], target: { pane: PaneKind; row: Row } | undefined): Promise<void> {
    const c = this.c;
    switch (def.name) {
      case 'images':
      case 'containers':
      case 'volumes':
        return c.dispatch({ type: 'pane', pane: def.name });
      case 'help':
        return c.perform('help');
      case 'quit':
        return c.perform('quit');
      case 'w':
        return this.hooks.saveLogs(args.join(' ') || undefined);
      case 'run':
        return this.hooks.runImage(args[0]!, args.slice(1));
      case 'prune':
        if (args[0]) c.dispatch({ type: 'pane', pane: args[0] as PaneKind });
        return c.afterRender(() => c.perform('prune'));
    }
    // The rest act on an object: the one named (selected first, as a click would), or the selection.
    const act = () => {
      const { ui, rows } = c.current();
      const row = rows[ui.lists[ui.pane].cursor];
      if (def.name === 'start' || def.name === 'stop') {
        if (ui.pane !== 'containers' || !row) return c.perform('stop'); // says what is wrong
        if (def.name === 'start' ? row.running : !row.running) {
          return c.dispatch({ type: 'status', text: `${row.name ?? row.target} is ${row.running ? 'already running' : 'not running'}`, tone: 'info' });
        }
        return c.perform('stop');
      }
      const id = ON_OBJECT[def.name];
      if (id) c.perform(id);
    };
    if (!target) return act();
    const { ui } = c.current();
    if (ui.pane !== target.pane) c.dispatch({ type: 'pane', pane: target.pane });
    // The filter could hide the row named.
    if (c.current().ui.filters[target.pane]) c.dispatch({ type: 'clearFilter', target: 'list' });
    c.dispatch({ type: 'select', pane: target.pane, id: target.row.key });
    c.afterRender(act);
  }
}
