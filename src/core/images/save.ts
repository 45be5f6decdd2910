import * as path from 'node:path';
import type { Writable } from 'node:stream';
import { TAR_SPLIT_FILE, openTarSplit } from '../archive/tarsplit.js';
import { TarWriter } from '../archive/tarwriter.js';
import { CtuiError, NotFoundError, errnoCode } from '../errors.js';
import { hexOf } from '../layers/store.js';
import { LayerDamagedError, openLayerTar } from '../layers/tarstream.js';
import type { Store } from '../store/store.js';
import type { ImageConfig } from './config.js';
import { writeDockerArchive } from './dockerarchive.js';
import { writeOciLayout } from './ocilayout.js';
import { parseReference } from './reference.js';

import type { ArchiveFormat } from '../engine.js';

export type { ArchiveFormat } from '../engine.js';
export const ARCHIVE_FORMATS: readonly ArchiveFormat[] = ['docker-archive', 'oci-archive'];

/** One image going into an archive. */
export interface SavedImage {
  readonly id: string;
  /** The config's exact bytes. */
  readonly config: Buffer;
  readonly diffIds: readonly string[];
  /** Full references to write with it (empty when saved by id). */
  readonly refs: readonly string[];
}

/** How the format writers get layer tars: sizes up front, bytes streamed. */
export interface LayerSource {
  size(diffId: string): number;
  write(diffId: string, name: string): Promise<void>;
}

export interface SaveOptions {
  readonly format?: ArchiveFormat;
  readonly output: Writable;
  readonly signal?: AbortSignal;
}

/**
 * The images that `names` select, as docker save selects them: `repo:tag` that tag; a bare `repo`
 * every tag of that repository (docker's rule; busybox alone is not just busybox:latest); anything
 * else an image id or id prefix, saved without names. Tags of one image are grouped into one entry.
 */
export function selectImages(store: Store, names: readonly string[]): SavedImage[] {
  const tags = store.images.tags();
  const chosen = new Map<string, Set<string>>();
  const add = (id: string, ref?: string) => {
    const refs = chosen.get(id) ?? new Set<string>();
    if (ref) refs.add(ref);
    chosen.set(id, refs);
  };
  for (const name of names) {
    let repository: string | undefined;
    let full: string | undefined;
    try {
      const r = parseReference(name);
      const lastSlash = name.lastIndexOf('/');
      if (name.lastIndexOf(':') > lastSlash) full = `${r.repository}:${r.tag}`;
      else repository = r.repository;
    } catch {
      /* not a name: an id */
    }
    if (full && tags.has(full) && store.images.get(tags.get(full)!)) {
      add(tags.get(full)!, full);
      continue;
    }
    if (repository) {
      const inRepo = [...tags].filter(([ref, id]) => ref.startsWith(repository + ':') && store.images.get(id));
      if (inRepo.length > 0) {
        for (const [ref, id] of inRepo.sort(([a], [b]) => (a < b ? -1 : 1))) add(id, ref);
        continue;
      }
    }
    add(store.images.resolve(name)); // by id, or NotFoundError
  }
  return [...chosen].map(([id, refs]) => {
    const config = store.images.rawConfig(id);
    const parsed = JSON.parse(config.toString('utf8')) as ImageConfig;
    return { id, config, diffIds: parsed.rootfs.diff_ids, refs: [...refs] };
  });
}

/**
 * Writes the images to output as a docker-archive or an OCI layout tar. Every layer is re-emitted
 * from its tar-split record and checked against its diff_id while it streams. Everything that can
 * be checked before the first byte (names, layers present, records readable) is; a failure after
 * that leaves a partial archive in output, which the caller discards (the CLI writes a temp file).
 */
export async function saveImages(store: Store, names: readonly string[], o: SaveOptions): Promise<SavedImage[]> {
  const format = o.format ?? 'docker-archive';
  if (!ARCHIVE_FORMATS.includes(format)) throw new CtuiError(`unknown archive format ${String(format)} (docker-archive or oci-archive)`);
  if (names.length === 0) throw new CtuiError('save needs at least one image');
  const images = selectImages(store, names);
  const sizes = new Map<string, number>();
  for (const img of images) {
    for (const d of img.diffIds) {
      if (sizes.has(d)) continue;
      if (!store.layers.has(d)) throw new NotFoundError(`layer ${d} of image ${hexOf(img.id).slice(0, 12)} is missing from the store`);
      sizes.set(d, recordSize(store, d));
    }
  }
  const tw = new TarWriter(o.output, o.signal);
  const layers: LayerSource = {
    size: (d) => sizes.get(d)!,
    write: async (d, name) => {
      const t = openLayerTar(store.layout.layerDir(hexOf(d)), d);
      await tw.stream(name, t.size, t.stream);
    },
  };
  try {
    if (format === 'docker-archive') await writeDockerArchive(tw, images, layers);
    else await writeOciLayout(tw, images, layers);
    await tw.finish();
  } finally {
    tw.release();
  }
  return images;
}

/** The layer's tar size, from its record (which must be there and readable before we write a byte). */
function recordSize(store: Store, diffId: string): number {
  try {
    const r = openTarSplit(path.join(store.layout.layerDir(hexOf(diffId)), TAR_SPLIT_FILE));
    r.close();
    return r.tarSize;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') {
      throw new CtuiError(`layer ${diffId} has no tar-split record (it was stored by an older ctui): remove the image and import or load it again`);
    }
    if (err instanceof CtuiError) throw new LayerDamagedError(diffId, err.message);
    throw err;
  }
}
