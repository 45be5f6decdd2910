import * as fs from 'node:fs';
import type { Layout } from '../store/layout.js';
import { monitorFile } from './monitor.js';

/**
 * Reading a container's log as the monitor writes it (CRI format, see src/native/SPEC.md):
 * `<RFC3339Nano> <stdout|stderr> <F|P> <content>`; P records are parts of one line, F ends it.
 */
export interface LogLine {
  /** RFC3339Nano of the record that ended the line. */
  readonly time: string;
  readonly stream: 'stdout' | 'stderr';
  /** The line with its newline (the last line of a log may lack it). */
  readonly text: string;
  /**
   * Not a line but a mark (only when LogOptions.keep is set): this many bytes of the log were written
   * faster than they could be shown and were left unread here.
   */
  readonly skipped?: number;
}

export interface LogOptions {
  readonly follow: boolean;
  readonly tail?: number;
  /** RFC3339 bounds, compared as strings after normalising to UTC nanoseconds. */
  readonly since?: string;
  readonly until?: string;
  readonly signal?: AbortSignal;
  /** Called to learn whether following should stop (the container exited for good). */
  readonly stillRunning?: () => boolean;
  /**
   * The reader keeps only its last `keep` lines (the TUI's ring): a backlog far beyond that is not read
   * at all. The reader seeks near the end instead and yields a `skipped` mark, and when following it
   * reads at most every KEEP_PACE_MS, so a flooding container costs a bounded share of the CPU.
   */
  readonly keep?: number;
  /** Called once, when everything written before the reading started has been yielded. */
  readonly onLive?: () => void;
}

/** Turns CRI records into lines; keeps per-stream partial lines across chunks. */
export class CriParser {
  private rest = '';
  private readonly partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };

  push(chunk: string): LogLine[] {
    const text = this.rest + chunk;
    const cut = text.lastIndexOf('\n') + 1;
    this.rest = text.slice(cut);
    const out: LogLine[] = [];
    let start = 0;
    while (start < cut) {
      const nl = text.indexOf('\n', start);
      const rec = text.slice(start, nl);
      start = nl + 1;
      const a = rec.indexOf(' ');
      const b = rec.indexOf(' ', a + 1);
      const c = rec.indexOf(' ', b + 1);
      if (a < 0 || b < 0) continue;
      const time = rec.slice(0, a);
      const stream = rec.slice(a + 1, b) === 'stderr' ? 'stderr' : 'stdout';
      const tag = c < 0 ? rec.slice(b + 1) : rec.slice(b + 1, c);
      const content = c < 0 ? '' : rec.slice(c + 1);
      if (tag === 'P') {
        this.partial[stream] += content;
      } else {
        out.push({ time, stream, text: this.partial[stream] + content + '\n' });
        this.partial[stream] = '';
      }
    }
    return out;
  }

  /** Whatever partial lines remain at the end of the log (no newline yet). */
  flush(): LogLine[] {
    const out: LogLine[] = [];
    for (const s of ['stdout', 'stderr'] as const) {
      if (this.partial[s]) out.push({ time: '', stream: s, text: this.partial[s] });
      this.partial[s] = '';
    }
    return out;
  }
}

/** Normalises RFC3339 (any precision, Z or offset) to a sortable UTC string with 9 fraction digits. */
export function normTime(t: string): string {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(t);
  if (!m) return t;
  const frac = (m[2] ?? '').padEnd(9, '0').slice(0, 9);
  if (m[3] === 'Z') return `${m[1]}.${frac}Z`;
  const d = new Date(`${m[1]}${m[3]}`);
  return `${d.toISOString().slice(0, 19)}.${frac}Z`;
}

function logFiles(layout: Layout, id: string): string[] {
  const base = monitorFile(layout, id, 'log');
  const rotated: string[] = [];
  for (let i = 9; i >= 1; i--) if (fs.existsSync(`${base}.${i}`)) rotated.push(`${base}.${i}`);
  return [...rotated, base];
}

