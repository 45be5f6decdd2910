import { oneLine } from '../core/errors.js';
import { humanSize } from '../core/util/humanize.js';
import { containersOnly, nameOf, say, short, type ActionContext } from './actioncontext.js';
import { SessionActions } from './session-actions.js';
import { targets } from './state/list.js';
import type { Row } from './state/rows.js';
import { ticked, type Dialog, type DialogItem, type PaneKind, type Tone } from './state/ui.js';

export type { ActionContext } from './actioncontext.js';

/**
 * The action dispatcher for the lists: what a key or a command does to the engine (start, stop,
 * remove, prune, copy, save, the `:` line). Pure state changes go through dispatch (the reducer);
 * everything here is a side effect that ends with a status line message, success or the reason for
 * failure, and never throws (a failed action must leave the UI usable). Forms and terminal sessions
 * are in session-actions.ts.
 */
export class Actions {
  /** The running long action, if any: esc aborts it (between items, or inside the engine where it takes a signal). */
  private busy: AbortController | undefined;

  /** The forms and terminal sessions (a, e, r, c, the exec prompt). */
  readonly sessions: SessionActions;

  constructor(private readonly c: ActionContext) {
    this.sessions = new SessionActions(c);
  }

  private status(text: string, tone: Tone = 'info'): void {
    say(this.c, text, tone);
  }

  get isBusy(): boolean {
    return this.busy !== undefined || this.sessions.isBusy;
  }

  private quitArmed = false;

  /**
   * q: quits, unless an action is still running (a commit, a run, bulk items not reached yet): then
   * a second q quits. A stop under way finishes without us (its container's monitor holds the
   * deadline), but the rest of a bulk action, a commit or a run would be left undone.
   */
  quit(): void {
    if (this.isBusy && !this.quitArmed) {
      this.quitArmed = true;
      return this.status('still busy: q again quits, leaving the rest of it undone', 'error');
    }
    this.c.quit();
  }

  cancel(): boolean {
    if (this.sessions.cancel()) return true;
    if (!this.busy) return false;
    this.busy.abort();
    this.status('cancelling...', 'progress');
    return true;
  }

  /** Runs fn over each id with progress in the status line; esc stops before the next one. */
  private async each(verb: string, ids: readonly string[], fn: (id: string, signal: AbortSignal) => Promise<unknown>, label: (id: string) => string): Promise<{ done: string[]; failed: string[] }> {
    if (this.busy) {
      this.status('busy with the last action (esc stops it after the current item)', 'error');
      return { done: [], failed: [] };
    }
    const ac = new AbortController();
    this.busy = ac;
    const done: string[] = [];
    const failed: string[] = [];
    try {
      for (const [i, id] of ids.entries()) {
        if (ac.signal.aborted) break;
        // The engine's verbs here run to their end (a stop waits out its grace period): esc takes effect between items.
        this.status(`${verb} ${label(id)}${ids.length > 1 ? ` (${i + 1}/${ids.length})... (esc stops after this one)` : '...'}`, 'progress');
        try {
          await fn(id, ac.signal);
          done.push(id);
        } catch (err) {
          failed.push(`${label(id)}: ${oneLine(err)}`);
        }
      }
    } finally {
      this.busy = undefined;
      this.quitArmed = false;
      this.c.reload();
    }
    const cancelled = ac.signal.aborted && done.length + failed.length < ids.length ? ` (cancelled, ${ids.length - done.length - failed.length} left alone)` : '';
    if (failed.length) this.status(`${verb} failed for ${failed.join('; ')}${done.length ? ` (${done.length} done)` : ''}${cancelled}`, 'error');
    else this.status(`${verb}: ${done.map(label).join(', ') || 'nothing'}${cancelled}`, cancelled ? 'info' : 'ok');
    return { done, failed };
  }

  private selection(): { pane: PaneKind; rows: Row[] } {
    const { ui, rows } = this.c.current();
    const ids = targets(ui.lists[ui.pane], rows.map((r) => r.key));
    const byKey = new Map(rows.map((r) => [r.key, r]));
    return { pane: ui.pane, rows: ids.map((k) => byKey.get(k)!).filter(Boolean) };
  }

  private label(rows: readonly Row[]): (id: string) => string {
    // Containers are named by their names (as the list shows them), the rest by what identifies them.
    const names = new Map(rows.map((r) => [r.target, r.running !== undefined ? nameOf(r) : r.target]));
    return (id) => names.get(id) ?? id.slice(0, 12);
  }

  private containersOnly(pane: PaneKind, what: string): boolean {
    return containersOnly(this.c, pane, what);
  }

