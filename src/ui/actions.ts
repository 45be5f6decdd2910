import { oneLine } from '../core/errors.js';
import type { ImageLayers } from '../core/maintenance/reclaim.js';
import { humanSize } from '../core/util/humanize.js';
import { containersOnly, nameOf, say, type ActionContext } from './actioncontext.js';
import { bulkEntries, bulkMenu, type BulkId } from './bulk.js';
import { pruneDialog, removeDialog } from './dialogs.js';
import { SessionActions } from './session-actions.js';
import { CommandLine } from './command-actions.js';
import { targets } from './state/list.js';
import type { Row } from './state/rows.js';
import { ticked, type Dialog, type DialogItem, type PaneKind, type Tone } from './state/ui.js';
import { progressText, resultText, VERBS, type Noun, type Verb } from './status-text.js';

export type { ActionContext } from './actioncontext.js';

const NOUNS: Record<PaneKind, Noun> = {
  containers: { one: 'container', many: 'containers' },
  images: { one: 'image', many: 'images' },
  volumes: { one: 'volume', many: 'volumes' },
};

/** One object an action goes over: what the engine call takes, and how the status line names it. */
interface Target {
  readonly id: string;
  readonly label: string;
}

/**
 * The action dispatcher for the lists: what a key or a command does to the engine (start, stop,
 * remove, prune, the bulk menu, copy, save, the `:` line). Pure state changes go through dispatch
 * (the reducer); everything here is a side effect that ends with a status line message, success or
 * the reason for failure, and never throws (a failed action must leave the UI usable). Forms and
 * terminal sessions are in session-actions.ts; the dialogs' contents in dialogs.ts and bulk.ts; the
 * wording in status-text.ts.
 */
export class Actions {
  /** The running long action, if any: esc aborts it (between items, or inside the engine where it takes a signal). */
  private busy: AbortController | undefined;

  /** The forms and terminal sessions (a, e, r, c, the exec prompt). */
  readonly sessions: SessionActions;

  constructor(private readonly c: ActionContext) {
    this.sessions = new SessionActions(c);
    this.commandLine = new CommandLine(c, { saveLogs: (f) => this.saveLogs(f), runImage: (i, cmd) => this.runImage(i, cmd) });
  }