/** Lets timers, keys and renders run between chunks: a log that is always ready never starves them. */
const breathe = () => new Promise<void>((r) => setImmediate(r));
/** With `keep`, the least time between two reads of a followed log (the TUI shows at most 10 frames a second). */
const KEEP_PACE_MS = 50;
/** Bytes per record assumed before any was read (a CRI header is 36 bytes). */
const RECORD_GUESS = 100;

/**
 * Reads the last `n` lines cheaply: from the end of the files backwards, never the whole log. The
 * current file is read through `cur` up to `curSize`, so that the follow that comes next starts
 * exactly where this stopped.
 */
function tailLines(rotated: readonly string[], cur: { fd: number; size: number } | undefined, n: number): { lines: LogLine[]; bytes: number } {
  const chunks: string[] = [];
  let newlines = 0;
  // Whether the text read starts at the very beginning of the oldest file (then its first record is whole).
  let fromStart = false;
  const files: Array<string | { fd: number; size: number }> = [...rotated, ...(cur ? [cur] : [])];
  let f = files.length - 1;
  let open: { fd: number; pos: number; own: boolean } | undefined;
  /** One more chunk backwards, across the files; false when everything has been read. */
  const readBack = (): boolean => {
    for (;;) {
      if (!open) {
        if (f < 0) return false;
        const file = files[f]!;
        try {
          const fd = typeof file === 'string' ? fs.openSync(file, 'r') : file.fd;
          open = { fd, pos: typeof file === 'string' ? fs.fstatSync(fd).size : file.size, own: typeof file === 'string' };
        } catch {
          f--;
          continue;
        }
      }
      if (open.pos > 0) {
        const len = Math.min(64 * 1024, open.pos);
        open.pos -= len;
        const buf = Buffer.alloc(len);
        fs.readSync(open.fd, buf, 0, len, open.pos);
        const text = buf.toString('latin1');
        for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) newlines++;
        chunks.unshift(text);
        fromStart = open.pos === 0 && f === 0;
        return true;
      }
      if (open.own) fs.closeSync(open.fd);
      open = undefined;
      f--;
    }
  };
  const parse = (): { lines: LogLine[]; raw: string } => {
    // Records are whole lines; drop the first (maybe cut) record, parse, keep the last n lines.
    const raw = chunks.join('');
    let text = Buffer.from(raw, 'latin1').toString('utf8');
    const first = fromStart ? -1 : text.indexOf('\n');
    if (first >= 0) text = text.slice(first + 1);
    const p = new CriParser();
    return { lines: [...p.push(text), ...p.flush()], raw };
  };
  try {
    // Enough records for n lines when each is a whole line (the usual case); a log of partial
    // records (P) needs more, read on demand rather than four times as much every time.
    let want = n + 8;
    for (;;) {
      while (newlines <= want && readBack());
      const r = parse();
      if (r.lines.length >= n || !(open || f >= 0) || newlines <= want) return { lines: r.lines.slice(Math.max(0, r.lines.length - n)), bytes: r.raw.length };
      want = newlines + (n - r.lines.length) * 4 + 8;
    }
  } finally {
    if (open?.own) fs.closeSync(open.fd);
  }
}

