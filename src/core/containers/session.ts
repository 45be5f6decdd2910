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
  const matcher = new DetachMatcher(parseDetachKeys(o.detachKeys || 'ctrl-p,ctrl-q'));
  // A stream someone set an encoding on (Ink does so on process.stdin) gives strings: back to bytes.
  const onData = (chunk: Buffer | string) => {
    const d = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    const { forward, detach } = matcher.feed(d);
    if (forward.length > 0) conn.stdin(forward);
    if (detach) finish({ kind: 'detach' });
  };
  const onEnd = () => conn.closeStdin();
  if (o.stdin) {
    o.stdin.on('data', onData);
    o.stdin.on('end', onEnd);
  }
  void done.then(() => {
    if (o.stdin) {
      o.stdin.off('data', onData);
      o.stdin.off('end', onEnd);
    }
    conn.close();
  });
  return {
    done,
    resize: (rows, cols) => conn.resize(rows, cols),
    detach: () => finish({ kind: 'detach' }),
  };
}
