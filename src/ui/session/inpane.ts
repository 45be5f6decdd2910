import { PassThrough, Writable } from 'node:stream';
import type { Engine, Session, SessionEnd } from '../../core/engine.js';
import { screenSpans, type Span } from './screen.js';

type HeadlessTerminal = import('@xterm/headless').Terminal;

/**
 * An attach session drawn inside the detail pane: the container's output goes through a headless
 * xterm (so cursor moves, colours and full-screen programs render right), keys come from the UI
 * while the pane has the focus. The real terminal stays Ink's; nothing here writes to it.
 */
export class PaneSession {
  private term!: HeadlessTerminal;
  private session!: Session;
  private readonly input = new PassThrough();
  private dirty = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  done!: Promise<SessionEnd>;

  private constructor(
    readonly id: string,
    readonly name: string,
    private readonly onChange: () => void,
  ) {}

  static async open(engine: Engine, id: string, name: string, size: { cols: number; rows: number }, detachKeys: string | undefined, onChange: () => void): Promise<PaneSession> {
    const { default: xterm } = await import('@xterm/headless');
    const p = new PaneSession(id, name, onChange);
    p.term = new xterm.Terminal({ cols: size.cols, rows: size.rows, allowProposedApi: true, scrollback: 0 });
    const out = new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        if (!p.closed) p.term.write(chunk, () => p.changed());
        cb();
      },
    });
    p.session = await engine.containers.attach(id, { stdin: p.input, stdout: out, stderr: out, size: { rows: size.rows, cols: size.cols }, ...(detachKeys ? { detachKeys } : {}) });
    p.done = p.session.done;
    void p.done.then(() => {
      if (p.timer) clearTimeout(p.timer);
    });
    // Redraw what the container drew before we came: ctrl-l is what shells and full-screen programs honour.
    p.input.write('\x0c');
    return p;
  }

  /** Output comes in bursts: one UI frame per 30 ms at most. */
  private changed(): void {
    this.dirty = true;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      if (this.dirty) {
        this.dirty = false;
        this.onChange();
      }
    }, 30);
  }

  send(bytes: string): void {
    if (!this.closed) this.input.write(bytes);
  }

  resize(cols: number, rows: number): void {
    if (this.closed || cols === this.term.cols && rows === this.term.rows) return;
    this.term.resize(cols, rows);
    this.session.resize(rows, cols);
  }

  lines(focused: boolean): Span[][] {
    return screenSpans(this.term, focused);
  }

  /** Leaves the container running (a detach). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    // Only a detach: ending the input stream would reach the container as end of input (its shell exits).
    this.session.detach();
    this.term.dispose();
  }
}
