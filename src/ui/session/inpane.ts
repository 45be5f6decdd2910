import { PassThrough, Writable, type Readable } from 'node:stream';
import type { Engine, Session, SessionEnd } from '../../core/engine.js';
import { screenSpans, type Span } from './screen.js';

type HeadlessTerminal = import('@xterm/headless').Terminal;

/** What a pane session is joined to: the container's own terminal (attach) or a new process (exec). */
export type PaneTarget =
  | { readonly kind: 'attach'; readonly id: string; readonly name: string }
  | { readonly kind: 'exec'; readonly id: string; readonly name: string; readonly cmd: readonly string[]; readonly onFailedStart?: () => void };

type Size = { cols: number; rows: number };

/** Opens the engine's side of a pane session for the given streams. */
function connect(engine: Engine, t: PaneTarget, stdin: Readable, stdout: Writable, size: Size, detachKeys: string | undefined): Promise<Session> {
  const keys = detachKeys ? { detachKeys } : {};
  if (t.kind === 'attach') return engine.containers.attach(t.id, { stdin, stdout, stderr: stdout, size: { rows: size.rows, cols: size.cols }, ...keys });
  return engine.containers.execSession(t.id, { cmd: t.cmd, stdin, stdout, size: { rows: size.rows, cols: size.cols }, ...keys });
}

/**
 * A terminal session drawn inside the detail pane: the container's output goes through a headless
 * xterm (so cursor moves, colours and full-screen programs render right), keys come from the UI
 * while the pane has the focus. The real terminal stays Ink's; nothing here writes to it, except
 * while the session is mirrored full screen (ctrl-t): then its output also goes to the terminal and
 * the headless screen keeps up, so coming back to the pane shows what is there.
 */
export class PaneSession {
  private term!: HeadlessTerminal;
  private session!: Session;
  private readonly input = new PassThrough();
  private dirty = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private mirrorTo: ((b: Buffer) => void) | undefined;
  private onEnd: ((end: SessionEnd | Error) => void) | undefined;
  done!: Promise<SessionEnd>;

  private constructor(
    readonly target: PaneTarget,
    private onChange: () => void,
  ) {}

  get id(): string {
    return this.target.id;
  }

  get name(): string {
    return this.target.name;
  }

  /** The pane's title: what runs there. */
  get title(): string {
    return this.target.kind === 'attach' ? `${this.name} (attached)` : `${this.target.cmd.join(' ')} in ${this.name}`;
  }

  static async open(engine: Engine, target: PaneTarget, size: Size, detachKeys: string | undefined, onChange: () => void): Promise<PaneSession> {
    const { default: xterm } = await import('@xterm/headless');
    const p = new PaneSession(target, onChange);
    p.term = new xterm.Terminal({ cols: size.cols, rows: size.rows, allowProposedApi: true, scrollback: 0 });
    // Acknowledged once the headless terminal has parsed the chunk: a flood waits for the parser
    // instead of piling up in memory.
    const out = new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        if (p.closed) return cb();
        p.mirrorTo?.(chunk);
        p.term.write(chunk, () => {
          p.changed();
          cb();
        });
      },
    });
    p.session = await connect(engine, target, p.input, out, size, detachKeys);
    p.done = p.session.done;
    // One handler for the end, whoever shows the session by then (the app, or a full-screen job
    // awaiting done itself); a failed start rejects done and must never go unhandled.
    p.done.then(
      (end) => p.ended(end),
      (err: unknown) => p.ended(err instanceof Error ? err : new Error(String(err))),
    );
    // Redraw what the container drew before we came: ctrl-l is what shells and full-screen programs honour.
    if (target.kind === 'attach') p.input.write('\x0c');
    return p;
  }

  /** The app that draws it (a new one after a full-screen hand-off): told of changes and of the end. */
  adopt(onChange: () => void, onEnd?: (end: SessionEnd | Error) => void): void {
    this.onChange = onChange;
    this.onEnd = onEnd;
  }

  private ended(end: SessionEnd | Error): void {
    if (this.timer) clearTimeout(this.timer);
    this.onEnd?.(end);
  }

  /**
   * Output comes in bursts: one UI frame per 30 ms at most, the first at once (a typed key's echo
   * shows without waiting), the rest of a burst at the end of its 30 ms.
   */
  private changed(): void {
    if (this.timer) {
      this.dirty = true;
      return;
    }
    this.onChange();
    this.timer = setTimeout(() => this.tick(), 30);
  }

  private tick(): void {
    this.timer = undefined;
    if (!this.dirty) return;
    this.dirty = false;
    this.onChange();
    this.timer = setTimeout(() => this.tick(), 30);
  }

  send(bytes: string | Buffer): void {
    if (!this.closed) this.input.write(bytes);
  }

  resize(cols: number, rows: number): void {
    if (this.closed || cols === this.term.cols && rows === this.term.rows) return;
    this.term.resize(cols, rows);
    this.session.resize(rows, cols);
  }

  /** Full screen: its output also to `to` (the real terminal), or back to the pane alone. */
  mirror(to: ((b: Buffer) => void) | undefined): void {
    this.mirrorTo = to;
  }

  lines(focused: boolean): Span[][] {
    return screenSpans(this.term, focused);
  }

  /** An attach is left running (a detach); an exec's terminal hangs up (its process gets SIGHUP). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.mirrorTo = undefined;
    if (this.timer) clearTimeout(this.timer);
    // Only a detach: ending the input stream would reach the container as end of input (its shell exits).
    this.session.detach();
    this.term.dispose();
  }
}
