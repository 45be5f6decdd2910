import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import { CtuiError, errnoCode } from '../errors.js';
import { FsOps } from '../helper/native.js';
import { HostileArchiveError } from './hostile.js';
import { TAR_SPLIT_FILE, TAR_SPLIT_SHADOW_DIR, TarSplitWriter } from './tarsplit.js';
import { TarWalker, type WalkedEntry } from './tarwalker.js';
import { makeFifo } from '../util/fs.js';

export { HostileArchiveError } from './hostile.js';

/**
 * Unpacks one untrusted layer tar into a fresh directory, converting OCI whiteouts to overlay form.
 *
 * Every path is confined to the layer root. These are the classic extraction CVEs (docker cp
 * CVE-2018-15664/CVE-2019-14271, podman CVE-2019-10152, containerd CVE-2021-32760 ...), so a hostile
 * entry fails the whole import instead of being "fixed up":
 *  - absolute names and `..` components are refused (they name something outside the layer);
 *  - every parent directory is checked with lstat and must be a real directory: a symlink planted by
 *    an earlier entry is never followed (the "symlink, then a file through it" attack);
 *  - new files are created with O_EXCL|O_NOFOLLOW (O_CREAT|O_EXCL never follows a final symlink);
 *  - relative symlink targets that climb above the layer root are refused; absolute ones are fine, they
 *    resolve inside the container's root;
 *  - hard links may only name a file already unpacked into this layer;
 *  - device nodes are refused (an image has no business shipping /dev/sda); fifos are allowed;
 *  - trusted.overlay.* xattrs from the archive are dropped, they would steer overlayfs itself.
 * The directory is a private staging dir (root-owned, mode 0700) that nothing else writes to while we work.
 *
 * While it unpacks, the tar's raw structure is recorded beside the directory (tar-split.bin, see
 * tarsplit.ts) so that layers/tarstream.ts can re-emit the exact tar later (save, push).
 */

export interface ExtractResult {
  /** sha256 of the uncompressed tar stream: the layer's diff_id. */
  readonly diffId: string;
  /** Sum of regular file sizes (docker's notion of layer size, close enough for SIZE columns). */
  readonly size: number;
  readonly entries: number;
}

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE = '.wh..wh..opq';

/** Normalises an archive name into safe components, or throws for escapes. */
export function safeComponents(name: string): string[] {
  // "/" alone is the layer root itself (umoci writes it so): nothing outside is named.
  if (/^\/+$/.test(name)) return [];
  if (name.startsWith('/')) throw new HostileArchiveError(`archive entry has an absolute path: ${name}`);
  const parts: string[] = [];
  for (const p of name.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') throw new HostileArchiveError(`archive entry escapes the layer with '..': ${name}`);
    if (p.includes('\0')) throw new HostileArchiveError(`archive entry has a NUL byte: ${JSON.stringify(name)}`);
    parts.push(p);
  }
  return parts;
}

/** True when a relative symlink target, taken from the link's directory, climbs above the root. */
export function symlinkEscapes(linkParts: readonly string[], target: string): boolean {
  if (target.startsWith('/')) return false;
  let depth = linkParts.length - 1; // the link's directory depth
  for (const p of target.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') {
      depth--;
      if (depth < 0) return true;
    } else depth++;
  }
  return false;
}

class LayerWriter {
  readonly ops = new FsOps();
  private readonly dirMeta: Array<{ p: string; mode: number; uid: number; gid: number; mtime: Date }> = [];
  /** Files of this tar whose payload the record points at in diff/ (name in the layer -> slot). */
  private readonly live = new Map<string, number>();
  /** Directories of this layer already checked (or made) as real directories, by absolute path. */
  private readonly realDirs = new Set<string>();
  private shadowMade = false;
  size = 0;
  entries = 0;

  /** root is `<layer dir>/diff`; the record and its shadow dir live in `<layer dir>`. */
  constructor(
    private readonly root: string,
    private readonly layerDir: string,
    private readonly record: TarSplitWriter,
  ) {}

