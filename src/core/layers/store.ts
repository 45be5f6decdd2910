import * as fs from 'node:fs';
import * as path from 'node:path';
import { CtuiError, errnoCode } from '../errors.js';
import type { Layout } from '../store/layout.js';
import { readDirSafe, readJsonSync, removeTreeSync, writeJsonAtomicSync } from '../util/fs.js';

export interface LayerMeta {
  /** sha256:<hex> of the uncompressed tar. */
  readonly diffId: string;
  readonly size: number;
  readonly created: string;
  /** Short name under l/ used in overlay mount options. */
  readonly short: string;
}

export function hexOf(digest: string): string {
  return digest.startsWith('sha256:') ? digest.slice(7) : digest;
}

/** 16 hex chars: unique enough among one host's layers, and short enough for ~200 lowerdirs in a page. */
export function shortName(diffId: string): string {
  return hexOf(diffId).slice(0, 16);
}

/**
 * Unpacked layers, each stored once whatever number of images share it. A layer directory only ever
 * appears by rename of a complete staging directory, so a present layer.json means a complete layer.
 */
export class LayerStore {
  constructor(private readonly layout: Layout) {}

  get(diffId: string): LayerMeta | undefined {
    return readJsonSync<LayerMeta>(this.layout.layerMeta(hexOf(diffId)));
  }

  has(diffId: string): boolean {
    return this.get(diffId) !== undefined;
  }

  list(): LayerMeta[] {
    const out: LayerMeta[] = [];
    for (const hex of readDirSafe(this.layout.layersDir)) {
      const m = readJsonSync<LayerMeta>(this.layout.layerMeta(hex));
      if (m) out.push(m);
    }
    return out;
  }

  /**
   * Moves a staged, verified layer into place. The caller holds the store lock. When the layer is
   * already there (another import won the race, or an image shares it) the staged copy is dropped.
   * `staged` is a directory holding `diff/`.
   */
  commitStaged(staged: string, diffId: string, size: number): LayerMeta {
    const existing = this.get(diffId);
    if (existing) {
      removeTreeSync(staged);
      this.ensureLink(existing);
      return existing;
    }
    const meta: LayerMeta = { diffId, size, created: new Date().toISOString(), short: shortName(diffId) };
    writeJsonAtomicSync(path.join(staged, 'layer.json'), meta);
    const dest = this.layout.layerDir(hexOf(diffId));
    // A directory without layer.json is debris of a crash: replace it.
    removeTreeSync(dest);
    fs.mkdirSync(this.layout.layersDir, { recursive: true, mode: 0o700 });
    fs.renameSync(staged, dest);
    this.ensureLink(meta);
    return meta;
  }

  private ensureLink(meta: LayerMeta): void {
    fs.mkdirSync(this.layout.linksDir, { recursive: true, mode: 0o700 });
    const link = this.layout.link(meta.short);
    const target = path.join('..', 'layers', hexOf(meta.diffId), 'diff');
    try {
      if (fs.readlinkSync(link) === target) return;
      fs.unlinkSync(link);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT' && errnoCode(err) !== 'EINVAL') throw err;
    }
    try {
      fs.symlinkSync(target, link);
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw err;
      if (fs.readlinkSync(link) !== target) throw new CtuiError(`layer short name collision: ${meta.short}`);
    }
  }

  /** Removes a layer; the caller holds the lock and knows no image or container uses it. */
  remove(diffId: string): void {
    const meta = this.get(diffId);
    const dir = this.layout.layerDir(hexOf(diffId));
    // Remove layer.json first: a crash half way leaves an incomplete dir that repair sweeps.
    fs.rmSync(this.layout.layerMeta(hexOf(diffId)), { force: true });
    if (meta) fs.rmSync(this.layout.link(meta.short), { force: true });
    removeTreeSync(dir);
  }

  /** lowerdir entries (relative to the store root), top-most layer first. */
  lowerDirs(diffIds: readonly string[]): string[] {
    return [...diffIds].reverse().map((d) => {
      const meta = this.get(d);
      if (!meta) throw new CtuiError(`layer ${d} is missing from the store`);
      return path.join('l', meta.short);
    });
  }

  /** Directories under layers/ that are not complete layers (crash debris). */
  incomplete(): string[] {
    return readDirSafe(this.layout.layersDir).filter((hex) => !fs.existsSync(this.layout.layerMeta(hex)));
  }
}
