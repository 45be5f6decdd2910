import * as fs from 'node:fs';
import * as path from 'node:path';
import { NotFoundError, errnoCode } from '../errors.js';
import { runtimeMountPoints } from './bundle.js';
import type { ContainerRecord } from './model.js';
import { listXattrs } from '../helper/native.js';
import { isWhiteout, walkTree, type TreeEntry } from '../archive/pack.js';
import type { Store } from '../store/store.js';

/** docker's change kinds (the Engine API numbers them so). */
export const enum ChangeKind {
  Modified = 0,
  Added = 1,
  Deleted = 2,
}

export interface Change {
  /** Absolute in the container ("/etc/passwd"). */
  readonly Path: string;
  readonly Kind: ChangeKind;
}

export interface ChangeSummary {
  readonly changes: Change[];
  readonly added: number;
  readonly changed: number;
  readonly deleted: number;
  /** Bytes of regular files in the writable layer: what a commit adds. */
  readonly size: number;
}

/** The image's layer directories, top first. */
export function lowerDirsOf(store: Store, r: ContainerRecord | undefined): string[] {
  const image = r ? store.images.get(r.Image) : undefined;
  return image ? [...image.config.rootfs.diff_ids].reverse().map((d) => store.layout.layerDiff(d.replace(/^sha256:/, ''))) : [];
}

/**
 * What the runtime created in the writable layer only to mount something on (/etc/hosts,
 * /etc/hostname, /etc/resolv.conf, volume and bind destinations): an empty file or directory the image
 * does not have, and the directories copied up only to hold them. docker keeps these in a separate
 * init layer; ctui leaves them out of diff and commit, so a fresh container shows no changes and a
 * commit carries none of them. Returns the relative paths to leave out.
 */
export function mountPointDebris(r: ContainerRecord, upper: string, entries: readonly TreeEntry[], lowers: readonly string[]): Set<string> {
  const points = new Set(runtimeMountPoints(r));
  const out = new Set<string>();
  const children = new Map<string, string[]>();
  for (const e of entries) {
    const parent = path.posix.dirname(e.rel);
    const list = children.get(parent);
    if (list) list.push(e.rel);
    else children.set(parent, [e.rel]);
  }
  for (const e of entries) {
    if (!points.has(e.rel)) continue;
    const empty = e.st.isFile() ? e.st.size === 0 : e.st.isDirectory() && fs.readdirSync(path.join(upper, e.rel)).length === 0;
    if (empty && inLowers(lowers, e.rel) === undefined) out.add(e.rel);
  }
  // Deepest first: a directory goes when all it holds goes and it is the image's own, unchanged.
  for (const e of [...entries].reverse()) {
    if (!e.st.isDirectory() || out.has(e.rel)) continue;
    const kids = children.get(e.rel) ?? [];
    if (kids.length === 0 || !kids.every((k) => out.has(k))) continue;
    const below = inLowers(lowers, e.rel);
    if (below?.isDirectory() && below.mode === e.st.mode && below.uid === e.st.uid && below.gid === e.st.gid) out.add(e.rel);
  }
  return out;
}

/** Looks a path up in the image's layers (top first), as overlayfs would: a whiteout hides it. */
export function inLowers(layerDirs: readonly string[], rel: string): fs.Stats | undefined {
  for (const dir of layerDirs) {
    const parts = rel.split('/');
    // A whiteout of an ancestor in this layer hides everything below it, whatever older layers hold.
    for (let i = 1; i < parts.length; i++) {
      try {
        if (isWhiteout(fs.lstatSync(path.join(dir, ...parts.slice(0, i))))) return undefined;
      } catch {
        break;
      }
    }
    try {
      const st = fs.lstatSync(path.join(dir, rel));
      return isWhiteout(st) ? undefined : st;
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT' && errnoCode(err) !== 'ENOTDIR') throw err;
    }
  }
  return undefined;
}

/**
 * What changed in a container's writable layer compared with its image, as `docker diff` reports it:
 * a whiteout is a deletion; an opaque directory that existed below is a deletion (its old contents
 * are gone) whose new contents show as additions; an entry present below is a modification, except a
 * directory whose mode, size and mtime are unchanged, which is only listed as the parent of a change.
 */
export function containerChanges(store: Store, id: string): ChangeSummary {
  const rec = store.containers.get(id)?.record;
  if (!rec) throw new NotFoundError(`No such container: ${id}`);
  const lowers = lowerDirsOf(store, rec);
  const upper = fs.realpathSync(store.layout.containerUpper(id));
  const all = walkTree(upper);
  const debris = mountPointDebris(rec, upper, all, lowers);
  const entries = all.filter((e) => !debris.has(e.rel));
  const dirs = entries.filter((e) => e.st.isDirectory()).map((e) => e.rel);
  const xattrs = listXattrs(upper, dirs);
  const byPath = new Map<string, ChangeKind>();
  let size = 0;
  const record = (rel: string, kind: ChangeKind) => {
    byPath.set(rel, kind);
    const parent = path.posix.dirname(rel);
    if (parent !== '.' && !byPath.has(parent)) byPath.set(parent, ChangeKind.Modified);
  };
  for (const { rel, st } of entries) {
    if (st.isFile()) size += st.size;
    if (isWhiteout(st)) {
      if (inLowers(lowers, rel)) record(rel, ChangeKind.Deleted);
      continue;
    }
    const below = inLowers(lowers, rel);
    if (st.isDirectory()) {
      if (below?.isDirectory() && xattrs.get(rel)?.get('trusted.overlay.opaque')?.toString() === 'y') {
        record(rel, ChangeKind.Deleted);
        continue;
      }
      if (below?.isDirectory() && below.mode === st.mode && below.size === st.size && Math.floor(below.mtimeMs / 1000) === Math.floor(st.mtimeMs / 1000)) {
        continue; // copied up only because something below it changed
      }
    }
    record(rel, below ? ChangeKind.Modified : ChangeKind.Added);
  }
  const changes = [...byPath].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([rel, Kind]) => ({ Path: `/${rel}`, Kind }));
  const count = (k: ChangeKind) => changes.filter((c) => c.Kind === k).length;
  return { changes, added: count(ChangeKind.Added), changed: count(ChangeKind.Modified), deleted: count(ChangeKind.Deleted), size };
}