  async startStop(): Promise<void> {
    const { pane, rows } = this.selection();
    if (!this.containersOnly(pane, 'start/stop') || rows.length === 0) return;
    const label = this.label(rows);
    const running = rows.filter((r) => r.running);
    // With a mix, the toggle stops: stopping is what a mixed selection most often means (and is safe).
    if (running.length) await this.each('stopped', running.map((r) => r.target), (id) => this.c.engine.containers.stop(id), label);
    else await this.each('started', rows.map((r) => r.target), async (id) => (await this.c.engine.containers.start(id)).started, label);
    this.c.dispatch({ type: 'list', action: { type: 'unmarkAll' }, view: { ids: [], height: 1 } });
  }

  async restart(): Promise<void> {
    const { pane, rows } = this.selection();
    if (!this.containersOnly(pane, 'restart') || rows.length === 0) return;
    await this.each('restarted', rows.map((r) => r.target), async (id) => {
      await this.c.engine.containers.stop(id);
      await (await this.c.engine.containers.start(id)).started;
    }, this.label(rows));
  }

  async pause(): Promise<void> {
    const { pane, rows } = this.selection();
    if (!this.containersOnly(pane, 'pause') || rows.length === 0) return;
    const allPaused = rows.every((r) => r.paused);
    await this.each(allPaused ? 'unpaused' : 'paused', rows.filter((r) => (allPaused ? r.paused : r.running && !r.paused)).map((r) => r.target), (id) =>
      allPaused ? this.c.engine.containers.unpause(id) : this.c.engine.containers.pause(id), this.label(rows));
  }

  /** d: a dialog naming every row that would go (sizes where known); enter removes the ticked ones. */
  askRemove(): void {
    const { pane, rows } = this.selection();
    if (rows.length === 0) return this.status(`no ${pane} selected`, 'error');
    const items: DialogItem[] = rows.map((r) => ({
      id: r.target,
      label: pane === 'containers' ? `${nameOf(r)} (${r.target.slice(0, 12)}) ${r.cells[4]}${r.running ? ' - running: it is killed first' : ''}` : pane === 'images' ? `${r.target}${r.target.startsWith('sha256:') ? '' : ' (untagged; the image goes with its last tag)'}` : r.target,
      ticked: true,
      ...(r.bytes !== undefined ? { size: r.bytes } : {}),
    }));
    this.c.dispatch({ type: 'openDialog', dialog: { kind: 'remove', pane, title: `Remove ${items.length} ${singular(pane, items.length)}?`, items, cursor: 0, measuring: false } });
  }

  /** p: what prune would remove in this pane, each with its size (measured as the dialog shows). */
  askPrune(): void {
    const { ui, data } = this.c.current();
    const pane = ui.pane;
    let items: DialogItem[];
    let title: string;
    if (pane === 'containers') {
      title = 'Prune stopped containers? (their writable layers and logs go)';
      items = data.containers.filter((c) => ['created', 'exited', 'dead'].includes(c.State.Status)).map((c) => ({ id: c.Id, label: `${c.Name} (${c.Id.slice(0, 12)}) ${c.State.Status}`, ticked: true }));
    } else if (pane === 'images') {
      // Dangling images are ticked; unused tagged ones are listed unticked (prune -a would take them).
      title = 'Prune images no container uses? (dangling ticked; tick tagged ones to remove them too)';
      items = data.images.filter((i) => i.Containers === 0).map((i) => ({
        id: i.RepoTags.length ? i.Id : i.Id,
        label: i.RepoTags.length ? `${i.RepoTags.map(short).join(', ')} (${i.Id.slice(7, 19)})` : `<none> (${i.Id.slice(7, 19)}) dangling`,
        size: i.Size,
        ticked: i.RepoTags.length === 0,
      }));
    } else {
      title = 'Prune volumes no container uses? (their data goes)';
      items = data.volumes.filter((v) => v.UsedBy.length === 0).map((v) => ({ id: v.Name, label: `${v.Name}${v.Anonymous ? ' (anonymous)' : ''}`, ticked: true }));
    }
    const measure = pane !== 'images' && items.length > 0;
    this.c.dispatch({ type: 'openDialog', dialog: { kind: 'prune', pane, title, items, cursor: 0, measuring: measure } });
    if (measure) void this.measure(pane, items);
  }

  private async measure(pane: PaneKind, items: readonly DialogItem[]): Promise<void> {
    const sizes = new Map<string, number>();
    for (const it of items) {
      // The dialog was answered or closed (esc): the rest is not needed.
      if (this.c.current().ui.mode.kind !== 'dialog') return;
      try {
        sizes.set(it.id, pane === 'containers' ? await this.c.engine.containers.size(it.id) : await this.c.engine.volumes.size(it.id));
      } catch {
        /* gone meanwhile: no size */
      }
      // Sizes appear in batches, not one frame per item.
      if (sizes.size % 20 === 0) this.c.dispatch({ type: 'dialogSizes', sizes: new Map(sizes), done: false });
    }
    this.c.dispatch({ type: 'dialogSizes', sizes, done: true });
  }

