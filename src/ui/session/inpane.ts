import { PassThrough, Writable, type Readable } from 'node:stream';
import { watchInput, type Engine, type Session, type SessionEnd } from '../../core/engine.js';
import { LineEditor } from '../../term/lineedit.js';
import { screenAnsi, screenSpans, type Span } from './screen.js';

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
  /** Without a tty: the keys as typed, watched for the detach keys, then edited into lines for input. */
  private keys: PassThrough | undefined;
  private unwatchKeys = () => {};
  private dirty = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private mirrorTo: ((b: Buffer) => void) | undefined;
  private onEnd: ((end: SessionEnd | Error) => void) | undefined;
  /** How it ended, for an app that adopts it afterwards (it ended while another session had the terminal). */
  private end: SessionEnd | Error | undefined;
  done!: Promise<SessionEnd>;

  private constructor(
    readonly target: PaneTarget,
    /** The container's side has a terminal (an exec always: ctui gives it a pty). */
    readonly tty: boolean,
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
    const tty = target.kind === 'exec' || engine.containers.inspect(target.id).Record.Config.Tty;
    const p = new PaneSession(target, tty, onChange);
    // Without a tty nothing turns the program's bare LF into CR LF: the headless terminal does, or
    // every line would start where the last one ended. A little scrollback: a session made smaller
    // (full screen to the pane) keeps the lines above its cursor for when it grows again.
    p.term = new xterm.Terminal({ cols: size.cols, rows: size.rows, allowProposedApi: true, scrollback: 500, convertEol: !tty });
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
    if (!tty) p.editLines(detachKeys);
    p.done = p.session.done;
    // One handler for the end, whoever shows the session by then (the app, or a full-screen job
    // awaiting done itself); a failed start rejects done and must never go unhandled.
    p.done.then(
      (end) => p.ended(end),
      (err: unknown) => p.ended(err instanceof Error ? err : new Error(String(err))),
    );
    // Redraw what the container drew before we came: ctrl-l is what shells and full-screen programs
    // honour (without a tty it would only be a stray byte in the program's input).
    if (target.kind === 'attach' && tty) p.input.write('\x0c');
    return p;
  }

  /**
   * No tty on the container's side: nothing there echoes or edits a line, and the detach keys must be
   * seen as typed, before any line is made of them (the same as a full-screen attach without a tty).
   */
  private editLines(detachKeys: string | undefined): void {
    const editor = new LineEditor({
      echo: (text) => this.display(Buffer.from(text)),
      send: (line) => this.input.write(line),
      interrupt: () => this.session.detach(),
    });
    this.keys = new PassThrough();
    this.unwatchKeys = watchInput(this.keys, detachKeys, (d) => editor.feed(d), () => this.session.detach());
  }

  /** Bytes for the screen that are not the container's (the echo of a line being typed). */
  private display(b: Buffer): void {
    if (this.closed) return;
    this.mirrorTo?.(b);
    this.term.write(b, () => this.changed());
  }

  /** The app that draws it (a new one after a full-screen hand-off): told of changes and of the end. */
  adopt(onChange: () => void, onEnd?: (end: SessionEnd | Error) => void): void {
    this.onChange = onChange;
    this.onEnd = onEnd;
    const end = this.end;
    if (end && onEnd) queueMicrotask(() => onEnd(end));
  }

  private ended(end: SessionEnd | Error): void {
    if (this.timer) clearTimeout(this.timer);
    this.end = end;
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
    if (this.closed) return;
    (this.keys ?? this.input).write(bytes);
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

  /** What the screen shows, as bytes that draw it on a real terminal (its cursor put back in place). */
  repaint(): string {
    return this.closed ? '' : screenAnsi(this.term);
  }

  /** An attach is left running (a detach); an exec's terminal hangs up (its process gets SIGHUP). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.mirrorTo = undefined;
    this.unwatchKeys();
    if (this.timer) clearTimeout(this.timer);
    // Only a detach: ending the input stream would reach the container as end of input (its shell exits).
    this.session.detach();
    this.term.dispose();
  }
}
