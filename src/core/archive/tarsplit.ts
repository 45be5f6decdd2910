import * as fs from 'node:fs';
import { CtuiError } from '../errors.js';

/**
 * The tar-split record of a layer: what it takes to re-emit the layer's tar byte for byte (so that
 * its sha256 is the diff_id again) from the unpacked files, without keeping a second copy of the tar.
 * docker does the same with vbatts/tar-split; ours is a compact binary file written while the layer
 * is unpacked (archive/extract.ts) and read back by layers/tarstream.ts.
 *
 * File `tar-split.bin`, next to the layer's `diff/` (so it appears atomically with the layer):
 *
 *   "CTUITSP1"                         magic and version
 *   ops, each starting with a tag byte:
 *     'R' u32le n, n bytes              raw tar bytes kept as they were: headers, pax and GNU long-name
 *                                       records, padding, end-of-archive blocks, trailing bytes, and the
 *                                       payloads of anything that is not a regular file
 *     'F' u64le n                       a regular file's payload of n bytes: the content of the next path
 *                                       of the path table (paths are taken in order, one per 'F')
 *     'E'                               end of ops
 *   path table: u32le count, then count x (u32le length, UTF-8 path relative to the layer dir):
 *     `diff/<name in the layer>`, or `tar-split.d/<n>` for a payload no longer reachable in diff/
 *     (a name written twice, removed by a later entry or whiteout of the same tar, a whiteout with
 *     content); the extractor moves such bytes there instead of losing them
 *   trailer: u64le size of the whole tar, u64le offset of the path table, "CTUITSPE"
 *
 * The path table comes last because a path is only final when the whole tar has been unpacked.
 */

export const TAR_SPLIT_FILE = 'tar-split.bin';
/** Payloads that are no longer reachable in diff/ (see above). */
export const TAR_SPLIT_SHADOW_DIR = 'tar-split.d';

const MAGIC = Buffer.from('CTUITSP1', 'latin1');
const END_MAGIC = Buffer.from('CTUITSPE', 'latin1');
const TRAILER = 24;
const OP_RAW = 0x52;
const OP_FILE = 0x46;
const OP_END = 0x45;
/** Raw bytes are gathered into one 'R' op up to this size (fewer ops, fewer writes). */
const RAW_FLUSH = 1 << 20;

/** Writes a record as the tar streams by; payload paths are set later and written at the end. */
export class TarSplitWriter {
  private readonly fd: number;
  private pendingRaw: Buffer[] = [];
  private pendingRawBytes = 0;
  private out: Buffer[] = [];
  private outBytes = 0;
  private offset = 0;
  private readonly paths: Array<string | undefined> = [];
  /** Bytes of the tar covered so far (raw + payloads): must end equal to the tar's size. */
  total = 0;

  constructor(readonly file: string) {
    // O_EXCL: a record is written once, into a fresh staging dir.
    this.fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
    this.emit(MAGIC);
  }

  raw(bytes: Buffer): void {
    if (bytes.length === 0) return;
    // Copy: the chunk belongs to the stream and its slices must not pin big buffers.
    this.pendingRaw.push(Buffer.from(bytes));
    this.pendingRawBytes += bytes.length;
    this.total += bytes.length;
    if (this.pendingRawBytes >= RAW_FLUSH) this.flushRaw();
  }

  /** A regular file's payload; returns its slot, to be given a path with resolve(). */
  payload(size: number): number {
    this.flushRaw();
    const op = Buffer.allocUnsafe(9);
    op[0] = OP_FILE;
    op.writeBigUInt64LE(BigInt(size), 1);
    this.emit(op);
    this.total += size;
    return this.paths.push(undefined) - 1;
  }

  resolve(slot: number, relPath: string): void {
    if (slot < 0 || slot >= this.paths.length) throw new Error(`tar-split: no payload slot ${slot}`);
    this.paths[slot] = relPath;
  }

  /** Completes the file; every payload must have a path by now. */
  finish(): void {
    this.flushRaw();
    this.emit(Buffer.from([OP_END]));
    const tableOffset = this.offset + this.outBytes;
    const count = Buffer.allocUnsafe(4);
    count.writeUInt32LE(this.paths.length);
    this.emit(count);
    for (const [slot, p] of this.paths.entries()) {
      if (p === undefined) throw new Error(`tar-split: payload ${slot} was never given a path`);
      const name = Buffer.from(p, 'utf8');
      const len = Buffer.allocUnsafe(4);
      len.writeUInt32LE(name.length);
      this.emit(len);
      this.emit(name);
    }
    const trailer = Buffer.allocUnsafe(TRAILER);
    trailer.writeBigUInt64LE(BigInt(this.total), 0);
    trailer.writeBigUInt64LE(BigInt(tableOffset), 8);
    END_MAGIC.copy(trailer, 16);
    this.emit(trailer);
    this.flushOut();
    fs.closeSync(this.fd);
  }