  private shadowPath(slot: number): { abs: string; rel: string } {
    if (!this.shadowMade) {
      fs.mkdirSync(path.join(this.layerDir, TAR_SPLIT_SHADOW_DIR), { mode: 0o700 });
      this.shadowMade = true;
    }
    const rel = `${TAR_SPLIT_SHADOW_DIR}/${slot}`;
    return { abs: path.join(this.layerDir, rel), rel };
  }

  /**
   * A file whose payload the record points at is about to be replaced or removed by a later entry
   * of the same tar: move it out of diff/ (a rename, no copy; the inode's bytes never change, files
   * are only ever created fresh) so that the tar can still be re-emitted.
   */
  private shadow(rel: string): void {
    const slot = this.live.get(rel);
    if (slot === undefined) return;
    const to = this.shadowPath(slot);
    fs.renameSync(path.join(this.root, rel), to.abs);
    this.record.resolve(slot, to.rel);
    this.live.delete(rel);
  }

  /** Same, for every live file below a directory about to be removed. */
  private shadowBelow(rel: string): void {
    const prefix = rel + '/';
    for (const name of [...this.live.keys()]) if (name.startsWith(prefix)) this.shadow(name);
  }

  /** The payload of a file entry that is not unpacked as a file (a whiteout with content...): keep its bytes. */
  private async keep(stream: Readable, slot: number | undefined): Promise<void> {
    if (slot === undefined) {
      stream.resume();
      return;
    }
    const to = this.shadowPath(slot);
    await writeStream(stream, to.abs);
    this.record.resolve(slot, to.rel);
  }

  /**
   * Makes sure each parent directory exists as a real directory inside the root, never following a
   * symlink. Returns the absolute path of the entry.
   */
  private prepareParents(parts: readonly string[], name: string): string {
    let cur = this.root;
    for (let i = 0; i < parts.length - 1; i++) {
      cur = path.join(cur, parts[i]!);
      // Known real directories are not checked again: only entries of this tar change this private
      // dir, and clear() forgets every directory it removes, so a symlink put in a directory's place
      // by a later entry is still caught.
      if (this.realDirs.has(cur)) continue;
      const st = fs.lstatSync(cur, { throwIfNoEntry: false });
      if (!st) fs.mkdirSync(cur, { mode: 0o755 });
      else if (st.isSymbolicLink()) throw new HostileArchiveError(`archive entry goes through a symlink: ${name}`);
      else if (!st.isDirectory()) throw new HostileArchiveError(`archive entry's parent is not a directory: ${name}`);
      this.realDirs.add(cur);
    }
    return path.join(this.root, ...parts);
  }

  /** Forgets p and everything below it as known directories (it is being removed or replaced). */
  private forgetDirs(p: string): void {
    const below = p + path.sep;
    for (const d of this.realDirs) if (d === p || d.startsWith(below)) this.realDirs.delete(d);
  }

  private clear(p: string, keepDir: boolean): void {
    const st = fs.lstatSync(p, { throwIfNoEntry: false });
    if (!st) return;
    const rel = path.relative(this.root, p);
    if (st.isDirectory()) {
      if (keepDir) return;
      this.forgetDirs(p);
      this.shadowBelow(rel);
      fs.rmSync(p, { recursive: true, force: true });
    } else if (this.live.has(rel)) this.shadow(rel);
    else fs.unlinkSync(p);
  }

  private applyOwnerMode(p: string, h: tar.Headers, symlink: boolean): void {
    const uid = h.uid ?? 0;
    const gid = h.gid ?? 0;
    fs.lchownSync(p, uid, gid);
    // chmod after chown: chown clears setuid/setgid bits.
    if (!symlink) fs.chmodSync(p, (h.mode ?? 0o644) & 0o7777);
    const mtime = h.mtime ?? new Date(0);
    fs.lutimesSync(p, mtime, mtime);
  }

  private applyXattrs(rel: string, h: tar.Headers): void {
    const pax = (h as { pax?: Record<string, string> }).pax;
    if (!pax) return;
    for (const [k, v] of Object.entries(pax)) {
      if (!k.startsWith('SCHILY.xattr.')) continue;
      const name = k.slice('SCHILY.xattr.'.length);
      if (name.startsWith('trusted.overlay.')) continue;
      this.ops.xattr(rel, name, Buffer.from(v, 'latin1'));
    }
  }