  /** The `:` line (command-actions.ts). */
  readonly commandLine: CommandLine;

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
    this.status('cancelling… (after the current item)', 'progress');
    return true;
  }

  /**
   * Runs fn over each target with progress in the status line ("stopping web1…"); esc stops before the
   * next one. The last line says what was done, what failed and why, and (freed) how many bytes the
   * done ones gave back: fn resolves with a target's bytes when it removes something.
   */
  private async each(v: Verb, list: readonly Target[], fn: (id: string, signal: AbortSignal) => Promise<number | unknown>, o: { noun?: Noun; freed?: boolean } = {}): Promise<{ done: string[]; failed: number }> {
    if (this.busy) {
      this.status('busy with the last action (esc stops it after the current item)', 'error');
      return { done: [], failed: 0 };
    }
    const ac = new AbortController();
    this.busy = ac;
    const done: Target[] = [];
    const failed: Array<{ label: string; reason: string }> = [];
    let bytes = 0;
    try {
      for (const [i, t] of list.entries()) {
        if (ac.signal.aborted) break;
        // The engine's verbs here run to their end (a stop waits out its grace period): esc takes effect between items.
        this.status(progressText(v, t.label, i, list.length), 'progress');
        try {
          const r = await fn(t.id, ac.signal);
          if (typeof r === 'number') bytes += r;
          done.push(t);
        } catch (err) {
          failed.push({ label: t.label, reason: oneLine(err) });
        }
      }
    } finally {
      this.busy = undefined;
      this.quitArmed = false;
      this.c.reload();
    }
    const left = list.length - done.length - failed.length;
    const extra = o.freed && done.length ? `; reclaimed ${humanSize(bytes)}` : '';
    const text = resultText(v, { done: done.map((t) => t.label), failed, left }, o.noun, extra);
    this.status(text, failed.length ? 'error' : left > 0 ? 'info' : 'ok');
    return { done: done.map((t) => t.id), failed: failed.length };
  }

  private selection(): { pane: PaneKind; rows: Row[] } {
    const { ui, rows } = this.c.current();
    const ids = targets(ui.lists[ui.pane], rows.map((r) => r.key));
    const byKey = new Map(rows.map((r) => [r.key, r]));
    return { pane: ui.pane, rows: ids.map((k) => byKey.get(k)!).filter(Boolean) };
  }

  /** Containers are named by their names (as the list shows them). */
  private containers(rows: readonly Row[]): Target[] {
    return rows.map((r) => ({ id: r.target, label: nameOf(r) }));
  }

  private containersOnly(pane: PaneKind, what: string): boolean {
    return containersOnly(this.c, pane, what);
  }

  private unmark(): void {
    this.c.dispatch({ type: 'list', action: { type: 'unmarkAll' }, view: { ids: [], height: 1 } });
  }

  async startStop(): Promise<void> {
    const { pane, rows } = this.selection();
    if (!this.containersOnly(pane, 'start/stop') || rows.length === 0) return;
    const running = rows.filter((r) => r.running);
    // With a mix, the toggle stops: stopping is what a mixed selection most often means (and is safe).
    if (running.length) await this.stopRows(running);
    else await this.startRows(rows);
    this.unmark();
  }

  private stopRows(rows: readonly Row[]): Promise<unknown> {
    return this.each(VERBS.stop, this.containers(rows), (id) => this.c.engine.containers.stop(id), { noun: NOUNS.containers });
  }

  private startRows(rows: readonly Row[]): Promise<unknown> {
    return this.each(VERBS.start, this.containers(rows), async (id) => (await this.c.engine.containers.start(id)).started, { noun: NOUNS.containers });
  }

  private restartRows(rows: readonly Row[]): Promise<unknown> {
    return this.each(VERBS.restart, this.containers(rows), async (id) => {
      await this.c.engine.containers.stop(id);
      await (await this.c.engine.containers.start(id)).started;
    }, { noun: NOUNS.containers });
  }

  async restart(): Promise<void> {
    const { pane, rows } = this.selection();
    if (!this.containersOnly(pane, 'restart') || rows.length === 0) return;
    await this.restartRows(rows);
  }

  async pause(): Promise<void> {
    const { pane, rows } = this.selection();
    if (!this.containersOnly(pane, 'pause') || rows.length === 0) return;
    const allPaused = rows.every((r) => r.paused);
    const chosen = this.containers(rows.filter((r) => (allPaused ? r.paused : r.running && !r.paused)));
    await this.each(allPaused ? VERBS.unpause : VERBS.pause, chosen, (id) => (allPaused ? this.c.engine.containers.unpause(id) : this.c.engine.containers.pause(id)), { noun: NOUNS.containers });
  }

  /** Each image's layers with their sizes, for what removing some of them frees (a gone image has none). */
  private layersOf = (id: string): ImageLayers['layers'] => {
    try {
      return this.c.engine.images.inspect(id).Layers.map((l) => ({ diffId: l.DiffId, size: l.Size }));
    } catch {
      return [];
    }
  };

  /** Opens a dialog; sizes not yet known are measured while it is shown. */
  private open(d: Dialog): void {
    this.c.dispatch({ type: 'openDialog', dialog: d });
    if (d.measuring) void this.measure(d.pane, d.items.filter((i) => i.size === undefined));
  }

  /** d: a dialog naming every row that would go (sizes where known); enter removes the ticked ones. */
  askRemove(): void {
    const { pane, rows } = this.selection();
    if (rows.length === 0) return this.status(`no ${pane} selected`, 'error');
    this.open(removeDialog(pane, rows, { force: true, images: this.c.current().data.images, layersOf: this.layersOf }));
  }

  /** p: what prune would remove in this pane, each with its size (measured as the dialog shows). */
  askPrune(): void {
    const { ui, data } = this.c.current();
    this.open(pruneDialog(ui.pane, data, this.layersOf));
  }

  /** b: the bulk menu over the marked containers, or every one shown. */
  bulk(): void {
    const { ui, rows } = this.c.current();
    if (!this.containersOnly(ui.pane, 'the bulk menu')) return;
    this.c.dispatch({ type: 'openDialog', dialog: bulkMenu(rows, ui.lists.containers.marks, ui.filters.containers) });
  }

  /** Enter on a bulk menu entry: the rows are taken again now (the list may have changed meanwhile). */
  private async runBulk(id: BulkId): Promise<void> {
    const { ui, rows } = this.c.current();
    const entry = bulkEntries(rows, ui.lists.containers.marks).find((e) => e.id === id);
    if (!entry) return;
    if (entry.id === 'prune') return this.askPrune();
    if (entry.rows.length === 0) {
      const none = entry.id === 'stop' || entry.id === 'restart' ? 'none is running' : 'none is stopped';
      return this.status(`nothing to ${entry.id}: ${none}${ui.lists.containers.marks.size ? ' among the marked' : ''}`, 'info');
    }
    if (entry.id === 'remove') return this.open(removeDialog('containers', entry.rows, { force: false }));
    if (entry.id === 'stop') await this.stopRows(entry.rows);
    else if (entry.id === 'start') await this.startRows(entry.rows);
    else await this.restartRows(entry.rows);
    this.unmark();
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

  /**
   * Enter in a dialog: a menu runs its entry; a remove or prune removes the ticked items and the status
   * line says what went and what it freed: for images the engine's count of the layers that went,
   * for containers and volumes their measured size (measured now if the dialog had not yet).
   */
  async confirm(d: Dialog): Promise<void> {
    this.c.dispatch({ type: 'closeMode' });
    if (d.kind === 'menu') {
      const entry = d.items[d.cursor];
      return entry ? this.runBulk(entry.id as BulkId) : undefined;
    }
    const items = ticked(d);
    const verb = d.kind === 'prune' ? VERBS.prune : VERBS.remove;
    if (items.length === 0) return this.status(`nothing ticked: nothing ${verb.done}`);
    const e = this.c.engine;
    const byId = new Map(items.map((i) => [i.id, i]));
    const images = new Map(this.c.current().data.images.map((i) => [i.Id, i]));
    let remove: (id: string) => Promise<number>;
    if (d.pane === 'containers') {
      remove = async (id) => {
        const size = byId.get(id)?.size ?? (await e.containers.size(id).catch(() => 0));
        await e.containers.remove(id, { force: d.force ?? false });
        return size;
      };
    } else if (d.pane === 'images' && d.kind === 'prune') {
      // By each tag, then it is gone: an image with two tags is refused by id without force, and force
      // would take only the tags of an image a container started using meanwhile.
      remove = async (id) => {
        const tags = images.get(id)?.RepoTags ?? [];
        let bytes = 0;
        for (const ref of tags.length ? tags : [id]) bytes += (await e.images.remove(ref, { force: false })).reclaimed;
        return bytes;
      };
    } else if (d.pane === 'images') remove = async (id) => (await e.images.remove(id, { force: false })).reclaimed;
    else {
      remove = async (id) => {
        const size = byId.get(id)?.size ?? (await e.volumes.size(id).catch(() => 0));
        await e.volumes.remove(id);
        return size;
      };
    }
    await this.each(verb, items.map((i) => ({ id: i.id, label: i.name ?? i.id })), remove, { noun: NOUNS[d.pane], freed: true });
    this.unmark();
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
      this.status(`save the log failed: ${oneLine(err)}`, 'error');
    }
  }

  /** `:run IMAGE [CMD...]`: a detached container of the image, started, then shown. */
  async runImage(image: string, cmd: readonly string[]): Promise<void> {
    await this.each(VERBS.start, [{ id: image, label: `a container of ${image}` }], async () => {
      const id = await this.c.engine.containers.create({ image, cmd: [...cmd] });
      await (await this.c.engine.containers.start(id)).started;
      this.c.dispatch({ type: 'pane', pane: 'containers' });
    });
  }
}
