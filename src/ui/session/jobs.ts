import { watchInput, type CreateOptions, type Engine, type SessionEnd } from '../../core/engine.js';
import { oneLine } from '../../core/errors.js';
import { attachTerminal } from '../../term/attach.js';
import { TerminalGuard, terminalSize } from '../../term/guard.js';
import { describeDetachKeys } from '../../term/screen.js';
import { PaneSession, type PaneTarget } from './inpane.js';
import type { Job, JobResult } from './job.js';

/**
 * The three full-screen sessions of the UI (attach, exec, run -it), as jobs for the hand-off. Each
 * prints a one-line banner first, so the user knows how to get back, and never throws: a failure is
 * the status line's text when the UI returns.
 */

export function banner(text: string): void {
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
      // Raw with or without a tty: the detach keys act as typed and no key waits for the UI to read it.
      const end = await attachTerminal(engine, id, { tty, stdin: true, sigProxy: false, editLines: true, ...(detachKeys ? { detachKeys } : {}) });
      return ended(name, end);
    } catch (err) {
      return { text: `attach ${name}: ${oneLine(err)}`, tone: 'error' };
    }
  };
}

/**
 * A full-screen job started from the list while a session runs in the pane: that session waits
 * (running, drawing into its own screen) and is in the pane again afterwards, the list keeping the
 * keys; unless the job hands the pane a session of its own (e, then ctrl-t), which takes its place.
 */
export function besidePane(job: Job, ps: PaneSession): Job {
  return async (signal) => {
    const r = await job(signal);
    if (r.pane && r.pane !== ps) {
      ps.close();
      return { ...r, text: `${r.text} (${ps.target.kind === 'attach' ? `detached from ${ps.name}` : `${ps.title} closed`})` };
    }
    return { ...r, pane: ps };
  };
}

/** The end of an in-pane session, for the status line. */
export function paneEnded(ps: PaneSession, end: SessionEnd): JobResult {
  if (ps.target.kind === 'attach') return ended(ps.name, end);
  const what = `${ps.target.cmd.join(' ')} in ${ps.name}`;
  if (end.kind === 'exit') return { text: `exec ${what}: exit code ${end.code}`, tone: end.code === 0 ? 'ok' : 'info' };
  return { text: `closed ${what} (its terminal hung up)`, tone: 'info' };
}

/** The runtime's reason, without its preamble (the status line is one line). */
export function startError(err: unknown): string {
  return oneLine(err).replace(/^(OCI runtime )?exec failed: unable to start container process: (exec: )?/, '');
}

/**
 * A pane session on the whole terminal: its output mirrored to the terminal (the headless screen
 * keeps up), keys from it, the terminal's window size. ctrl-t hands it to the pane, still running;
 * its exit, the detach keys (an exec's hang-up, an attach's detach) or ctui being told to go end it.
 */
async function sessionFullScreen(ps: PaneSession, signal: AbortSignal, switchKey: string, fromPane: boolean): Promise<JobResult> {
  const guard = new TerminalGuard();
  guard.enterRaw();
  ps.mirror((b) => process.stdout.write(b));
  const fit = () => {
    const s = terminalSize();
    if (s) ps.resize(s.cols, s.rows);
  };
  fit();
  process.stdout.on('resize', fit);
  // The old app's handlers go: while full screen, this job alone awaits the end.
  ps.adopt(() => {});
  // The switch key is the way to the pane, matched as the detach keys are: what follows it in the same read
  // is the session's still, through the pane (the UI reads it next).
  let unwatch = () => {};
  const toPane = new Promise<'pane'>((resolve) => {
    unwatch = watchInput(process.stdin, switchKey, (d) => ps.send(d), () => resolve('pane'));
  });
  process.stdin.resume();
  let onAbort = () => {};
  const aborted = new Promise<'aborted'>((resolve) => {
    onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const r = await Promise.race([toPane, aborted, ps.done.then((end) => end, (err: unknown) => err instanceof Error ? err : new Error(String(err)))]);
    if (r === 'pane') return { text: `${label(ps)} ${fromPane ? 'back in the pane' : 'in the pane now'}`, tone: 'ok', pane: ps, focus: 'detail' };
    ps.close();
    if (r === 'aborted') return { text: `${ps.title}: closed`, tone: 'info' };
    if (r instanceof Error) {
      if (ps.target.kind === 'exec') ps.target.onFailedStart?.();
      return { text: `exec in ${ps.name}: ${startError(r)}`, tone: 'error' };
    }
    return paneEnded(ps, r);
  } finally {
    unwatch();
    signal.removeEventListener('abort', onAbort);
    process.stdout.off('resize', fit);
    ps.mirror(undefined);
    guard.restore();
    process.stdin.pause();
  }
}

/** What the session is called in a banner or the status line: the container, or the command in it. */
function label(ps: PaneSession): string {
  return ps.target.kind === 'attach' ? ps.name : ps.title;
}

/**
 * The switch key (ctrl-t) on an in-pane session: the same session full screen (an attach keeps its
 * connection, an exec its process), under the banner and what the pane showed, so nothing on screen
 * is lost; the key again gives it back to the pane.
 */
export function paneFullJob(ps: PaneSession, switchKey: string): Job {
  return async (signal) => {
    banner(`${label(ps)} full screen: ${switchKey} back to the pane`);
    process.stdout.write(ps.repaint());
    return sessionFullScreen(ps, signal, switchKey, true);
  };
}

/**
 * e: a command (a login shell) in the container with a pty, full screen; its exit returns to the UI,
 * ctrl-t moves it into the pane beside the live list. The pty is ctui's (ctui-monitor --exec-tty),
 * not the terminal's, which is what lets the same process move.
 */
export function execJob(engine: Engine, target: PaneTarget & { kind: 'exec' }, detachKeys: string | undefined, switchKey: string): Job {
  return async (signal) => {
    const what = `${target.cmd.join(' ')} in ${target.name}`;
    banner(`${what}: exit the shell to return, ${switchKey} puts it in the pane`);
    const size = terminalSize() ?? { rows: 24, cols: 80 };
    let ps: PaneSession;
    try {
      ps = await PaneSession.open(engine, target, { cols: size.cols, rows: size.rows }, detachKeys, () => {});
    } catch (err) {
      return { text: `exec in ${target.name}: ${startError(err)}`, tone: 'error' };
    }
    return sessionFullScreen(ps, signal, switchKey, false);
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
      h.release();
      return { ...ended(name, end), select: id };
    } catch (err) {
      return { text: `run ${opts.image}: ${oneLine(err)}`, tone: 'error', ...(id ? { select: id } : {}) };
    }
  };
}
