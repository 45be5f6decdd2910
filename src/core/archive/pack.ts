import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { CtuiError, errnoCode } from '../errors.js';
import { listXattrs } from '../helper/native.js';
import { END_OF_ARCHIVE, encodeHeader, padding, type TarHeader, type TarType } from './tarheader.js';

/**
 * Packs a directory tree into a tar stream, for commit (a container's upper dir becomes a layer) and
 * export (a container's whole filesystem).
 *
 * The tree belongs to a container and may be changing under us (commit -p=false, export of a running
 * container): a process in it can swap a directory for a symlink to / between our readdir and open.
 * Following it would copy host files into an image (docker cp had this, CVE-2018-15664). So every
 * directory and file is opened with O_NOFOLLOW and then checked through /proc/self/fd to be exactly
 * the path we meant, beneath the root; xattrs are read by the native helper, which never follows a
 * symlink on the way. Payload sizes come from fstat of the opened file and exactly that many bytes are
 * written (zero-filled if the file shrank), so the archive stays well-formed whatever happens.
 */

export interface PackOptions {
  /**
   * 'layer': overlayfs whiteouts (char 0/0) become `.wh.<name>` entries and opaque directories get a
   * `.wh..wh..opq` entry, as OCI layers carry them. 'tree': a plain filesystem (export).
   */
  readonly mode: 'layer' | 'tree';
  readonly signal?: AbortSignal;
  /** Entries that cannot go into an archive (sockets, device nodes in a layer). */
  readonly onSkip?: (rel: string, why: string) => void;
  /** Relative paths (no leading slash) whose contents are left out, e.g. volume mount points on export. */
  readonly exclude?: ReadonlySet<string>;
  /** The tree as walkTree(realpath(root)) already listed it (commit walks it first): not walked twice. */
  readonly entries?: readonly TreeEntry[];
  /** Entries to leave out altogether (the runtime's mount points in a writable layer). */
  readonly skip?: (rel: string, st: fs.Stats) => boolean;
}

export interface TreeEntry {
  readonly rel: string;
  readonly st: fs.Stats;
}

const OPAQUE_XATTR = 'trusted.overlay.opaque';
const CHUNK = 1 << 20;

export class TreeChangedError extends CtuiError {
  constructor(rel: string) {
    super(`${rel} changed while it was being read (is the container writing to it?)`);
  }
}

/** Opens root/rel without following any symlink we did not expect; undefined when it vanished. */
function openVerified(root: string, rel: string, flags: number): number | undefined {
  const abs = rel === '' ? root : path.join(root, rel);
  let fd: number;
  try {
    fd = fs.openSync(abs, flags | fs.constants.O_NOFOLLOW);
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP' || code === 'ENOTDIR') throw new TreeChangedError(rel || '/');
    throw err;
  }
  let real: string;
  try {
    real = fs.readlinkSync(`/proc/self/fd/${fd}`);
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
  if (real !== abs) {
    fs.closeSync(fd);
    if (real.endsWith(' (deleted)')) return undefined;
    throw new TreeChangedError(rel || '/');
  }
  return fd;
}

/**
 * Every entry under root (a realpath), depth first in byte order of names (deterministic, as docker
 * walks), never leaving root through a symlink.
 */
export function walkTree(root: string, exclude: ReadonlySet<string> = new Set()): TreeEntry[] {
  const out: TreeEntry[] = [];
  const visit = (rel: string) => {
    const fd = openVerified(root, rel, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
    if (fd === undefined) return;
    let names: string[];
    try {
      names = fs.readdirSync(`/proc/self/fd/${fd}`);
    } finally {
      fs.closeSync(fd);
    }
    names.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    for (const name of names) {
      const childRel = rel === '' ? name : `${rel}/${name}`;
      let st: fs.Stats;
      try {
        st = fs.lstatSync(path.join(root, childRel));
      } catch (err) {
        if (errnoCode(err) === 'ENOENT') continue;
        throw err;
      }
      out.push({ rel: childRel, st });
      if (st.isDirectory() && !exclude.has(childRel)) visit(childRel);
    }
  };
  visit('');
  return out;
}

export const isWhiteout = (st: fs.Stats) => st.isCharacterDevice() && st.rdev === 0;

function typeOf(st: fs.Stats): TarType | undefined {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isFIFO()) return 'fifo';
  if (st.isCharacterDevice()) return 'char';
  if (st.isBlockDevice()) return 'block';
  return undefined; // sockets: docker leaves them out too
}

/** Reads exactly `size` bytes of fd in chunks (zero-filled if the file shrank meanwhile). */
function* payload(fd: number, size: number, signal: AbortSignal | undefined): Generator<Buffer> {
  let left = size;
  while (left > 0) {
    if (signal?.aborted) throw new CtuiError('cancelled');
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, left));
    let got = 0;
    while (got < buf.length) {
      const n = fs.readSync(fd, buf, got, buf.length - got, null);
      if (n === 0) break;
      got += n;
    }
    if (got < buf.length) buf.fill(0, got);
    left -= buf.length;
    yield buf;
  }
}

