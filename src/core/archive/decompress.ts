import { spawn } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CtuiError } from '../errors.js';

export type Compression = 'none' | 'gzip' | 'bzip2' | 'xz' | 'zstd';

/** Sniffs the magic bytes, as docker's archive.DetectCompression does. */
export function detectCompression(head: Buffer): Compression {
  if (head.length >= 3 && head[0] === 0x1f && head[1] === 0x8b && head[2] === 0x08) return 'gzip';
  if (head.length >= 3 && head.subarray(0, 3).toString('latin1') === 'BZh') return 'bzip2';
  if (head.length >= 6 && head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'xz';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  return 'none';
}

/** Reads the first bytes of a stream without losing them: returns them and a stream that replays all. */
export async function peek(input: Readable, want: number): Promise<{ head: Buffer; stream: Readable }> {
  const chunks: Buffer[] = [];
  let got = 0;
  const iterator = input[Symbol.asyncIterator]();
  while (got < want) {
    const { value, done } = (await iterator.next()) as IteratorResult<Buffer>;
    if (done) break;
    chunks.push(value);
    got += value.length;
  }
  const head = Buffer.concat(chunks);
  const rest = Readable.from(
    (async function* () {
      if (head.length > 0) yield head;
      for (;;) {
        const { value, done } = (await iterator.next()) as IteratorResult<Buffer>;
        if (done) return;
        yield value;
      }
    })(),
    { objectMode: false },
  );
  return { head, stream: rest };
}

/** A decompressing filter program from Debian (bzip2, xz, zstd): Node's zlib has only gzip. */
function viaProgram(program: string, input: Readable): Readable {
  const out = new PassThrough();
  const child = spawn(program, ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.on('error', (err) => out.destroy(new CtuiError(`cannot run ${program} to decompress: ${err.message}`)));
  input.on('error', (err) => out.destroy(err));
  input.pipe(child.stdin).on('error', () => {
    /* EPIPE when the program gave up: its exit status says why */
  });
  child.stdout.pipe(out, { end: false });
  let exited: number | null | undefined;
  let drained = false;
  const finish = () => {
    if (exited === undefined || !drained) return;
    if (exited === 0) out.end();
    else out.destroy(new CtuiError(`corrupt ${program} data: ${stderr.trim().split('\n').pop() ?? 'exit ' + exited}`));
  };
  child.stdout.on('end', () => {
    drained = true;
    finish();
  });
  child.on('close', (code) => {
    exited = code;
    finish();
  });
  out.on('close', () => {
    if (exited === undefined) child.kill('SIGKILL');
  });
  return out;
}

/** Returns the uncompressed byte stream of input, whatever of gzip/bzip2/xz/zstd/none it is. */
export async function decompress(input: Readable): Promise<{ stream: Readable; compression: Compression }> {
  const { head, stream } = await peek(input, 6);
  const compression = detectCompression(head);
  return { stream: decompressAs(stream, compression), compression };
}

/** The uncompressed bytes of a stream whose compression is already known (no second peek). */
export function decompressAs(stream: Readable, compression: Compression): Readable {
  switch (compression) {
    case 'none':
      return stream;
    case 'gzip': {
      const gunzip = createGunzip();
      stream.on('error', (err) => gunzip.destroy(err));
      return stream.pipe(gunzip);
    }
    case 'bzip2':
      return viaProgram('bzip2', stream);
    case 'xz':
      return viaProgram('xz', stream);
    case 'zstd':
      return viaProgram('zstd', stream);
  }
}
