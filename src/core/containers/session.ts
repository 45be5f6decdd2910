import type { Readable, Writable } from 'node:stream';
import type { Layout } from '../store/layout.js';
import { AttachConnection, DetachMatcher, parseDetachKeys } from './attach.js';

/**
 * An attached session: the user's streams joined to a container through its monitor. Terminal modes
 * are the caller's business (the CLI sets raw mode, the TUI renders into a pane); this only moves bytes.
 */
export interface SessionOptions {
  readonly stdin?: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Detach sequence ("ctrl-p,ctrl-q" by default); only watched when stdin is given. */
  readonly detachKeys?: string;
  /** Current window size, sent at once and on every change the caller reports through resize(). */
  readonly size?: { rows: number; cols: number };
}

export type SessionEnd = { kind: 'exit'; code: number } | { kind: 'detach' } | { kind: 'closed' };

export interface Session {
  readonly done: Promise<SessionEnd>;
  resize(rows: number, cols: number): void;
  /** Ends the session from our side (as detach). */
  detach(): void;
}

export async function openSession(layout: Layout, id: string, o: SessionOptions): Promise<Session> {
  let finish: (e: SessionEnd) => void = () => {};
  const done = new Promise<SessionEnd>((r) => (finish = r));
  const conn = await AttachConnection.connect(layout, id, {
    onStdout: (d) => o.stdout.write(d),
    onStderr: (d) => o.stderr.write(d),
    onExit: (code) => finish({ kind: 'exit', code }),
    onClose: () => finish({ kind: 'closed' }),
  });
  if (o.size) conn.resize(o.size.rows, o.size.cols);
  const unwatch = o.stdin ? watchInput(o.stdin, o.detachKeys, (d) => conn.stdin(d), () => finish({ kind: 'detach' }), () => conn.closeStdin()) : () => {};
  void done.then(() => {
    unwatch();
    conn.close();
  });
  return {
    done,
    resize: (rows, cols) => conn.resize(rows, cols),
    detach: () => finish({ kind: 'detach' }),
  };
}

/**
 * The user's keys for a session: bytes forwarded until the detach sequence (never forwarded itself).
 * Bytes after it in the same read (typed ahead, pasted) go back to the front of the stream for its
 * next reader (the TUI coming back), never to the container. Returns the unsubscribe.
 */
export function watchInput(stdin: Readable, detachKeys: string | undefined, forward: (d: Buffer) => void, onDetach: () => void, onEnd?: () => void): () => void {
  const matcher = new DetachMatcher(parseDetachKeys(detachKeys || 'ctrl-p,ctrl-q'));
  // A stream someone set an encoding on (Ink does so on process.stdin) gives strings: back to bytes.
  const onData = (chunk: Buffer | string) => {
    const d = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    const r = matcher.feed(d);
    if (r.forward.length > 0) forward(r.forward);
    if (!r.detach) return;
    unwatch();
    if (r.rest?.length) {
      // Paused first: a flowing stream would emit the bytes again at once, to no listener (lost).
      stdin.pause();
      stdin.unshift(stdin.readableEncoding ? r.rest.toString(stdin.readableEncoding) : r.rest);
    }
    onDetach();
  };
  const end = () => onEnd?.();
  const unwatch = () => {
    stdin.off('data', onData);
    stdin.off('end', end);
  };
  stdin.on('data', onData);
  stdin.on('end', end);
  return unwatch;
}
