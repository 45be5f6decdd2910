/**
 * The Logs tab's memory and its view: a ring of the last lines (a followed log can grow without
 * bound; the UI keeps a fixed window of it), and the filter with context lines. Pure functions: the
 * hook that follows the engine's log only pushes lines in.
 */
export interface LogEntry {
  readonly time: string;
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

export class Ring<T> {
  private readonly buf: (T | undefined)[];
  private start = 0;
  private count = 0;
  /** Bumped on every change, so React can tell the ring changed without copying it. */
  version = 0;
  /** Lines dropped off the front since the start. */
  dropped = 0;

  constructor(readonly capacity: number) {
    this.buf = new Array<T | undefined>(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(items: readonly T[]): void {
    for (const it of items) {
      if (this.count < this.capacity) {
        this.buf[(this.start + this.count) % this.capacity] = it;
        this.count++;
      } else {
        this.buf[this.start] = it;
        this.start = (this.start + 1) % this.capacity;
        this.dropped++;
      }
    }
    if (items.length) this.version++;
  }

  at(i: number): T | undefined {
    return i < 0 || i >= this.count ? undefined : this.buf[(this.start + i) % this.capacity];
  }

  clear(): void {
    this.buf.fill(undefined);
    this.start = 0;
    this.count = 0;
    this.version++;
  }

  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.at(i)!);
    return out;
  }
}

/** `/regex/flags` is a regular expression, anything else a plain case-insensitive substring. */
export function logMatcher(filter: string): { test: (s: string) => boolean; error?: string } | undefined {
  if (!filter) return undefined;
  const m = /^\/(.*)\/([a-z]*)$/.exec(filter);
  if (m && m[1]) {
    try {
      const re = new RegExp(m[1], m[2]!.replace(/[gy]/g, ''));
      return { test: (s) => re.test(s) };
    } catch (err) {
      return { test: () => true, error: `bad regular expression: ${(err as Error).message}` };
    }
  }
  const f = filter.toLowerCase();
  return { test: (s) => s.toLowerCase().includes(f) };
}

/** One shown line: its index in the ring, and whether it matched (context lines did not). */
export interface ShownLine {
  readonly index: number;
  readonly match: boolean;
  /** A gap before it (lines left out between context groups). */
  readonly gap: boolean;
}

/**
 * The lines the filter keeps, with `context` lines around each match (as grep -C). Without a filter,
 * every line. Linear in the ring's size (5,000 lines: well under a millisecond per keypress).
 */
/**
 * A log line as text for the pane: a tty container's terminal sequences (colours, cursor moves, a
 * shell's cursor-position query) are for a terminal, not for a list of lines; they go, and so do the
 * other control characters. Applied as lines arrive, so the filter sees what is shown.
 */
export function plainText(text: string): string {
  let t = text.replace(/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g, '').replace(/[\r\n]+$/, '');
  // A carriage return rewrites the line (progress bars): what a terminal would show last.
  const cr = t.lastIndexOf('\r');
  if (cr >= 0) t = t.slice(cr + 1);
  return t.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
}

export function shownLines(ring: Ring<LogEntry>, filter: string, context: number): ShownLine[] {
  const m = logMatcher(filter);
  const n = ring.length;
  if (!m) return Array.from({ length: n }, (_, i) => ({ index: i, match: false, gap: false }));
  const keep = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (m.test(ring.at(i)!.text)) {
      keep[i] = 2;
      for (let j = Math.max(0, i - context); j <= Math.min(n - 1, i + context); j++) if (!keep[j]) keep[j] = 1;
    }
  }
  const out: ShownLine[] = [];
  let last = -1;
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    out.push({ index: i, match: keep[i] === 2, gap: context > 0 && last >= 0 && i > last + 1 });
    last = i;
  }
  return out;
}

/** Splits a line into pieces of width columns (wrap on), or keeps its head (wrap off). */
export function wrapLine(text: string, width: number, wrap: boolean): string[] {
  const chars = [...text.replace(/\t/g, '    ').replace(/[\r\n]+$/, '').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '')];
  if (!wrap || chars.length <= width) return [chars.slice(0, Math.max(1, width)).join('')];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += width) out.push(chars.slice(i, i + width).join(''));
  return out;
}