/** Yields the log's lines, then, when following, new ones until the container is gone for good. */
export async function* readLogs(layout: Layout, id: string, o: LogOptions): AsyncGenerator<LogLine> {
  const since = o.since ? normTime(o.since) : undefined;
  const until = o.until ? normTime(o.until) : undefined;
  const keep = (l: LogLine) => (!since || !l.time || normTime(l.time) >= since) && (!until || !l.time || normTime(l.time) <= until);
  const base = monitorFile(layout, id, 'log');
  let parser = new CriParser();
  // The current file stays open while it is read: when the monitor rotates it, the rest of it is still
  // read (through this fd) before the new file is opened.
  let fd: number | undefined;
  let ino = 0;
  let offset = 0;
  const openBase = (): boolean => {
    try {
      fd = fs.openSync(base, 'r');
      ino = fs.fstatSync(fd).ino;
      offset = 0;
      return true;
    } catch {
      fd = undefined;
      return false;
    }
  };
  openBase();
  // Bytes per record seen so far: how much log `keep` lines are.
  let seenBytes = 0;
  let seenLines = 0;
  const budget = () => (o.keep === undefined ? Infinity : Math.max(64 * 1024, Math.ceil(o.keep * 1.25 * (seenLines ? seenBytes / seenLines : RECORD_GUESS))));
  if (o.tail !== undefined && o.tail >= 0) {
    const size = fd === undefined ? 0 : fs.fstatSync(fd).size;
    const t = tailLines(logFiles(layout, id).slice(0, -1), fd === undefined ? undefined : { fd, size }, o.tail);
    seenBytes += t.bytes;
    seenLines += t.lines.length;
    offset = size;
    let n = 0;
    for (const l of t.lines) {
      if (keep(l)) yield l;
      // A huge --tail gives the event loop a turn now and then; the TUI's (5,000) comes in one go.
      if (++n % 20_000 === 0) await breathe();
    }
  } else {
    for (const f of logFiles(layout, id)) {
      if (f === base) break;
      for await (const chunk of fs.createReadStream(f, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
        for (const l of parser.push(chunk as string)) if (keep(l)) yield l;
      }
    }
  }
  // The current file, then (when following) whatever is appended, across rotations.
  let pending = true;
  let wake: () => void = () => {};
  const notify = () => {
    pending = true;
    wake();
  };
  let watcher: fs.FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  if (o.follow) {
    try {
      watcher = fs.watch(layout.containerDir(id), notify);
    } catch {
      /* removed */
    }
    timer = setInterval(notify, 500);
    o.signal?.addEventListener('abort', notify);
  }
  let live = false;
  // After a skip the first record read is cut: it goes up to its newline.
  let resync = false;
  const chunkSize = o.keep === undefined ? 1 << 20 : 64 * 1024;
  const buf = Buffer.alloc(chunkSize);
  try {
    for (;;) {
      if (fd === undefined) openBase();
      let st: fs.Stats | undefined;
      try {
        st = fs.statSync(base);
      } catch {
        st = undefined;
      }
      // Rotated (or removed and made again): finish the file held open, then take the new one.
      const rotated = fd !== undefined && st !== undefined && st.ino !== ino;
      let read = false;
      if (fd !== undefined) {
        const size = fs.fstatSync(fd).size;
        if (size - offset > budget()) {
          const to = size - budget();
          yield { time: '', stream: 'stdout', text: '', skipped: to - offset };
          offset = to;
          parser = new CriParser();
          resync = true;
        }
        while (offset < size && !o.signal?.aborted) {
          const n = fs.readSync(fd, buf, 0, Math.min(buf.length, size - offset), offset);
          if (n <= 0) break;
          offset += n;
          read = true;
          let text = buf.subarray(0, n).toString('utf8');
          if (resync) {
            const nl = text.indexOf('\n');
            if (nl < 0) continue;
            text = text.slice(nl + 1);
            resync = false;
          }
          const lines = parser.push(text);
          seenBytes += n;
          seenLines += lines.length;
          for (const l of lines) if (keep(l)) yield l;
          await breathe();
        }
      }
      if (rotated) {
        fs.closeSync(fd!);
        fd = undefined;
        if (openBase()) continue;
      }
      if (!live) {
        live = true;
        o.onLive?.();
      }
      if (!o.follow || o.signal?.aborted) break;
      if (o.stillRunning && !o.stillRunning()) {
        // One last read after the exit, so the final output is not lost.
        if (!pending) break;
        pending = false;
        continue;
      }
      if (read && o.keep !== undefined) await new Promise((r) => setTimeout(r, KEEP_PACE_MS));
      if (!pending) await new Promise<void>((r) => (wake = r));
      pending = false;
    }
    for (const l of parser.flush()) if (keep(l)) yield l;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
    watcher?.close();
    if (timer) clearInterval(timer);
    o.signal?.removeEventListener('abort', notify);
  }
}
