/**
 * Line editing for a session on a container without a tty. The terminal is raw during every session
 * (so the detach keys are seen the moment they are typed and no key waits in the kernel's line buffer
 * for the UI to read later), which also takes away the kernel's echo and erase. Nothing on the
 * container's side echoes either (it has no tty), so this does what a cooked terminal would: it
 * echoes what is typed, erases on backspace, ctrl-u and ctrl-w, and sends the line with its newline
 * on enter, as `docker attach` users see it.
 */
export interface LineEditorIo {
  /** What the user sees: the typed characters and the erasing. */
  readonly echo: (text: string) => void;
  /** A finished line (with its "\n"), for the container's stdin. */
  readonly send: (line: Buffer) => void;
  /** ctrl-c: there is no tty to turn it into SIGINT; the caller decides (the TUI detaches). */
  readonly interrupt: () => void;
}

const ERASE = '\b \b';

export class LineEditor {
  /** The line so far, one entry per character (a UTF-8 sequence stays whole). */
  private line: Buffer[] = [];
  /** An incomplete UTF-8 sequence or escape sequence, carried to the next read. */
  private pending: number[] = [];
  private state: 'text' | 'esc' | 'csi' | 'ss3' = 'text';

  constructor(private readonly io: LineEditorIo) {}

  feed(data: Buffer): void {
    for (const b of data) this.byte(b);
  }

  private byte(b: number): void {
    // Escape sequences (arrows, function keys, alt-x) edit nothing here: dropped whole, never half
    // left in the line as "[A".
    if (this.state === 'esc') {
      this.state = b === 0x5b ? 'csi' : b === 0x4f ? 'ss3' : 'text';
      return;
    }
    if (this.state === 'csi') {
      if (b >= 0x40 && b <= 0x7e) this.state = 'text';
      return;
    }
    if (this.state === 'ss3') {
      this.state = 'text';
      return;
    }
    if (this.pending.length > 0) {
      if ((b & 0xc0) === 0x80) {
        this.pending.push(b);
        if (this.pending.length === utf8Length(this.pending[0]!)) this.insert(Buffer.from(this.pending.splice(0)));
        return;
      }
      this.pending = []; // a broken sequence: dropped, the byte read as itself
    }
    if (b === 0x0d || b === 0x0a) return this.enter();
    if (b === 0x7f || b === 0x08) return this.eraseChars(1);
    if (b === 0x15) return this.eraseChars(this.line.length); // ctrl-u
    if (b === 0x17) return this.eraseChars(this.wordLength()); // ctrl-w
    if (b === 0x03) return this.io.interrupt();
    // ctrl-d sends what is typed so far, as a cooked terminal does; on an empty line it does nothing,
    // since closing the container's stdin (its end of input) could not be undone by the next attach.
    if (b === 0x04) return this.flush();
    if (b === 0x1b) {
      this.state = 'esc';
      return;
    }
    if (b === 0x09 || (b >= 0x20 && b < 0x7f)) return this.insert(Buffer.from([b]));
    if (b >= 0xc2 && b <= 0xf4) {
      this.pending = [b];
      return;
    }
    // Other control bytes have no meaning in a line of text: ignored (not echoed, not sent).
  }

  private insert(ch: Buffer): void {
    this.line.push(ch);
    this.io.echo(ch.toString('utf8'));
  }

  private eraseChars(count: number): void {
    const n = Math.min(count, this.line.length);
    if (n <= 0) return;
    this.line.splice(this.line.length - n, n);
    this.io.echo(ERASE.repeat(n));
  }

  /** ctrl-w: the spaces before the cursor and the word before them. */
  private wordLength(): number {
    let i = this.line.length;
    while (i > 0 && isSpace(this.line[i - 1]!)) i--;
    while (i > 0 && !isSpace(this.line[i - 1]!)) i--;
    return this.line.length - i;
  }

  private enter(): void {
    this.io.echo('\r\n');
    this.line.push(Buffer.from('\n'));
    this.flush();
  }

  private flush(): void {
    if (this.line.length === 0) return;
    const line = Buffer.concat(this.line);
    this.line = [];
    this.io.send(line);
  }
}

function isSpace(ch: Buffer): boolean {
  return ch.length === 1 && (ch[0] === 0x20 || ch[0] === 0x09);
}

function utf8Length(lead: number): number {
  return lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
}
