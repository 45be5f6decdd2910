import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { CtuiError, errnoCode } from '../errors.js';
import { END_OF_ARCHIVE, encodeHeader, padding } from './tarheader.js';
import { makeFifo } from '../util/fs.js';

/**
 * docker cp's archive rules (moby pkg/archive/copy.go), shared by both directions of `ctui cp`:
 * how a path names "the thing itself" or "its contents" (`dir/.`), how the archive's top entry is
 * renamed to the destination's name, which destination directory the archive goes into, and the
 * checks every entry passes before anything is written (CopyChecker). The host side is here too:
 * packing a host path (packHostPath) and unpacking into a host directory (extractToHost).
 */

export const ErrNotDirectory = 'not a directory';
export const ErrDirNotExists = 'no such directory';
export const ErrCannotCopyDir = 'cannot copy directory';

/** docker's specifiesCurrentDir: the path's last element is ".". */
export function specifiesCurrentDir(p: string): boolean {
  return p === '.' || p.endsWith('/.');
}

export function hasTrailingSeparator(p: string): boolean {
  return p.length > 0 && p.endsWith('/');
}

/** docker's SplitPathDirEntry: "a/b/." -> ["a/b", "."], "a/b/" -> ["a", "b"]. */
export function splitPathDirEntry(p: string): [string, string] {
  let cleaned = path.posix.normalize(p === '' ? '.' : p).replace(/(.)\/+$/, '$1');
  if (specifiesCurrentDir(p)) cleaned = cleaned === '/' ? '/.' : `${cleaned}/.`;
  return [path.posix.dirname(cleaned), path.posix.basename(cleaned) || '/'];
}

/** Where a copy's archive is extracted and how its top entry is renamed (PrepareArchiveCopy). */
export interface CopyPlan {
  readonly dir: string;
  /** Rename the archive's top entry from..to (undefined: extract as it is). */
  readonly rebase?: { readonly from: string; readonly to: string };
}

export interface CopySource {
  readonly path: string;
  readonly isDir: boolean;
  /** The name the archive's top entry takes (a followed symlink keeps the name that was asked for). */
  readonly rebaseName?: string;
}

export interface CopyDestination {
  readonly path: string;
  readonly exists: boolean;
  readonly isDir: boolean;
}

export function prepareArchiveCopy(src: CopySource, dst: CopyDestination): CopyPlan {
  const [dstDir, dstBase] = splitPathDirEntry(dst.path);
  let [, srcBase] = splitPathDirEntry(src.path);
  if (dst.exists && dst.isDir) return { dir: dst.path };
  if (dst.exists && src.isDir) throw new CtuiError(ErrCannotCopyDir, 1);
  if (src.rebaseName) srcBase = src.rebaseName;
  if (!dst.exists && !src.isDir && (hasTrailingSeparator(dst.path) || specifiesCurrentDir(dst.path))) {
    throw new CtuiError(ErrDirNotExists, 1);
  }
  return { dir: dstDir, rebase: { from: srcBase, to: dstBase } };
}

/** docker's RebaseArchiveEntries on one name: the top entry `from` (and what is below it) becomes `to`. */
export function rebaseName(name: string, rebase: CopyPlan['rebase']): string {
  if (!rebase) return name;
  // The root directory's entries all start with "/": only the separator-less rest is renamed.
  const from = rebase.from === '/' ? '' : rebase.from;
  return name.startsWith(from) ? rebase.to + name.slice(from.length) : name;
}

/** docker's GetRebaseName: after following a symlink, keep the name (and trailing "/." or "/") asked for. */
export function getRebaseName(asked: string, resolved: string): [string, string | undefined] {
  let r = resolved;
  if (specifiesCurrentDir(asked) && !specifiesCurrentDir(r)) r += '/.';
  if (hasTrailingSeparator(asked) && !hasTrailingSeparator(r)) r += '/';
  const base = (p: string) => splitPathDirEntry(p)[1];
  return [r, base(asked) !== base(r) ? base(asked) : undefined];
}

