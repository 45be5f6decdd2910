import { oneLine } from '../core/errors.js';
import { containersOnly, nameOf, say, short, type ActionContext } from './actioncontext.js';
import { commitForm } from './forms/commit.js';
import { runForm, runOptions } from './forms/run.js';
import { fieldValue, type Form, type Prompt } from './forms/state.js';
import { splitWords } from '../core/util/words.js';
import type { PaneSession } from './session/inpane.js';
import { attachJob, execJob, paneFullJob, runInteractiveJob } from './session/jobs.js';
import type { Row } from './state/rows.js';
import type { Tone } from './state/ui.js';

/**
 * What the keys for containers' terminals and forms do: attach and exec (full screen, or the pane
 * handed to full screen), the exec prompt, the run and commit forms. Like the list actions, each ends
 * with a status line message and never throws.
 */
export class SessionActions {
  /** The form's running commit or run: esc aborts it. */
  private busy: AbortController | undefined;

  constructor(private readonly c: ActionContext) {}

  get isBusy(): boolean {
    return this.busy !== undefined;
  }

  cancel(): boolean {
    if (!this.busy) return false;
    this.busy.abort();
    this.status('cancelling...', 'progress');
    return true;
  }

  private status(text: string, tone: Tone = 'info'): void {
    say(this.c, text, tone);
  }

  private containersOnly(pane: Parameters<typeof containersOnly>[1], what: string): boolean {
    return containersOnly(this.c, pane, what);
  }

  /** The one container a session is for: the row under the cursor, which must be running. */
  sessionTarget(what: string): Row | undefined {
    return this.runningContainer(what);
  }

  /** ctrl-t in an in-pane session: the terminal to it (the same session), ctrl-t to come back. False when refused. */
  handOffPane(ps: PaneSession): boolean {
    return this.c.handOff(paneFullJob(ps, this.c.switchKey));
  }

  private runningContainer(what: string): Row | undefined {
    const { ui, rows } = this.c.current();
    if (!this.containersOnly(ui.pane, what)) return undefined;
    const row = rows[ui.lists[ui.pane].cursor];
    if (!row) return void this.status(`no container selected to ${what}`, 'error');
    if (!row.running) return void this.status(`${nameOf(row)} is not running (s starts it)`, 'error');
    if (row.paused) return void this.status(`${nameOf(row)} is paused (P unpauses it)`, 'error');
    return row;
  }

  /** a: full-screen attach to the selected container. */
  attach(): void {
    const row = this.runningContainer('attach');
    if (row) this.c.handOff(attachJob(this.c.engine, row.target, nameOf(row), this.c.host.detachKeys()));
  }

  /** e (full screen) or E (in the pane): the command to exec, editable first: the last one for this image, else the user's login shell. */
  exec(where: 'full' | 'pane' = 'full'): void {
    const row = this.runningContainer('exec');
    if (!row) return;
    const c = this.c.current().data.containers.find((x) => x.Id === row.target);
    const image = c?.Image ?? '';
    let text = this.c.host.lastExec(image);
    if (!text) {
      try {
        text = this.c.engine.containers.loginShell(row.target);
      } catch (err) {
        return this.status(`exec ${nameOf(row)}: ${oneLine(err)}`, 'error');
      }
    }
    this.c.dispatch({ type: 'openPrompt', prompt: { purpose: 'exec', where, label: `exec in ${nameOf(row)}${where === 'pane' ? ' (in the pane)' : ''}`, text, target: row.target, name: nameOf(row), image } });
  }

  /** Enter on the exec prompt. */
  submitPrompt(p: Prompt): void {
    let cmd: string[];
    try {
      cmd = splitWords(p.text);
    } catch (err) {
      return this.status(`exec: ${oneLine(err)}`, 'error');
    }
    if (cmd.length === 0) return this.status('exec: no command given', 'error');
    const before = this.c.host.lastExec(p.image) ?? '';
    this.c.host.rememberExec(p.image, p.text.trim());
    // A command that could not start is not the one to offer next time.
    const target = { kind: 'exec', id: p.target, name: p.name, cmd, onFailedStart: () => this.c.host.rememberExec(p.image, before) } as const;
    this.c.dispatch({ type: 'closeMode' });
    if (p.where === 'pane') return this.c.openPane(target);
    this.c.handOff(execJob(this.c.engine, target, this.c.host.detachKeys(), this.c.switchKey));
  }