function* entries(root: string, o: PackOptions): Generator<Buffer> {
  const list = o.entries ?? walkTree(root, o.exclude);
  const xattrs = listXattrs(root, list.map((e) => e.rel));
  const linked = new Map<string, string>(); // dev:ino -> first name, for hard links
  for (const { rel, st } of list) {
    if (o.signal?.aborted) throw new CtuiError('cancelled');
    if (o.skip?.(rel, st)) continue;
    const base = path.posix.basename(rel);
    const dir = path.posix.dirname(rel);
    const prefix = dir === '.' ? '' : `${dir}/`;
    const attrs = new Map([...(xattrs.get(rel) ?? [])].filter(([k]) => !k.startsWith('trusted.overlay.') && !k.startsWith('user.overlay.')));
    const common = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: Math.floor(st.mtimeMs / 1000) };
    if (o.mode === 'layer' && isWhiteout(st)) {
      // A deleted entry: OCI's whiteout file (docker writes it as an empty regular file).
      yield encodeHeader({ name: `${prefix}.wh.${base}`, type: 'file', size: 0, ...common, mode: 0, uid: 0, gid: 0 });
      continue;
    }
    const type = typeOf(st);
    if (!type || (o.mode === 'layer' && (type === 'char' || type === 'block'))) {
      o.onSkip?.(rel, type ? 'device nodes cannot go into a layer' : 'sockets cannot go into an archive');
      continue;
    }
    if (type === 'directory') {
      yield encodeHeader({ name: `${rel}/`, type, size: 0, ...common, xattrs: attrs });
      if (o.mode === 'layer' && xattrs.get(rel)?.get(OPAQUE_XATTR)?.toString() === 'y') {
        // Opaque: what lower layers had below this directory is hidden, as overlayfs's xattr says.
        yield encodeHeader({ name: `${rel}/.wh..wh..opq`, type: 'file', size: 0, ...common });
      }
      continue;
    }
    if (type === 'symlink') {
      let target: string;
      try {
        target = fs.readlinkSync(path.join(root, rel));
      } catch (err) {
        if (errnoCode(err) === 'ENOENT') continue;
        // EINVAL: no longer a symlink (the container replaced it since we looked).
        if (errnoCode(err) === 'EINVAL') throw new TreeChangedError(rel);
        throw err;
      }
      yield encodeHeader({ name: rel, type, size: 0, linkname: target, ...common, xattrs: attrs });
      continue;
    }
    if (type === 'file' && st.nlink > 1) {
      const key = `${st.dev}:${st.ino}`;
      const first = linked.get(key);
      if (first !== undefined) {
        yield encodeHeader({ name: rel, type: 'link', size: 0, linkname: first, ...common });
        continue;
      }
      linked.set(key, rel);
    }
    if (type !== 'file') {
      const dev = { devmajor: (st.rdev >> 8) & 0xfff, devminor: (st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00) };
      yield encodeHeader({ name: rel, type, size: 0, ...common, ...dev, xattrs: attrs });
      continue;
    }
    const fd = openVerified(root, rel, fs.constants.O_RDONLY);
    if (fd === undefined) continue;
    try {
      const fst = fs.fstatSync(fd);
      if (!fst.isFile()) throw new TreeChangedError(rel);
      yield encodeHeader({ name: rel, type, size: fst.size, ...common, mode: fst.mode & 0o7777, xattrs: attrs });
      yield* payload(fd, fst.size, o.signal);
      const pad = padding(fst.size);
      if (pad.length) yield pad;
    } finally {
      fs.closeSync(fd);
    }
  }
  yield END_OF_ARCHIVE;
}

/**
 * The reads are synchronous and a synchronous consumer (the layer extractor) keeps the stream going
 * in microtasks: without a turn of the event loop now and then, a big commit would freeze the TUI
 * and an esc (the abort signal) would only be seen at the end.
 */
async function* breathing(gen: Generator<Buffer>): AsyncGenerator<Buffer> {
  let bytes = 0;
  let pieces = 0;
  for (const b of gen) {
    yield b;
    bytes += b.length;
    if (++pieces >= 256 || bytes >= 4 * 1024 * 1024) {
      bytes = pieces = 0;
      await new Promise((r) => setImmediate(r));
    }
  }
}

/** The tree under root as a tar stream. root must be an absolute, symlink-free path (realpath). */
export function packTree(root: string, o: PackOptions): Readable {
  const real = fs.realpathSync(root);
  return Readable.from(breathing(entries(real, o)), { objectMode: false, highWaterMark: 4 * CHUNK });
}
