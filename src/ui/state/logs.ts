/**
 * The Logs tab's memory and its view: a ring of the last lines (a followed log can grow without
 * bound; the UI keeps a fixed window of it), the filter with context lines, and search matches. Pure
 * functions: the hook that follows the engine's log only pushes lines in.
 */
export interface LogEntry {
  readonly time: string;
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
  /** In a merged log: which container (an index into its names). */
  readonly source?: number;
  /** Not a line: this many bytes of the log were written faster than shown and were left unread. */
  readonly skipped?: number;
}

/** Lines the Logs tab keeps (older ones drop off: a week-long log must not fill the memory). */
export const LOG_RING = 5000;

/** How much of the log is read when the tab opens, in docker's words (T cycles through them). */
export interface LogAmount {
  readonly label: string;
  readonly tail: number;
  /** Only lines newer than this many milliseconds before the log was opened. */
  readonly sinceMs?: number;
}

export const LOG_AMOUNTS: readonly LogAmount[] = [
  { label: `--tail ${LOG_RING}`, tail: LOG_RING },
  { label: '--tail 100', tail: 100 },
  { label: '--tail 1000', tail: 1000 },
  { label: '--since 10m', tail: LOG_RING, sinceMs: 10 * 60_000 },
  { label: '--since 1h', tail: LOG_RING, sinceMs: 60 * 60_000 },
];

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

  /** Items ever pushed: item i of the ring is number dropped + i (a number that stays with its item). */
  get total(): number {
    return this.dropped + this.count;
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

/** CSI, OSC and two-byte escape sequences: what a terminal acts on and a list of lines does not show. */
export const TERMINAL_SEQUENCES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/**
 * A log line as text for the pane: a tty container's terminal sequences (colours, cursor moves, a
 * shell's cursor-position query) are for a terminal, not for a list of lines; they go, and so do the
 * other control characters. Applied as lines arrive, so the filter sees what is shown.
 */
export function plainText(text: string): string {
  let t = text.replace(TERMINAL_SEQUENCES, '').replace(/[\r\n]+$/, '');
  // A carriage return rewrites the line (progress bars): what a terminal would show last.
  const cr = t.lastIndexOf('\r');
  if (cr >= 0) t = t.slice(cr + 1);
  return t.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
}

/**
 * The lines the filter keeps, with `context` lines around each match (as grep -C). Without a filter,
 * every line. Linear in the ring's size (5,000 lines: well under a millisecond per keypress).
 */
export function shownLines(ring: Ring<LogEntry>, filter: string, context: number): ShownLine[] {
  const m = logMatcher(filter);
  const n = ring.length;
  if (!m) return Array.from({ length: n }, (_, i) => ({ index: i, match: false, gap: false }));
  const keep = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const e = ring.at(i)!;
    // A skipped stretch stays in sight whatever the filter: what is left out must not look complete.
    if (e.skipped !== undefined) {
      keep[i] ||= 1;
      continue;
    }
    if (m.test(e.text)) {
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

/** A line as the pane shows it: tabs as four spaces, no control characters. */
export function displayText(text: string): string {
  return text.replace(/\t/g, '    ').replace(/[\r\n]+$/, '').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
}

/** Splits a line into pieces of width columns (wrap on), or keeps its head (wrap off). */
export function wrapLine(text: string, width: number, wrap: boolean): string[] {
  const chars = [...displayText(text)];
  if (!wrap || chars.length <= width) return [chars.slice(0, Math.max(1, width)).join('')];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += width) out.push(chars.slice(i, i + width).join(''));
  return out;
}

/**
 * Where a search pattern occurs in a line, as [start, end) ranges of characters (code points, as the
 * pane counts them). The pattern is the filter's: `/regex/flags` or a case-insensitive substring.
 * Undefined for no pattern (or a regular expression that does not compile: the filter reports those).
 */
export function searcher(pattern: string): ((text: string) => Array<[number, number]>) | undefined {
  if (!pattern) return undefined;
  const m = /^\/(.*)\/([a-z]*)$/.exec(pattern);
  let re: RegExp;
  try {
    re = m && m[1] ? new RegExp(m[1], m[2]!.replace(/[gy]/g, '') + 'g') : new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
  } catch {
    return undefined;
  }
  return (text) => {
    const out: Array<[number, number]> = [];
    re.lastIndex = 0;
    for (let r = re.exec(text); r; r = re.exec(text)) {
      if (r[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      // Code points: a line with emoji or CJK before the match is highlighted where it shows.
      const start = [...text.slice(0, r.index)].length;
      out.push([start, start + [...r[0]].length]);
    }
    return out;
  };
}