  /** r: the run form for the selected image (or the selected container's image). */
  openRun(): void {
    const { ui, rows, data } = this.c.current();
    const row = rows[ui.lists[ui.pane].cursor];
    let image: string | undefined;
    if (ui.pane === 'images') image = row?.target.startsWith('sha256:') ? row.target : row ? short(row.target) : undefined;
    else if (ui.pane === 'containers') image = data.containers.find((c) => c.Id === row?.target)?.Image;
    if (!image) return this.status('select an image (1) or a container (2) to run', 'error');
    this.c.dispatch({ type: 'openForm', form: runForm(image) });
  }

  /** c: the commit form, with what the container's layer holds. */
  openCommit(): void {
    const { ui, rows, data } = this.c.current();
    if (!this.containersOnly(ui.pane, 'commit')) return;
    const row = rows[ui.lists[ui.pane].cursor];
    if (!row) return this.status('no container selected to commit', 'error');
    try {
      const diff = this.c.engine.containers.diff(row.target);
      const image = data.containers.find((c) => c.Id === row.target)?.Image ?? '';
      this.c.dispatch({ type: 'openForm', form: commitForm(row.target, nameOf(row), image, diff) });
    } catch (err) {
      this.status(`commit ${nameOf(row)}: ${oneLine(err)}`, 'error');
    }
  }

  /** Enter on a form: on failure the form stays open (to fix the field) and the status line says why. */
  async submitForm(f: Form): Promise<void> {
    if (f.busy) return;
    if (f.id === 'run') return this.submitRun(f);
    return this.submitCommit(f);
  }

  private async submitRun(f: Form): Promise<void> {
    let r: ReturnType<typeof runOptions>;
    try {
      r = runOptions(f);
    } catch (err) {
      return this.status(`run: ${oneLine(err)}`, 'error');
    }
    if (r.interactive) {
      this.c.dispatch({ type: 'closeMode' });
      this.c.handOff(runInteractiveJob(this.c.engine, r.opts, this.c.host.detachKeys()));
      return;
    }
    this.c.dispatch({ type: 'form', action: { type: 'busy', busy: true } });
    this.status(`starting a container of ${r.opts.image}... (esc cancels)`, 'progress');
    const ac = (this.busy = new AbortController());
    let id: string | undefined;
    try {
      id = await this.c.engine.containers.create(r.opts);
      // Cancelled while it was being created: it goes again, as if never run.
      if (ac.signal.aborted) throw new CancelledError();
      await (await this.c.engine.containers.start(id)).started;
      const name = this.c.engine.containers.inspect(id).Record.Name.replace(/^\//, '');
      this.c.dispatch({ type: 'closeMode' });
      this.c.dispatch({ type: 'select', pane: 'containers', id });
      this.c.reload();
      this.status(`started ${name} (${id.slice(0, 12)}) from ${r.opts.image}${ac.signal.aborted ? ' (too late to cancel: it had started)' : ''}`, 'ok');
    } catch (err) {
      this.c.dispatch({ type: 'form', action: { type: 'busy', busy: false } });
      if (err instanceof CancelledError) {
        await this.c.engine.containers.remove(id!, { force: true }).catch(() => {});
        this.c.dispatch({ type: 'closeMode' });
        this.status('cancelled: nothing run', 'info');
      } else {
        if (id) this.c.reload(); // created but not started: it shows as Created, as with docker run
        this.status(`run ${r.opts.image}: ${oneLine(err)}`, 'error');
      }
    } finally {
      this.busy = undefined;
    }
  }

  private async submitCommit(f: Form): Promise<void> {
    const reference = fieldValue(f, 'reference');
    const message = fieldValue(f, 'message');
    const author = fieldValue(f, 'author');
    this.c.dispatch({ type: 'form', action: { type: 'busy', busy: true } });
    this.status(`committing ${reference || 'an untagged image'}... (esc cancels)`, 'progress');
    const ac = (this.busy = new AbortController());
    try {
      const id = await this.c.engine.containers.commit(f.target, { ...(reference ? { reference } : {}), ...(message ? { message } : {}), ...(author ? { author } : {}), signal: ac.signal });
      this.c.dispatch({ type: 'closeMode' });
      this.c.reload();
      this.status(`committed ${reference || 'untagged'}: ${id.slice(0, 19)}`, 'ok');
    } catch (err) {
      this.c.dispatch({ type: 'form', action: { type: 'busy', busy: false } });
      // The core leaves the store as it was on an abort (the commit's intent is rolled back).
      if (ac.signal.aborted) {
        this.c.dispatch({ type: 'closeMode' });
        this.status('cancelled: nothing committed', 'info');
      } else this.status(`commit: ${oneLine(err)}`, 'error');
    } finally {
      this.busy = undefined;
    }
  }
}

class CancelledError extends Error {}