/** One entry as it goes into a container or onto the host, after CopyChecker. */
export interface CopyEntry {
  readonly type: 'f' | 'd' | 'l' | 'h' | 'c' | 'b' | 'p';
  /** Relative to the extraction directory, no "..", no leading "/", "." for the directory itself. */
  readonly rel: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly mtime: number;
  /** Symlink target (as is), or for a hard link the earlier entry's rel. */
  readonly link: string;
  readonly devmajor: number;
  readonly devminor: number;
  readonly size: number;
}

const TYPES: Record<string, CopyEntry['type']> = {
  file: 'f', 'contiguous-file': 'f', directory: 'd', symlink: 'l', link: 'h', 'character-device': 'c', 'block-device': 'b', fifo: 'p',
};

/**
 * The checks every archive entry passes before `ctui cp` writes it, into a container or onto the
 * host. The archive may come from anybody (stdin) or from a hostile container (its names and link
 * targets are the container's), so:
 *  - a `..` component is refused ("is outside of"): it names something outside the destination.
 *    A leading "/" is dropped, as docker does (`ctui cp c:/ -` itself writes "/bin/..."): the
 *    name stays below the destination;
 *  - nothing is written beneath a symlink that this archive created: the classic "symlink, then a
 *    file through it" pair (l -> /, then l/etc/shadow) is refused whatever the link points at;
 *  - a hard link must name an earlier non-directory entry of this archive, never some other file;
 *  - NUL bytes and entry types beyond files, dirs, links, devices and fifos are refused.
 * What the container side then does with an entry (resolution inside the container's root, no
 * following of the last component) is in src/native/runtime/cpcmd.c.
 */
export class CopyChecker {
  private readonly symlinks = new Set<string>();
  private readonly files = new Set<string>();

  constructor(
    private readonly dest: string,
    private readonly rebase?: CopyPlan['rebase'],
  ) {}

  check(h: tar.Headers): CopyEntry | undefined {
    const name = rebaseName(h.name, this.rebase);
    const rel = this.relOf(name);
    const type = TYPES[h.type ?? 'file'];
    if (!type) {
      if (h.type === 'pax-global-header') return undefined;
      throw new CtuiError(`archive entry ${h.name}: unsupported type ${h.type}`, 1);
    }
    this.checkBeneath(rel, h.name);
    let link = h.linkname ?? '';
    if (link.includes('\0')) throw new CtuiError(`archive entry ${h.name}: NUL byte in its link`, 1);
    if (type === 'h') {
      const target = this.relOf(rebaseName(link, this.rebase));
      if (!this.files.has(target)) throw new CtuiError(`archive entry ${h.name} links to ${link}, which is not an earlier entry of the archive`, 1);
      link = target;
    }
    // Later entries see this one as what it is now (a symlink replaced by a directory is a directory).
    if (type === 'l') this.symlinks.add(rel);
    else this.symlinks.delete(rel);
    if (type !== 'd') this.files.add(rel);
    else this.files.delete(rel);
    return {
      type,
      rel,
      mode: (h.mode ?? 0o644) & 0o7777,
      uid: h.uid ?? 0,
      gid: h.gid ?? 0,
      mtime: Math.floor((h.mtime?.getTime() ?? 0) / 1000),
      link,
      devmajor: h.devmajor ?? 0,
      devminor: h.devminor ?? 0,
      size: type === 'f' ? h.size ?? 0 : 0,
    };
  }

  private relOf(name: string): string {
    if (name.includes('\0')) throw new CtuiError(`archive entry ${JSON.stringify(name)}: NUL byte in its name`, 1);
    const parts: string[] = [];
    for (const p of name.split('/')) {
      if (p === '' || p === '.') continue;
      if (p === '..') throw new CtuiError(`"${name}" is outside of "${this.dest}"`, 1);
      parts.push(p);
    }
    return parts.length ? parts.join('/') : '.';
  }