  async entry(h: tar.Headers, stream: Readable, walked: WalkedEntry): Promise<void> {
    this.entries++;
    const parts = safeComponents(h.name);
    const rel = parts.join('/');
    const base = parts[parts.length - 1] ?? '';
    if (parts.length === 0) {
      await this.keep(stream, walked.slot);
      return; // the layer root itself ("./"): nothing to create
    }
    if (base.startsWith(WHITEOUT_PREFIX)) {
      await this.keep(stream, walked.slot);
      const dirParts = parts.slice(0, -1);
      this.prepareParents([...dirParts, 'x'], h.name);
      if (base === OPAQUE) {
        this.ops.opaque(dirParts.join('/') || '.');
      } else if (base.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) {
        // aufs bookkeeping (.wh..wh.plnk, .wh..wh.aufs): meaningless for overlay, skip as docker does.
      } else {
        const target = base.slice(WHITEOUT_PREFIX.length);
        if (target === '' || target === '.' || target === '..') throw new HostileArchiveError(`bad whiteout: ${h.name}`);
        this.clear(path.join(this.root, ...dirParts, target), false);
        this.ops.whiteout([...dirParts, target].join('/'));
      }
      return;
    }
    const p = this.prepareParents(parts, h.name);
    switch (h.type) {
      case 'directory': {
        stream.resume();
        this.clear(p, true);
        if (!fs.existsSync(p)) fs.mkdirSync(p, { mode: 0o755 });
        // Modes and times of directories are set at the end: writing children changes mtime.
        this.dirMeta.push({ p, mode: (h.mode ?? 0o755) & 0o7777, uid: h.uid ?? 0, gid: h.gid ?? 0, mtime: h.mtime ?? new Date(0) });
        this.applyXattrs(rel, h);
        return;
      }
      case 'file':
      case 'contiguous-file': {
        this.clear(p, false);
        // O_EXCL: fails rather than follow anything already at p (we just cleared it).
        await writeStream(stream, p);
        if (walked.slot !== undefined) {
          this.record.resolve(walked.slot, `diff/${rel}`);
          this.live.set(rel, walked.slot);
        }
        this.size += h.size ?? 0;
        this.applyOwnerMode(p, h, false);
        this.applyXattrs(rel, h);
        return;
      }
      case 'symlink': {
        stream.resume();
        const target = h.linkname ?? '';
        if (target === '') throw new HostileArchiveError(`symlink with an empty target: ${h.name}`);
        if (symlinkEscapes(parts, target)) throw new HostileArchiveError(`symlink points out of the layer: ${h.name} -> ${target}`);
        this.clear(p, false);
        fs.symlinkSync(target, p);
        this.size += Buffer.byteLength(target);
        this.applyOwnerMode(p, h, true);
        return;
      }
      case 'link': {
        stream.resume();
        const targetParts = safeComponents(h.linkname ?? '');
        if (targetParts.length === 0) throw new HostileArchiveError(`hard link with an empty target: ${h.name}`);
        const src = this.prepareParents(targetParts, h.linkname ?? '');
        let st: fs.Stats;
        try {
          st = fs.lstatSync(src);
        } catch {
          throw new HostileArchiveError(`hard link to a file not in the layer: ${h.name} -> ${h.linkname}`);
        }
        if (st.isDirectory()) throw new HostileArchiveError(`hard link to a directory: ${h.name}`);
        if (src === p) return;
        this.clear(p, false);
        fs.linkSync(src, p);
        return;
      }
      case 'fifo': {
        stream.resume();
        this.clear(p, false);
        const failed = makeFifo(p, h.mode ?? 0o644);
        if (failed) throw new CtuiError(`cannot create fifo ${rel}: ${failed}`);
        this.applyOwnerMode(p, h, false);
        return;
      }
      case 'character-device':
      case 'block-device':
        stream.resume();
        throw new HostileArchiveError(`archive contains a device node, which layers may not carry: ${h.name}`);
      default:
        // pax headers and GNU long names are consumed by tar-stream; anything else is unknown.
        stream.resume();
        throw new HostileArchiveError(`unsupported archive entry type ${String(h.type)}: ${h.name}`);
    }
  }