  /** Enter in a dialog: remove or prune the ticked items; the status line says what went and what it freed. */
  async confirm(d: Dialog): Promise<void> {
    this.c.dispatch({ type: 'closeMode' });
    const items = ticked(d);
    if (items.length === 0) return this.status('nothing ticked: nothing removed');
    const label = (id: string) => items.find((i) => i.id === id)?.label.replace(/ - running.*$/, '') ?? id;
    const e = this.c.engine;
    let remove: (id: string) => Promise<unknown>;
    if (d.pane === 'containers') remove = (id) => e.containers.remove(id, { force: d.kind === 'remove' });
    else if (d.pane === 'images') remove = (id) => e.images.remove(id, { force: false });
    else remove = (id) => e.volumes.remove(id);
    const r = await this.each(d.kind === 'prune' ? 'pruned' : 'removed', items.map((i) => i.id), remove, (id) => shortLabel(label(id)));
    this.c.dispatch({ type: 'list', action: { type: 'unmarkAll' }, view: { ids: [], height: 1 } });
    if (r.done.length && !r.failed.length) {
      const freed = items.filter((i) => r.done.includes(i.id)).reduce((n, i) => n + (i.size ?? 0), 0);
      const what = `${d.kind === 'prune' ? 'pruned' : 'removed'} ${r.done.length} ${singular(d.pane, r.done.length)}: ${r.done.map((id) => shortLabel(label(id))).join(', ')}`;
      this.status(`${what}${freed ? `; reclaimed ${humanSize(freed)}` : ''}`, 'ok');
    }
  }

  copyId(): void {
    const { rows } = this.selection();
    const row = rows[0];
    if (!row) return this.status('nothing selected to copy', 'error');
    // OSC 52: the terminal (local, or at the far end of ssh) puts it on the clipboard.
    this.c.writeTerminal(`\x1b]52;c;${Buffer.from(row.objectId).toString('base64')}\x07`);
    this.status(`copied ${row.objectId} (OSC 52)`, 'ok');
  }

  async saveLogs(file?: string): Promise<void> {
    const { logRing, logTitle } = this.c.current();
    if (!logRing || logRing.length === 0) return this.status('no log lines to save (open the Logs tab of a container)', 'error');
    const name = file || `${(logTitle || 'container').replace(/[^\w.-]/g, '_')}-${new Date().toISOString().replace(/[:.]/g, '-')}.log`;
    try {
      const text = logRing.toArray().map((l) => l.time + ' ' + l.stream + ' ' + l.text.replace(/\n?$/, '\n')).join('');
      const where = await this.c.host.writeFile(name, text);
      this.status(`saved ${logRing.length} lines to ${where}`, 'ok');
    } catch (err) {
      this.status(`cannot save the log: ${oneLine(err)}`, 'error');
    }
  }

  /** The `:` command line. */
  async command(text: string): Promise<void> {
    const words = text.trim().split(/\s+/).filter(Boolean);
    const [verb, ...args] = words;
    switch (verb) {
      case undefined:
        return;
      case 'q':
      case 'q!':
      case 'quit':
        return this.c.quit();
      case 'i':
      case 'images':
        return this.c.dispatch({ type: 'pane', pane: 'images' });
      case 'c':
      case 'ps':
      case 'containers':
        return this.c.dispatch({ type: 'pane', pane: 'containers' });
      case 'v':
      case 'volumes':
        return this.c.dispatch({ type: 'pane', pane: 'volumes' });
      case 'prune':
        if (args[0] && ['images', 'containers', 'volumes'].includes(args[0])) this.c.dispatch({ type: 'pane', pane: args[0] as PaneKind });
        return this.askPrune();
      case 'w':
      case 'save':
        return this.saveLogs(args.join(' ') || undefined);
      case 'help':
        return this.c.dispatch({ type: 'help' });
      case 'run': {
        const [image, ...cmd] = args;
        if (!image) return this.status('usage: :run IMAGE [CMD...]', 'error');
        await this.each('started', [image], async () => {
          const id = await this.c.engine.containers.create({ image, cmd });
          await (await this.c.engine.containers.start(id)).started;
          this.c.dispatch({ type: 'pane', pane: 'containers' });
        }, () => `a container of ${image}`);
        return;
      }
      default:
        this.status(`unknown command :${verb} (try :images :containers :volumes :prune :run IMAGE [CMD...] :w FILE :q)`, 'error');
    }
  }
}

function shortLabel(label: string): string {
  return label.replace(/ \(untagged.*$/, '');
}

function singular(pane: PaneKind, n: number): string {
  const word = pane === 'images' ? 'image' : pane === 'containers' ? 'container' : 'volume';
  return n === 1 ? word : word + 's';
}
