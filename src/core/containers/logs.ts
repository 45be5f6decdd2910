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

/** Reads the last `n` lines cheaply: from the end of the files backwards, never the whole log. */
function tailLines(files: readonly string[], n: number): LogLine[] {
  const chunks: string[] = [];
  let newlines = 0;
  // Whether the text read starts at the very beginning of the oldest file (then its first record is whole).
  let fromStart = false;
  for (let f = files.length - 1; f >= 0 && newlines <= n; f--) {
    let fd: number;
    try {
      fd = fs.openSync(files[f]!, 'r');
    } catch {
      continue;
    }
    try {
      let pos = fs.fstatSync(fd).size;
      const fileChunks: string[] = [];
      while (pos > 0 && newlines <= n * 4 + 8) {
        const len = Math.min(64 * 1024, pos);
        pos -= len;
        const buf = Buffer.alloc(len);
        fs.readSync(fd, buf, 0, len, pos);
        const s = buf.toString('latin1');
        for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) newlines++;
        fileChunks.unshift(s);
      }
      chunks.unshift(...fileChunks);
      fromStart = pos === 0 && f === 0;
    } finally {
      fs.closeSync(fd);
    }
  }
  // Records are whole lines; drop the first (maybe cut) record, parse, keep the last n lines.
  let text = Buffer.from(chunks.join(''), 'latin1').toString('utf8');
  const first = fromStart ? -1 : text.indexOf('\n');
  if (first >= 0) text = text.slice(first + 1);
  const p = new CriParser();
  const lines = [...p.push(text), ...p.flush()];
  return lines.slice(Math.max(0, lines.length - n));
}

/** Yields the log's lines, then, when following, new ones until the container is gone for good. */
export async function* readLogs(layout: Layout, id: string, o: LogOptions): AsyncGenerator<LogLine> {
  const since = o.since ? normTime(o.since) : undefined;
  const until = o.until ? normTime(o.until) : undefined;
  const keep = (l: LogLine) => (!since || !l.time || normTime(l.time) >= since) && (!until || !l.time || normTime(l.time) <= until);
  const base = monitorFile(layout, id, 'log');
  const parser = new CriParser();
  let offset = 0;
  let ino = 0;
  if (o.tail !== undefined && o.tail >= 0) {
    for (const l of tailLines(logFiles(layout, id), o.tail)) if (keep(l)) yield l;
    try {
      const st = fs.statSync(base);
      offset = st.size;
      ino = st.ino;
    } catch {
      /* no log yet */
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
  try {
    for (;;) {
      let st: fs.Stats | undefined;
      try {
        st = fs.statSync(base);
      } catch {
        st = undefined;
      }
      if (st && ino && st.ino !== ino) offset = 0; // rotated: the new file starts from 0
      if (st) ino = st.ino;
      if (st && st.size > offset) {
        const fd = fs.openSync(base, 'r');
        try {
          const buf = Buffer.alloc(1 << 20);
          while (offset < st.size) {
            const n = fs.readSync(fd, buf, 0, Math.min(buf.length, st.size - offset), offset);
            if (n <= 0) break;
            offset += n;
            for (const l of parser.push(buf.subarray(0, n).toString('utf8'))) if (keep(l)) yield l;
          }
        } finally {
          fs.closeSync(fd);
        }
      }
      if (!o.follow || o.signal?.aborted) break;
      if (o.stillRunning && !o.stillRunning()) {
        // One last read after the exit, so the final output is not lost.
        if (!pending) break;
        pending = false;
        continue;
      }
      if (!pending) await new Promise<void>((r) => (wake = r));
      pending = false;
    }
    for (const l of parser.flush()) if (keep(l)) yield l;
  } finally {
    watcher?.close();
    if (timer) clearInterval(timer);
    o.signal?.removeEventListener('abort', notify);
  }
}