  finish(): void {
    // Deepest first, so setting a parent's mtime is not undone by a child's metadata change.
    for (const d of this.dirMeta.reverse()) {
      fs.lchownSync(d.p, d.uid, d.gid);
      fs.chmodSync(d.p, d.mode);
      fs.utimesSync(d.p, d.mtime, d.mtime);
    }
  }
}

/** Writes a stream into a new file; O_EXCL|O_NOFOLLOW: never follows or reuses anything already at p. */
async function writeStream(stream: Readable, p: string): Promise<void> {
  const fd = fs.openSync(p, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
  try {
    for await (const chunk of stream) {
      let off = 0;
      const buf = chunk as Buffer;
      while (off < buf.length) off += fs.writeSync(fd, buf, off);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Hashes (sha256) and counts the bytes flowing through. */
export class DigestStream extends Transform {
  private readonly hash = createHash('sha256');
  bytes = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    this.push(chunk);
    cb();
  }
  digest(): string {
    return `sha256:${this.hash.digest('hex')}`;
  }
}

/**
 * Reads a whole uncompressed layer tar from `input` into `dir` (which must exist and be empty).
 * `dir` is a layer's `diff/` in a private staging dir: the tar-split record is written beside it
 * (`<dir>/../tar-split.bin`, see tarsplit.ts), so it moves into the store with the layer.
 */
export async function extractLayer(input: Readable, dir: string, signal?: AbortSignal): Promise<ExtractResult> {
  const layerDir = path.dirname(dir);
  const record = new TarSplitWriter(path.join(layerDir, TAR_SPLIT_FILE));
  const writer = new LayerWriter(dir, layerDir, record);
  const digest = new DigestStream();
  const walker = new TarWalker(record);
  const extract = tar.extract();
  const consume = (async () => {
    for await (const entry of extract) {
      if (signal?.aborted) throw new CtuiError('cancelled');
      // tar-stream and the walker must agree on every entry, in order (see tarwalker.ts).
      const walked = walker.next();
      if (!walked || walked.type !== (entry.header.type ?? null) || walked.size !== entry.header.size) {
        throw new HostileArchiveError(`archive is ambiguous: tar parsers disagree at entry ${writer.entries + 1} (${entry.header.name})`);
      }
      await writer.entry(entry.header, entry, walked);
    }
  })();
  try {
    await Promise.all([pipeline(input, digest, walker, extract), consume]);
    if (digest.bytes === 0) throw new CtuiError('empty archive: no data to import');
    if (walker.unclaimed > 0 || record.total !== digest.bytes) {
      throw new HostileArchiveError('archive is ambiguous: tar parsers disagree about its entries');
    }
    record.finish();
  } catch (err) {
    extract.destroy();
    record.abort();
    throw translateTarError(err);
  }
  writer.finish();
  await writer.ops.apply(dir);
  return { diffId: digest.digest(), size: writer.size, entries: writer.entries };
}

/** A tar-stream or zlib failure as one line for the user (truncated, corrupt, disk full). */
export function translateTarError(err: unknown): unknown {
  if (err instanceof CtuiError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  if (/Unexpected end of data|unexpected end/i.test(msg)) return new CtuiError('archive is truncated (unexpected end of data)');
  if (/Invalid tar header|checksum/i.test(msg)) return new CtuiError('archive is corrupt: not a valid tar stream');
  if (/incorrect header check|invalid (block|stored|distance|code)|unknown compression/i.test(msg)) {
    return new CtuiError(`archive is corrupt: ${msg}`);
  }
  if (errnoCode(err) === 'ENOSPC') return new CtuiError('no space left on device while unpacking the archive');
  if (errnoCode(err) === 'EDQUOT') return new CtuiError('disk quota exceeded while unpacking the archive');
  return err;
}
