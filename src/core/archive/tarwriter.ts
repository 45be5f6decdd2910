import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { CtuiError } from '../errors.js';
import { encodeHeader } from './tarheader.js';

/**
 * Writes an outer archive (docker-archive, OCI layout) straight to a Writable: a ustar header, the
 * payload, zero padding. No per-entry stream machinery in between, and the payload of a layer is
 * streamed (never buffered whole). Waits on 'drain', so a slow reader slows us instead of filling memory.
 */
export class TarWriter {
  private written = 0;
  private failed: Error | undefined;
  private readonly onError = (err: Error) => {
    this.failed ??= err;
  };

  constructor(
    private readonly out: Writable,
    private readonly signal?: AbortSignal,
    /** mtime of every entry (seconds): fixed, so the same images give the same archive. */
    private readonly mtime = 0,
  ) {
    out.on('error', this.onError);
  }

  /** Bytes written so far. */
  get bytes(): number {
    return this.written;
  }

  async file(name: string, data: Buffer): Promise<void> {
    await this.write(this.header(name, data.length));
    await this.write(data);
    await this.pad(data.length);
  }

  async symlink(name: string, target: string): Promise<void> {
    await this.write(encodeHeader({ name, type: 'symlink', linkname: target, size: 0, mode: 0o777, uid: 0, gid: 0, mtime: this.mtime }));
  }

  /** An entry whose payload comes from a stream that must yield exactly size bytes. */
  async stream(name: string, size: number, input: Readable): Promise<void> {
    await this.write(this.header(name, size));
    let got = 0;
    for await (const chunk of input) {
      const buf = chunk as Buffer;
      got += buf.length;
      if (got > size) throw new CtuiError(`archive entry ${name}: more data than its ${size} bytes`);
      await this.write(buf);
    }
    if (got !== size) throw new CtuiError(`archive entry ${name}: ${got} bytes instead of ${size}`);
    await this.pad(size);
  }

  /** Two zero blocks: the end-of-archive marker. */
  async finish(): Promise<void> {
    await this.write(Buffer.alloc(1024));
  }

  /** The same header writer as commit's (PAX records when a name is long), so no name is too long. */
  private header(name: string, size: number): Buffer {
    return encodeHeader({ name, type: 'file', size, mode: 0o644, uid: 0, gid: 0, mtime: this.mtime });
  }

  private async pad(size: number): Promise<void> {
    const n = (512 - (size % 512)) % 512;
    if (n > 0) await this.write(Buffer.alloc(n));
  }

  private async write(buf: Buffer): Promise<void> {
    if (this.signal?.aborted) throw new CtuiError('cancelled');
    if (this.failed) throw this.failed;
    this.written += buf.length;
    if (!this.out.write(buf)) {
      try {
        await once(this.out, 'drain', this.signal ? { signal: this.signal } : {});
      } catch (err) {
        throw this.signal?.aborted ? new CtuiError('cancelled') : err;
      }
    }
    if (this.failed) throw this.failed;
  }

  /** Stops listening to the output (it stays open: its owner ends or destroys it). */
  release(): void {
    this.out.off('error', this.onError);
  }
}
