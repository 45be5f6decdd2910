/**
 * Tar headers written by hand (ustar, with a PAX record when a field does not fit), so that the bytes
 * are exactly what we decide: binary-safe xattr values (SCHILY.xattr.*, e.g. security.capability),
 * byte-counted PAX lengths for non-ASCII names, and no per-entry stream machinery on the commit path.
 */

export type TarType = 'file' | 'link' | 'symlink' | 'char' | 'block' | 'directory' | 'fifo';

const TYPEFLAG: Record<TarType, string> = { file: '0', link: '1', symlink: '2', char: '3', block: '4', directory: '5', fifo: '6' };

export interface TarHeader {
  /** Relative, without a leading "./"; directories get their trailing "/" here. */
  readonly name: string;
  readonly type: TarType;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  /** Seconds since the epoch (whole seconds, as docker writes them). */
  readonly mtime: number;
  readonly linkname?: string;
  readonly devmajor?: number;
  readonly devminor?: number;
  readonly xattrs?: ReadonlyMap<string, Buffer>;
}

export const BLOCK = 512;
/** Two zero blocks end an archive. */
export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);

/** Zero bytes after a payload of `size` bytes, up to the next block. */
export function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return rest === 0 ? Buffer.alloc(0) : Buffer.alloc(BLOCK - rest);
}

const isAscii = (s: string) => /^[\x01-\x7f]*$/.test(s);

function octal(buf: Buffer, off: number, len: number, value: number): boolean {
  const s = value.toString(8);
  if (s.length > len - 1) return false;
  buf.write(s.padStart(len - 1, '0'), off, 'ascii');
  buf[off + len - 1] = 0;
  return true;
}

/** One PAX record: "<len> <key>=<value>\n", where len counts its own digits. */
function paxRecord(key: string, value: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`), value, Buffer.from('\n')]);
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return Buffer.concat([Buffer.from(String(len)), body]);
}

function ustar(h: { name: string; type: string; mode: number; uid: number; gid: number; size: number; mtime: number; linkname: string; devmajor: number; devminor: number }): Buffer {
  const b = Buffer.alloc(BLOCK);
  b.write(h.name, 0, 100, 'utf8');
  octal(b, 100, 8, h.mode & 0o7777);
  octal(b, 108, 8, h.uid);
  octal(b, 116, 8, h.gid);
  octal(b, 124, 12, h.size);
  octal(b, 136, 12, h.mtime);
  b.fill(0x20, 148, 156); // the checksum field counts as spaces while summing
  b.write(h.type, 156, 1, 'ascii');
  b.write(h.linkname, 157, 100, 'utf8');
  b.write('ustar\u000000', 257, 8, 'ascii');
  octal(b, 329, 8, h.devmajor);
  octal(b, 337, 8, h.devminor);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += b[i]!;
  b.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return b;
}

/** The header block(s) for one entry: a PAX extended header first when needed, then the ustar block. */
export function encodeHeader(h: TarHeader): Buffer {
  const pax: Buffer[] = [];
  const name = h.type === 'directory' && !h.name.endsWith('/') ? `${h.name}/` : h.name;
  const linkname = h.linkname ?? '';
  if (Buffer.byteLength(name) > 100 || !isAscii(name)) pax.push(paxRecord('path', Buffer.from(name)));
  if (Buffer.byteLength(linkname) > 100 || !isAscii(linkname)) pax.push(paxRecord('linkpath', Buffer.from(linkname)));
  if (h.size >= 0o77777777777) pax.push(paxRecord('size', Buffer.from(String(h.size))));
  if (h.uid > 0o7777777) pax.push(paxRecord('uid', Buffer.from(String(h.uid))));
  if (h.gid > 0o7777777) pax.push(paxRecord('gid', Buffer.from(String(h.gid))));
  for (const [k, v] of [...(h.xattrs ?? new Map<string, Buffer>())].sort(([a], [b]) => (a < b ? -1 : 1))) {
    pax.push(paxRecord(`SCHILY.xattr.${k}`, v));
  }
  const main = ustar({
    name: Buffer.byteLength(name) > 100 || !isAscii(name) ? asciiPrefix(name) : name,
    type: TYPEFLAG[h.type],
    mode: h.mode,
    uid: h.uid > 0o7777777 ? 0 : h.uid,
    gid: h.gid > 0o7777777 ? 0 : h.gid,
    size: h.size >= 0o77777777777 ? 0 : h.size,
    mtime: Math.max(0, Math.floor(h.mtime)),
    linkname: Buffer.byteLength(linkname) > 100 || !isAscii(linkname) ? asciiPrefix(linkname) : linkname,
    devmajor: h.devmajor ?? 0,
    devminor: h.devminor ?? 0,
  });
  if (pax.length === 0) return main;
  const body = Buffer.concat(pax);
  const paxHeader = ustar({
    name: asciiPrefix(`PaxHeaders.0/${name}`),
    type: 'x',
    mode: 0o644,
    uid: 0,
    gid: 0,
    size: body.length,
    mtime: Math.max(0, Math.floor(h.mtime)),
    linkname: '',
    devmajor: 0,
    devminor: 0,
  });
  return Buffer.concat([paxHeader, body, padding(body.length), main]);
}

/** A stand-in for the ustar name field when the real name lives in the PAX record (readers use that). */
function asciiPrefix(s: string): string {
  return s.replace(/[^\x01-\x7f]/g, '_').slice(0, 99);
}
