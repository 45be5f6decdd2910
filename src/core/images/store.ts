import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConflictError, NotFoundError, errnoCode } from '../errors.js';
import { LONG_KEY_PREFIX, type Layout } from '../store/layout.js';
import { readDirSafe, readJsonSync, writeFileAtomicSync, writeJsonAtomicSync } from '../util/fs.js';
import type { ImageConfig } from './config.js';
import { familiarReference, normalizeReference } from './reference.js';

export interface ImageRecord {
  /** sha256:<hex> of the config bytes. */
  readonly id: string;
  readonly config: ImageConfig;
  /** Size of all its layers. */
  readonly size: number;
}

interface ImageMeta {
  readonly size: number;
  readonly added: string;
}

export function digestOf(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

const hex = (id: string) => (id.startsWith('sha256:') ? id.slice(7) : id);

/**
 * Images (config by digest) and tags (one file per full reference holding an image id).
 * Writers hold the store lock; readers read files that only ever change by rename.
 */
export class ImageStore {
  constructor(private readonly layout: Layout) {}

  /** Writes a config we made; the image id is the sha256 of the bytes written. Caller holds the lock. */
  put(config: ImageConfig, size: number): string {
    return this.putRaw(Buffer.from(JSON.stringify(config)), size).id;
  }

  /**
   * Writes a config exactly as given (load keeps an archive's bytes, so the image id stays the one
   * docker and podman computed). Returns the id and whether the image is new. Caller holds the lock.
   */
  putRaw(bytes: Buffer, size: number): { id: string; created: boolean } {
    const id = digestOf(bytes);
    const dir = this.layout.imageDir(hex(id));
    if (fs.existsSync(this.layout.imageConfig(hex(id)))) return { id, created: false };
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeJsonAtomicSync(this.layout.imageMeta(hex(id)), { size, added: new Date().toISOString() } satisfies ImageMeta);
    // config.json last: its presence marks a complete image.
    writeFileAtomicSync(this.layout.imageConfig(hex(id)), bytes, true);
    return { id, created: true };
  }

  /** The config's exact bytes (what save writes: their sha256 is the image id). */
  rawConfig(id: string): Buffer {
    try {
      return fs.readFileSync(this.layout.imageConfig(hex(id)));
    } catch (err) {
      if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') throw new NotFoundError(`No such image: ${id}`);
      throw err;
    }
  }

  /** The image a tag points at, if any. */
  tagTarget(ref: string): string | undefined {
    try {
      return fs.readFileSync(this.layout.tagFile(ref), 'utf8').split('\n')[0]!.trim();
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return undefined;
      throw err;
    }
  }

  get(id: string): ImageRecord | undefined {
    const h = hex(id);
    let raw: string;
    try {
      raw = fs.readFileSync(this.layout.imageConfig(h), 'utf8');
    } catch (err) {
      if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') return undefined;
      throw err;
    }
    const meta = readJsonSync<ImageMeta>(this.layout.imageMeta(h));
    return { id: `sha256:${h}`, config: JSON.parse(raw) as ImageConfig, size: meta?.size ?? 0 };
  }

  ids(): string[] {
    return readDirSafe(this.layout.imagesDir)
      .filter((h) => /^[0-9a-f]{64}$/.test(h) && fs.existsSync(this.layout.imageConfig(h)))
      .map((h) => `sha256:${h}`);
  }

  list(): ImageRecord[] {
    return this.ids().flatMap((id) => {
      const r = this.get(id);
      return r ? [r] : [];
    });
  }

  /** Every tag: full reference -> image id. */
  tags(): Map<string, string> {
    const out = new Map<string, string>();
    for (const f of readDirSafe(this.layout.tagsDir)) {
      if (f.includes('.tmp-')) continue;
      try {
        // `id\n`, or for a reference too long to be a file name (`_<hash>`, see keyFileName) `id\nref\n`.
        const [id = '', long] = fs.readFileSync(`${this.layout.tagsDir}/${f}`, 'utf8').split('\n');
        const ref = f.startsWith(LONG_KEY_PREFIX) ? long : decodeURIComponent(f);
        if (ref) out.set(ref, id.trim());
      } catch (err) {
        if (errnoCode(err) !== 'ENOENT') throw err;
      }
    }
    return out;
  }

  tagsOf(id: string, all = this.tags()): string[] {
    return [...all].filter(([, v]) => v === id).map(([k]) => k).sort();
  }

  /** Points ref at id (replacing an older target, as docker tag does). Caller holds the lock. */
  tag(ref: string, id: string): void {
    fs.mkdirSync(this.layout.tagsDir, { recursive: true, mode: 0o700 });
    const file = this.layout.tagFile(ref);
    writeFileAtomicSync(file, path.basename(file).startsWith(LONG_KEY_PREFIX) ? `${id}\n${ref}\n` : `${id}\n`, true);
  }

  untag(ref: string): void {
    fs.rmSync(this.layout.tagFile(ref), { force: true });
  }

  removeImage(id: string): void {
    const dir = this.layout.imageDir(hex(id));
    // config.json first: without it the image no longer exists, whatever remains is swept by repair.
    fs.rmSync(this.layout.imageConfig(hex(id)), { force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }

  /**
   * Finds an image by reference (busybox, busybox:1, docker.io/library/busybox:latest), by full id
   * (with or without sha256:) or by a unique id prefix, as docker resolves names.
   */
  resolve(nameOrId: string): string {
    const tags = this.tags();
    let ref: string | undefined;
    try {
      ref = normalizeReference(nameOrId);
    } catch {
      ref = undefined;
    }
    if (ref) {
      const id = tags.get(ref);
      if (id && this.get(id)) return id;
    }
    const h = hex(nameOrId.toLowerCase());
    if (/^[0-9a-f]{1,64}$/.test(h)) {
      const matches = this.ids().filter((id) => hex(id).startsWith(h));
      if (matches.length === 1) return matches[0]!;
      if (matches.length > 1) throw new ConflictError(`image ID prefix '${nameOrId}' is ambiguous`);
    }
    throw new NotFoundError(`No such image: ${nameOrId}`);
  }

  /** The name to show for an image: its first tag, else its short id. */
  displayName(id: string, tags = this.tags()): string {
    const t = this.tagsOf(id, tags)[0];
    return t ? familiarReference(t) : hex(id).slice(0, 12);
  }
}