  /** Closes the file after a failure (the staging dir it lives in is removed by the caller). */
  abort(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      /* already closed */
    }
  }

  private flushRaw(): void {
    if (this.pendingRawBytes === 0) return;
    const head = Buffer.allocUnsafe(5);
    head[0] = OP_RAW;
    head.writeUInt32LE(this.pendingRawBytes, 1);
    this.emit(head);
    for (const b of this.pendingRaw) this.emit(b);
    this.pendingRaw = [];
    this.pendingRawBytes = 0;
  }

  private emit(b: Buffer): void {
    this.out.push(b);
    this.outBytes += b.length;
    if (this.outBytes >= RAW_FLUSH) this.flushOut();
  }

  private flushOut(): void {
    if (this.outBytes === 0) return;
    const buf = this.out.length === 1 ? this.out[0]! : Buffer.concat(this.out, this.outBytes);
    let off = 0;
    while (off < buf.length) off += fs.writeSync(this.fd, buf, off);
    this.offset += buf.length;
    this.out = [];
    this.outBytes = 0;
  }
}

export type TarSplitOp = { readonly kind: 'raw'; readonly bytes: Buffer } | { readonly kind: 'file'; readonly path: string; readonly size: number };

/** A record opened for reading: the tar's size up front, then its ops in order. */
export interface TarSplitRecord {
  readonly tarSize: number;
  /** Yields ops in order; raw ops come in pieces of at most `chunk` bytes. */
  ops(chunk?: number): Generator<TarSplitOp>;
  close(): void;
}

/** The record itself is unreadable (cut short, bad lengths): the layer cannot be re-emitted. */
export class TarSplitDamagedError extends CtuiError {}

/**
 * Opens a record. The record is our own file, but a damaged one (a disk error, a hand edit) must
 * fail clearly instead of producing a wrong tar: every length is checked against the file.
 */
export function openTarSplit(file: string): TarSplitRecord {
  const fd = fs.openSync(file, 'r');
  try {
    const fileSize = fs.fstatSync(fd).size;
    const bad = (why: string): never => {
      throw new TarSplitDamagedError(`tar-split record ${file} is damaged: ${why}`);
    };
    if (fileSize < MAGIC.length + 1 + 4 + TRAILER) bad('too short');
    const head = readAt(fd, 0, MAGIC.length);
    if (!head.equals(MAGIC)) bad('bad magic');
    const trailer = readAt(fd, fileSize - TRAILER, TRAILER);
    if (!trailer.subarray(16).equals(END_MAGIC)) bad('bad trailer');
    const tarSize = Number(trailer.readBigUInt64LE(0));
    const tableOffset = Number(trailer.readBigUInt64LE(8));
    if (tableOffset < MAGIC.length + 1 || tableOffset > fileSize - TRAILER - 4) bad('bad table offset');
    const table = readAt(fd, tableOffset, fileSize - TRAILER - tableOffset);
    const count = table.readUInt32LE(0);
    const paths: string[] = [];
    let t = 4;
    for (let i = 0; i < count; i++) {
      if (t + 4 > table.length) bad('path table cut short');
      const len = table.readUInt32LE(t);
      t += 4;
      if (t + len > table.length) bad('path table cut short');
      paths.push(table.toString('utf8', t, t + len));
      t += len;
    }
    const opsEnd = tableOffset;
    let closed = false;
    return {
      tarSize,
      // Idempotent: closing a number twice could close somebody else's file opened in between.
      close: () => {
        if (closed) return;
        closed = true;
        fs.closeSync(fd);
      },
      *ops(chunk = 1 << 20): Generator<TarSplitOp> {
        const reader = new BlockReader(fd, MAGIC.length, opsEnd, bad);
        let next = 0;
        for (;;) {
          const tag = reader.take(1)[0];
          if (tag === OP_END) break;
          if (tag === OP_RAW) {
            let n = reader.take(4).readUInt32LE(0);
            while (n > 0) {
              const piece = reader.take(Math.min(n, chunk));
              n -= piece.length;
              yield { kind: 'raw', bytes: piece };
            }
          } else if (tag === OP_FILE) {
            const size = Number(reader.take(8).readBigUInt64LE(0));
            const p = paths[next++];
            if (p === undefined) bad('more payloads than paths');
            yield { kind: 'file', path: p!, size };
          } else bad(`unknown op ${String(tag)}`);
        }
        if (next !== paths.length) bad('fewer payloads than paths');
      },
    };
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
}

function readAt(fd: number, pos: number, len: number): Buffer {
  const buf = Buffer.allocUnsafe(len);
  let got = 0;
  while (got < len) {
    const n = fs.readSync(fd, buf, got, len - got, pos + got);
    if (n === 0) break;
    got += n;
  }
  return got === len ? buf : buf.subarray(0, got);
}

/** Sequential reads of the ops section through a 256 KiB window. */
class BlockReader {
  private buf: Buffer = Buffer.alloc(0);
  private at = 0;
  constructor(
    private readonly fd: number,
    private pos: number,
    private readonly end: number,
    private readonly bad: (why: string) => never,
  ) {}

  take(n: number): Buffer {
    if (this.buf.length - this.at >= n) {
      const out = this.buf.subarray(this.at, this.at + n);
      this.at += n;
      return out;
    }
    const have = this.buf.subarray(this.at);
    const want = Math.max(n - have.length, 256 * 1024);
    const more = readAt(this.fd, this.pos, Math.min(want, this.end - this.pos));
    this.pos += more.length;
    this.buf = have.length > 0 ? Buffer.concat([have, more]) : more;
    this.at = 0;
    if (this.buf.length < n) this.bad('ops cut short');
    const out = this.buf.subarray(0, n);
    this.at = n;
    return out;
  }
}
