/**
 * The user's terminal during an attached session: raw mode when the container has a tty, restored on
 * every way out (normal end, exceptions, SIGTERM/SIGHUP, process exit) so the shell is never left broken.
 */
export class TerminalGuard {
  private raw = false;
  private readonly restoreOnExit = () => this.restore();

  enterRaw(): void {
    if (!process.stdin.isTTY || this.raw) return;
    process.stdin.setRawMode(true);
    this.raw = true;
    process.on('exit', this.restoreOnExit);
  }

  restore(): void {
    if (!this.raw) return;
    this.raw = false;
    try {
      process.stdin.setRawMode(false);
    } catch {
      /* stdin already closed */
    }
    process.off('exit', this.restoreOnExit);
  }
}

export function terminalSize(): { rows: number; cols: number } | undefined {
  const out = process.stdout.isTTY ? process.stdout : process.stderr.isTTY ? process.stderr : undefined;
  return out ? { rows: out.rows, cols: out.columns } : undefined;
}
