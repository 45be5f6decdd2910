import { PassThrough } from 'node:stream';
import { watchInput, type Engine, type Session, type SessionEnd } from '../core/engine.js';
import { TerminalGuard, terminalSize } from './guard.js';
import { LineEditor } from './lineedit.js';

export interface AttachFlags {
  readonly tty: boolean;
  readonly stdin: boolean;
  readonly detachKeys?: string;
  /** Forward SIGINT/SIGTERM/... received by ctui to the container (docker's --sig-proxy; off with a tty). */
  readonly sigProxy: boolean;
  /**
   * Without a tty: the terminal raw all the same and the line edited here (echo, erase, sent on
   * enter), so the detach keys work the moment they are typed and ctrl-c detaches. The TUI's way;
   * the CLI leaves the terminal cooked without a tty, as docker and podman do.
   */
  readonly editLines?: boolean;
}

const PROXIED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

/**
 * Joins this terminal to a container through its monitor: stdin (raw with a tty), stdout, stderr,
 * window size, detach keys. Ends on the container's exit, a detach, or the monitor going away.
 */
export async function attachTerminal(engine: Engine, id: string, f: AttachFlags, onReady?: () => void): Promise<SessionEnd> {
  const guard = new TerminalGuard();
  const edit = f.stdin && !f.tty && f.editLines === true;
  if ((f.tty || edit) && f.stdin) guard.enterRaw();
  const handlers: Array<[NodeJS.Signals, () => void]> = [];
  // Edited lines reach the session through this stream; the keys themselves are watched below.
  const lines = edit ? new PassThrough() : undefined;
  let unwatch = () => {};
  try {
    const session = await engine.containers.attach(id, {
      ...(f.stdin ? { stdin: lines ?? process.stdin } : {}),
      stdout: process.stdout,
      stderr: process.stderr,
      ...(f.detachKeys ? { detachKeys: f.detachKeys } : {}),
      ...(f.tty && terminalSize() ? { size: terminalSize()! } : {}),
    });
    if (lines) unwatch = editInput(session, lines, f.detachKeys);
    onReady?.();
    const onResize = () => {
      const s = terminalSize();
      if (s) session.resize(s.rows, s.cols);
    };
    if (f.tty) process.stdout.on('resize', onResize);
    for (const sig of PROXIED) {
      // With a tty, ctrl-c is a byte for the container's terminal, never a signal from us; SIGTERM and
      // SIGHUP to ctui itself end the session cleanly (the container keeps running, as after a detach).
      const h = f.sigProxy && !f.tty ? () => void engine.containers.kill(id, sig).catch(() => {}) : () => session.detach();
      process.on(sig, h);
      handlers.push([sig, h]);
    }
    if (f.stdin) process.stdin.resume();
    const end = await session.done;
    if (f.tty) process.stdout.off('resize', onResize);
    return end;
  } finally {
    unwatch();
    for (const [sig, h] of handlers) process.off(sig, h);
    guard.restore();
    if (f.stdin) process.stdin.pause();
  }
}

/**
 * The raw keys of a session without a tty: the detach keys matched on them as typed, the rest
 * edited into lines for the session's stdin.
 */
function editInput(session: Session, lines: PassThrough, detachKeys: string | undefined): () => void {
  const editor = new LineEditor({
    echo: (text) => process.stdout.write(text),
    send: (line) => lines.write(line),
    interrupt: () => session.detach(),
  });
  return watchInput(process.stdin, detachKeys, (d) => editor.feed(d), () => session.detach());
}