  private checkBeneath(rel: string, name: string): void {
    if (this.symlinks.size === 0) return;
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      if (this.symlinks.has(prefix)) throw new CtuiError(`archive entry ${name} would be written through the symlink ${prefix} that the archive created`, 1);
    }
  }
}

/** The entries of a tar stream, each checked, with its payload (files only; others are drained). */
export async function* checkedEntries(input: Readable, checker: CopyChecker): AsyncGenerator<{ entry: CopyEntry; body: AsyncIterable<Buffer> }> {
  const extract = tar.extract();
  input.on('error', (err) => extract.destroy(err));
  input.pipe(extract);
  try {
    for await (const e of extract) {
      const entry = checker.check(e.header);
      if (!entry) {
        e.resume();
        continue;
      }
      if (entry.type !== 'f') e.resume();
      yield { entry, body: e as AsyncIterable<Buffer> };
    }
  } catch (err) {
    // The layer extractor's words for a truncated or corrupt tar (loaded only then: it is large).
    throw (await import('./extract.js')).translateTarError(err);
  } finally {
    // Whoever stopped early (a refused entry, the helper's error), the producer stops too.
    extract.destroy();
    if (input === process.stdin) input.unpipe(extract);
    else input.destroy();
  }
}

// ---------------------------------------------------------------- the host side

/** docker's CopyInfoDestinationPath for a host path: symlinks at the end followed (up to 10), the parent must exist. */
export function hostDestination(p: string): CopyDestination {
  const original = p;
  let cur = p;
  for (let n = 0; ; n++) {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(cur);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw err;
      const [parent] = splitPathDirEntry(cur);
      let ps: fs.Stats;
      try {
        ps = fs.statSync(parent);
      } catch (e) {
        throw new CtuiError(`stat ${parent}: ${errnoCode(e) === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`, 1);
      }
      if (!ps.isDirectory()) throw new CtuiError(ErrNotDirectory, 1);
      return { path: cur, exists: false, isDir: false };
    }
    if (!st.isSymbolicLink()) return { path: cur, exists: true, isDir: st.isDirectory() };
    if (n >= 10) throw new CtuiError(`too many symlinks in ${original}`, 1);
    const target = fs.readlinkSync(cur);
    cur = target.startsWith('/') ? target : path.join(splitPathDirEntry(cur)[0], target);
  }
}

/** docker's CopyInfoSourcePath for a host path (with -L the last component is followed too). */
export function hostSource(p: string, followLink: boolean): CopySource {
  let resolved: string;
  let rebase: string | undefined;
  try {
    if (followLink) {
      [resolved, rebase] = getRebaseName(p, fs.realpathSync(p));
    } else {
      const slash = p.lastIndexOf('/');
      const dir = slash >= 0 ? p.slice(0, slash + 1) : './';
      const base = p.slice(slash + 1);
      resolved = `${fs.realpathSync(dir).replace(/\/$/, '')}/${base}`;
      if (hasTrailingSeparator(p) && path.basename(p) !== path.basename(resolved)) rebase = path.basename(p);
    }
    const st = fs.lstatSync(resolved);
    return { path: resolved, isDir: st.isDirectory(), ...(rebase ? { rebaseName: rebase } : {}) };
  } catch (err) {
    if (err instanceof CtuiError) throw err;
    if (errnoCode(err) === 'ENOENT') throw new CtuiError(`lstat ${p}: no such file or directory`, 1);
    if (errnoCode(err) === 'ENOTDIR') throw new CtuiError(`lstat ${p}: not a directory`, 1);
    throw err;
  }
}

/**
 * A tar of a host path as docker's TarResourceRebase makes it: the entry itself named by its base
 * (or "." for "dir/."), renamed to rebaseName, its tree below in name order; hard links within it
 * kept. Host files are the user's own: read as they are (sockets left out, as tar does). Headers
 * come from the project's own writer (tarheader.ts) and payloads in 1 MiB reads, with no stream
 * machinery per entry (tar-stream's pack cost ~1.7 s per 100 MB here).
 */
