import type { CreateOptions, Engine, SessionEnd } from '../../core/engine.js';
import { oneLine } from '../../core/errors.js';
import { attachTerminal } from '../../term/attach.js';
import { describeDetachKeys } from '../../term/screen.js';
import type { Job, JobResult } from './job.js';

/**
 * The three full-screen sessions of the UI (attach, exec, run -it), as jobs for the hand-off. Each
 * prints a one-line banner first, so the user knows how to get back, and never throws: a failure is
 * the status line's text when the UI returns.
 */

function banner(text: string): void {
  process.stdout.write(`\x1b[2m-- ${text} --\x1b[0m\r\n`);
}

function ended(name: string, end: SessionEnd): JobResult {
  if (end.kind === 'detach') return { text: `detached from ${name} (still running)`, tone: 'ok' };
  if (end.kind === 'exit') return { text: `${name} exited with code ${end.code}`, tone: end.code === 0 ? 'ok' : 'info' };
  return { text: `${name}: the session closed`, tone: 'info' };
}

/** a: joins the terminal to a running container; the detach keys (or its exit) return to the UI. */
export function attachJob(engine: Engine, id: string, name: string, detachKeys: string | undefined): Job {
  return async () => {
    try {
      const tty = engine.containers.inspect(id).Record.Config.Tty;
      banner(`attached to ${name}: ${describeDetachKeys(detachKeys)} detaches${tty ? '' : ' (no tty: ctrl-c detaches too)'}`);
      // sigProxy off: ctrl-c is a byte for the container's tty (raw mode), never a signal from us.
      const end = await attachTerminal(engine, id, { tty, stdin: true, sigProxy: false, ...(detachKeys ? { detachKeys } : {}) });
      return ended(name, end);
    } catch (err) {
      return { text: `attach ${name}: ${oneLine(err)}`, tone: 'error' };
    }
  };
}

/** ctrl-t on an in-pane session: the same attach full screen; ctrl-t brings it back to the pane. */
export function paneToFullJob(engine: Engine, id: string, name: string): Job {
  return async () => {
    try {
      banner(`${name} full screen: ctrl-t back to the pane`);
      const end = await attachTerminal(engine, id, { tty: true, stdin: true, sigProxy: false, detachKeys: 'ctrl-t' });
      return end.kind === 'detach' ? { text: `${name} back in the pane`, tone: 'ok', pane: { id, name } } : ended(name, end);
    } catch (err) {
      return { text: `attach ${name}: ${oneLine(err)}`, tone: 'error' };
    }
  };
}

/** e: a command (a login shell) in the container with a tty; its exit returns to the UI. */
export function execJob(engine: Engine, id: string, name: string, cmd: readonly string[]): Job {
  return async (signal) => {
    banner(`${cmd.join(' ')} in ${name}: exit the shell to return`);
    // The runtime reads the terminal itself (inherited stdin): node must stop reading it, or it would
    // steal keys. A pause stops the tty's reading one tick later.
    process.stdin.pause();
    await new Promise((r) => setImmediate(r));
    try {
      // Aborted when ctui is terminated meanwhile: the runtime must not outlive us holding the terminal.
      const code = await engine.containers.exec(id, { cmd, interactive: true, tty: true, signal });
      return { text: `exec ${cmd.join(' ')} in ${name}: exit code ${code}`, tone: code === 0 ? 'ok' : 'info' };
    } catch (err) {
      return { text: `exec in ${name}: ${oneLine(err)}`, tone: 'error' };
    }
  };
}

/** r (interactive): creates it with a tty and stdin, starts it waiting for us, attaches full screen. */
export function runInteractiveJob(engine: Engine, opts: CreateOptions, detachKeys: string | undefined): Job {
  return async () => {
    let id: string | undefined;
    try {
      id = await engine.containers.create({ ...opts, tty: true, interactive: true });
      const name = engine.containers.inspect(id).Record.Name.replace(/^\//, '');
      const h = await engine.containers.start(id, { attach: true });
      await Promise.race([h.attachReady, h.started]);
      h.started.catch(() => {});
      banner(`running ${name} (${opts.image}): ${describeDetachKeys(detachKeys)} detaches`);
      const end = await attachTerminal(engine, id, { tty: true, stdin: true, sigProxy: false, ...(detachKeys ? { detachKeys } : {}) });
      return { ...ended(name, end), select: id };
    } catch (err) {
      return { text: `run ${opts.image}: ${oneLine(err)}`, tone: 'error', ...(id ? { select: id } : {}) };
    }
  };
}
