import { Transform, type TransformCallback } from 'node:stream';
import headers from 'tar-stream/headers.js';
import type { TarSplitWriter } from './tarsplit.js';
import { HostileArchiveError } from './hostile.js';

/**
 * Segments a raw (uncompressed) tar stream into the tar-split record while passing it on unchanged
 * to tar-stream's extractor. tar-stream does not expose raw header bytes, so this walks the same
 * bytes in 512-byte blocks: every header, pax/GNU long-name record, padding block and end block is
 * kept raw; a regular file's payload ('0', '\0', '7') becomes a payload slot whose path the extractor
 * fills in; other payloads (odd types such as sparse 'S') are kept raw.
 *
 * Headers are decoded with tar-stream's own codec and its pax rules are followed to the letter (the
 * pax `size` override, global headers merged only into a per-entry one, a directory having no
 * payload), so both parsers cut the stream at the same places. The extractor checks that each entry
 * it gets from tar-stream matches the one seen here (type and size, in order): any disagreement
 * would make the record wrong, and a tar that two parsers read differently is hostile anyway.
 */

export interface WalkedEntry {
  readonly type: string | null;
  /** The header's size (after a pax override), as tar-stream reports it. */
  readonly size: number;
  /** The payload slot of a regular file with content, else undefined. */
  readonly slot: number | undefined;
}

/**
 * pax and GNU long-name records are buffered whole (by tar-stream too). Real ones are a few hundred
 * bytes; the cap stops a header claiming gigabytes from making either parser buffer them in memory.
 */
const MAX_META = 1 << 20;

const LONG_TYPES = new Set(['pax-header', 'pax-global-header', 'gnu-long-path', 'gnu-long-link-path']);

type State = 'header' | 'meta' | 'payload' | 'rawpayload' | 'pad';

export class TarWalker extends Transform {
  /** Entries seen and not yet claimed by the extractor, in order. */
  private readonly pending: WalkedEntry[] = [];
  private readonly head = Buffer.alloc(512);
  private headFill = 0;
  private state: State = 'header';
  private left = 0;
  private padAfter = 0;
  private metaType = '';
  private meta: Buffer[] = [];
  private pax: Record<string, string> | null = null;
  private paxGlobal: Record<string, string> | null = null;

  constructor(private readonly record: TarSplitWriter) {
    super({ readableHighWaterMark: 1 << 20, writableHighWaterMark: 1 << 20 });
  }

  /** The next entry in stream order (the extractor pairs tar-stream's entries with these). */
  next(): WalkedEntry | undefined {
    return this.pending.shift();
  }

  get unclaimed(): number {
    return this.pending.length;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.walk(chunk);
    } catch (err) {
      cb(err as Error);
      return;
    }
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    // A partial last block is kept as it is (tar-stream reports the truncation).
    if (this.headFill > 0) this.record.raw(this.head.subarray(0, this.headFill));
    this.headFill = 0;
    cb();
  }

  private walk(chunk: Buffer): void {
    let i = 0;
    const len = chunk.length;
    while (i < len) {
      if (this.state === 'header') {
        if (this.headFill === 0 && len - i >= 512) {
          const block = chunk.subarray(i, i + 512);
          i += 512;
          this.header(block);
        } else {
          const n = Math.min(512 - this.headFill, len - i);
          chunk.copy(this.head, this.headFill, i, i + n);
          this.headFill += n;
          i += n;
          if (this.headFill === 512) {
            this.headFill = 0;
            this.header(this.head);
          }
        }
        continue;
      }
      const n = Math.min(this.left, len - i);
      const piece = chunk.subarray(i, i + n);
      i += n;
      this.left -= n;
      if (this.state === 'payload') {
        /* file content: only its length is recorded, the bytes live in the unpacked file */
      } else {
        this.record.raw(piece);
        if (this.state === 'meta') this.meta.push(Buffer.from(piece));
      }
      if (this.left === 0) this.endOfSegment();
    }
  }

  private header(block: Buffer): void {
    this.record.raw(block);
    // Throws on a bad checksum: tar-stream would throw the same error at the same block.
    const h = headers.decode(block, 'utf-8', false);
    if (h === null) return; // an all-zero block (end of archive, or padding after it): both skip it
    const type = h.type ?? null;
    if (type !== null && LONG_TYPES.has(type)) {
      const size = h.size ?? 0;
      // An empty pax/GNU record sends tar-stream's state machine astray (it would read the next
      // padding as a long header); a huge one would be buffered whole. Neither occurs in real tars.
      if (!Number.isSafeInteger(size) || size <= 0 || size > MAX_META) {
        throw new HostileArchiveError(`archive has a ${type} record of ${String(size)} bytes: refusing it`);
      }
      this.metaType = type;
      this.meta = [];
      this.begin('meta', size, size);
      return;
    }
    let size = h.size ?? 0;
    if (this.pax && this.pax.size) size = Number.parseInt(this.pax.size, 10);
    this.pax = null;
    // A size tar-stream cannot use (NaN, negative base-256) would stall or confuse it.
    if (!Number.isSafeInteger(size) || size < 0) throw new HostileArchiveError(`archive entry has an invalid size: ${h.name}`);
    const payload = type === 'directory' ? 0 : size;
    const isFile = type === 'file' || type === 'contiguous-file';
    const slot = isFile && payload > 0 ? this.record.payload(payload) : undefined;
    this.pending.push({ type, size, slot });
    this.begin(slot !== undefined ? 'payload' : 'rawpayload', payload, payload);
  }

  private begin(state: State, size: number, padFor: number): void {
    this.state = state;
    this.left = size;
    this.padAfter = (512 - (padFor % 512)) % 512;
    if (size === 0) this.endOfSegment();
  }

  private endOfSegment(): void {
    if (this.state === 'meta') {
      const buf = Buffer.concat(this.meta);
      this.meta = [];
      if (this.metaType === 'pax-header') {
        this.pax = this.paxGlobal === null ? headers.decodePax(buf) : { ...this.paxGlobal, ...headers.decodePax(buf) };
      } else if (this.metaType === 'pax-global-header') {
        this.paxGlobal = headers.decodePax(buf);
      }
    }
    if (this.state !== 'pad' && this.padAfter > 0) {
      this.state = 'pad';
      this.left = this.padAfter;
      this.padAfter = 0;
      return;
    }
    this.state = 'header';
    this.left = 0;
  }
}
