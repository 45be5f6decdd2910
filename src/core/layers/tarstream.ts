import { createHash, type Hash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { TAR_SPLIT_FILE, openTarSplit, type TarSplitOp, type TarSplitRecord } from '../archive/tarsplit.js';
import { CtuiError, errnoCode } from '../errors.js';

/**
 * A stored layer as its exact original tar: headers and padding from the tar-split record, file
 * payloads read from the unpacked files. The bytes are hashed as they go; when they do not hash to
 * the diff_id the stream fails before it hands out its last chunk, so a consumer never sees a
 * complete but wrong layer.
 */

/** Bytes per chunk: big reads and few pushes (the per-chunk cost in Node is what adds up). */
const CHUNK = 1 << 20;

export class LayerDamagedError extends CtuiError {
  constructor(diffId: string, detail?: string) {
    super(`layer ${diffId} is damaged: its bytes no longer hash to its diff_id${detail ? ` (${detail})` : ''}`);
    this.name = 'LayerDamagedError';
  }
}

export interface LayerTar {
  /** Length of the tar in bytes (known before reading it: an outer tar header needs it). */
  readonly size: number;
  readonly stream: Readable;
}

/** Opens the tar of the layer stored in layerDir (layers/<hex>). */
export function openLayerTar(layerDir: string, diffId: string): LayerTar {
  let record: TarSplitRecord;
  try {
    record = openTarSplit(path.join(layerDir, TAR_SPLIT_FILE));
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') {
      throw new CtuiError(`layer ${diffId} has no tar-split record (it was stored by an older ctui): remove the image and import or load it again`);
    }
    if (err instanceof CtuiError) throw new LayerDamagedError(diffId, err.message);
    throw err;
  }
  return { size: record.tarSize, stream: new LayerTarStream(layerDir, diffId, record) };
}

class LayerTarStream extends Readable {
  private readonly ops: Generator<TarSplitOp>;
  private readonly hash: Hash = createHash('sha256');
  private emitted = 0;
  private raw: Buffer | undefined;
  private file: { fd: number; left: number; path: string } | undefined;

  constructor(
    private readonly layerDir: string,
    private readonly diffId: string,
    private readonly record: TarSplitRecord,
  ) {
    super({ highWaterMark: CHUNK });
    this.ops = record.ops(CHUNK);
  }

  override _read(): void {
    try {
      const { chunk, done } = this.fill();
      this.hash.update(chunk);
      this.emitted += chunk.length;
      if (!done) {
        this.push(chunk);
        return;
      }
      if (this.emitted !== this.record.tarSize || `sha256:${this.hash.digest('hex')}` !== this.diffId) {
        throw new LayerDamagedError(this.diffId);
      }
      if (chunk.length > 0) this.push(chunk);
      this.push(null);
    } catch (err) {
      this.destroy(err instanceof CtuiError ? err : new LayerDamagedError(this.diffId, (err as Error).message));
    }
  }

  /** Fills one chunk from raw ops and file payloads (read straight into it, no extra copy). */
  private fill(): { chunk: Buffer; done: boolean } {
    const buf = Buffer.allocUnsafe(CHUNK);
    let n = 0;
    while (n < CHUNK) {
      if (this.raw) {
        const take = Math.min(this.raw.length, CHUNK - n);
        this.raw.copy(buf, n, 0, take);
        n += take;
        this.raw = take === this.raw.length ? undefined : this.raw.subarray(take);
        continue;
      }
      if (this.file) {
        const f = this.file;
        const got = fs.readSync(f.fd, buf, n, Math.min(f.left, CHUNK - n), null);
        if (got === 0) throw new LayerDamagedError(this.diffId, `${f.path} is shorter than it was`);
        n += got;
        f.left -= got;
        if (f.left === 0) this.closeFile();
        continue;
      }
      const next = this.ops.next();
      if (next.done) {
        this.record.close();
        return { chunk: buf.subarray(0, n), done: true };
      }
      const op = next.value;
      if (op.kind === 'raw') this.raw = op.bytes;
      else this.openFile(op.path, op.size);
    }
    return { chunk: buf, done: false };
  }

  private openFile(rel: string, size: number): void {
    // The record is our own file, but a damaged one must never make us read outside the layer.
    if (rel.startsWith('/') || rel.split('/').includes('..')) throw new LayerDamagedError(this.diffId, `bad path in its record: ${rel}`);
    let fd: number;
    try {
      fd = fs.openSync(path.join(this.layerDir, rel), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    } catch (err) {
      throw new LayerDamagedError(this.diffId, `${rel}: ${errnoCode(err) ?? (err as Error).message}`);
    }
    this.file = { fd, left: size, path: rel };
  }

  private closeFile(): void {
    if (!this.file) return;
    fs.closeSync(this.file.fd);
    this.file = undefined;
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.closeFile();
    this.record.close();
    cb(err);
  }
}