export function packHostPath(src: CopySource): Readable {
  const [dir, base] = splitPathDirEntry(src.path);
  const top = src.rebaseName ?? base;
  const seen = new Map<string, string>();
  async function* walk(abs: string, name: string): AsyncGenerator<Buffer> {
    const st = fs.lstatSync(abs);
    const h = { name, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, size: 0, mtime: Math.floor(st.mtimeMs / 1000) };
    if (st.isDirectory()) {
      yield encodeHeader({ ...h, type: 'directory' });
      const prefix = name.endsWith('/') ? name : `${name}/`;
      for (const child of fs.readdirSync(abs).sort()) yield* walk(path.join(abs, child), prefix + child);
    } else if (st.isSymbolicLink()) {
      yield encodeHeader({ ...h, type: 'symlink', linkname: fs.readlinkSync(abs) });
    } else if (st.isFile()) {
      const key = `${st.dev}:${st.ino}`;
      const first = st.nlink > 1 ? seen.get(key) : undefined;
      if (first !== undefined) {
        yield encodeHeader({ ...h, type: 'link', linkname: first });
        return;
      }
      if (st.nlink > 1) seen.set(key, name);
      const fd = fs.openSync(abs, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
      try {
        const size = fs.fstatSync(fd).size;
        yield encodeHeader({ ...h, type: 'file', size });
        // Exactly the size in the header, whatever the file does meanwhile: zeros if it shrank.
        for (let done = 0; done < size; ) {
          const buf = Buffer.allocUnsafe(Math.min(CHUNK, size - done));
          const n = fs.readSync(fd, buf, 0, buf.length, done);
          if (n === 0) {
            yield Buffer.alloc(size - done);
            break;
          }
          done += n;
          yield n === buf.length ? buf : buf.subarray(0, n);
        }
        yield padding(size);
      } finally {
        fs.closeSync(fd);
      }
    } else if (st.isFIFO() || st.isCharacterDevice() || st.isBlockDevice()) {
      const type = st.isFIFO() ? 'fifo' : st.isCharacterDevice() ? 'char' : 'block';
      yield encodeHeader({ ...h, type, devmajor: Math.floor(st.rdev / 256) & 0xfff, devminor: (st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00) });
    }
  }
  async function* all(): AsyncGenerator<Buffer> {
    yield* walk(base === '.' ? dir : src.path, top);
    yield END_OF_ARCHIVE;
  }
  return Readable.from(all(), { objectMode: false, highWaterMark: CHUNK });
}

const CHUNK = 1 << 20;

export interface HostExtractOptions {
  /** -a: the archive's owners (lchown); otherwise the files are the caller's and lose setuid/setgid. */
  readonly keepOwner: boolean;
  /** A device node in the archive: left out (reported by the caller). */
  readonly onSkip: (rel: string) => void;
}

/**
 * Unpacks a container's archive into a host directory (docker's CopyTo + Untar). The names and
 * link targets are the container's, so every entry passes CopyChecker, every parent must be a real
 * directory (lstat: never a symlink, not even one that was there before), and files are written
 * under a temporary name and renamed into place when complete: a failed copy leaves no partial
 * file. A new top-level directory is built under a temporary name too and renamed at the end.
 * Device nodes are not made (a container could otherwise plant a world-writable /dev/mem on the
 * host); without -a files become the caller's and lose setuid/setgid bits, as cp(1) does.
 */
export async function extractToHost(input: Readable, plan: CopyPlan, opts: HostExtractOptions): Promise<void> {
  const checker = new CopyChecker(plan.dir, plan.rebase);
  const dirTimes: Array<[string, number]> = [];
  const tmpTop = new Map<string, string>();
  const suffix = `.ctui-cp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const made = new Set<string>();
  const hostPath = (rel: string): string => {
    const [first, ...rest] = rel.split('/');
    return path.join(plan.dir, tmpTop.get(first!) ?? first!, ...rest);
  };
  const ensureParents = (rel: string): void => {
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      const sub = parts.slice(0, i).join('/');
      if (made.has(sub)) continue;
      const p = hostPath(sub);
      let st: fs.Stats | undefined;
      try {
        st = fs.lstatSync(p);
      } catch (err) {
        if (errnoCode(err) !== 'ENOENT') throw err;
      }
      if (!st) fs.mkdirSync(p, { mode: 0o755 });
      else if (!st.isDirectory()) throw new CtuiError(`${p}: not a directory`, 1);
      made.add(sub);
    }
  };
  try {
    for await (const { entry, body } of checkedEntries(input, checker)) {
      if (entry.rel === '.') continue; // the destination itself
      const first = entry.rel.split('/')[0]!;
      if (!made.has(first) && !tmpTop.has(first) && !fs.existsSync(path.join(plan.dir, first)) && entry.type === 'd' && entry.rel === first) {
        tmpTop.set(first, `.${first}${suffix}`);
      }
      ensureParents(entry.rel);
      const p = hostPath(entry.rel);
      let old: fs.Stats | undefined;
      try {
        old = fs.lstatSync(p);
      } catch (err) {
        if (errnoCode(err) !== 'ENOENT') throw err;
      }
      if (old?.isDirectory() && entry.type !== 'd') throw new CtuiError(`cannot overwrite directory "${p}" with non-directory "${plan.dir}"`, 1);
      if (old && !old.isDirectory() && entry.type === 'd') throw new CtuiError(`cannot overwrite non-directory "${p}" with directory "${plan.dir}"`, 1);
      const mode = opts.keepOwner ? entry.mode : entry.mode & 0o1777;
      const owner = (q: string) => {
        if (opts.keepOwner) fs.lchownSync(q, entry.uid, entry.gid);
      };
      switch (entry.type) {
        case 'd':
          if (!old) fs.mkdirSync(p, { mode: 0o700 });
          owner(p);
          fs.chmodSync(p, mode);
          made.add(entry.rel);
          dirTimes.push([p, entry.mtime]);
          break;
        case 'f': {
          const tmp = `${path.dirname(p)}/.${path.basename(p)}${suffix}`;
          const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
          try {
            for await (const chunk of body) fs.writeSync(fd, chunk);
            if (opts.keepOwner) fs.fchownSync(fd, entry.uid, entry.gid);
            fs.fchmodSync(fd, mode);
            fs.futimesSync(fd, entry.mtime, entry.mtime);
          } catch (err) {
            fs.closeSync(fd);
            fs.rmSync(tmp, { force: true });
            throw err;
          }
          fs.closeSync(fd);
          fs.renameSync(tmp, p);
          break;
        }
        case 'l':
          if (old) fs.rmSync(p, { force: true });
          fs.symlinkSync(entry.link, p);
          owner(p);
          break;
        case 'h':
          if (old) fs.rmSync(p, { force: true });
          fs.linkSync(hostPath(entry.link), p);
          break;
        case 'p':
          if (old) fs.rmSync(p, { force: true });
          const failed = makeFifo(p, mode);
          if (failed) throw new CtuiError(`mkfifo ${p}: ${failed}`, 1);
          owner(p);
          break;
        default:
          opts.onSkip(entry.rel);
      }
    }
    for (const [p, t] of dirTimes.reverse()) fs.utimesSync(p, t, t);
    for (const [first, tmp] of tmpTop) fs.renameSync(path.join(plan.dir, tmp), path.join(plan.dir, first));
  } catch (err) {
    for (const tmp of tmpTop.values()) fs.rmSync(path.join(plan.dir, tmp), { recursive: true, force: true });
    throw err;
  }
}

