/**
 * tar-stream's header codec (not part of its typed API). The tar walker (archive/tarwalker.ts) decodes
 * headers with the very function tar-stream's extractor uses, so the two can never disagree about
 * where an entry starts, what type it is or how long its payload is.
 */
declare module 'tar-stream/headers.js' {
  import type { Headers } from 'tar-stream';

  interface HeaderCodec {
    /** null for an all-zero block; throws on a bad checksum or an unknown format. */
    decode(buf: Buffer, filenameEncoding?: string, allowUnknownFormat?: boolean): (Headers & { type: Headers['type'] | null }) | null;
    decodePax(buf: Buffer): Record<string, string>;
    encode(opts: Partial<Headers>): Buffer | null;
  }
  const headers: HeaderCodec;
  export default headers;
}
