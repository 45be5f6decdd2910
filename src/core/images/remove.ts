import { ConflictError } from '../errors.js';
import { hexOf } from '../layers/store.js';
import type { Store } from '../store/store.js';
import { familiarReference, normalizeReference } from './reference.js';

export interface RemovedImage {
  readonly untagged: string[];
  /** The image id first, then each layer that went with it. */
  readonly deleted: string[];
  /** Bytes of the layers that went. */
  readonly reclaimed: number;
}

/**
 * Deletes an image nobody uses any more (its tags, its config, and each of its layers no other image
 * shares). The caller holds the store lock and has checked that no container uses it.
 */
export function deleteImageLocked(store: Store, id: string): RemovedImage {
  const { images, layers } = store;
  const untagged: string[] = [];
  for (const t of images.tagsOf(id)) {
    images.untag(t);
    untagged.push(familiarReference(t));
  }
  const img = images.get(id);
  if (!img) return { untagged, deleted: [], reclaimed: 0 };
  images.removeImage(id);
  const deleted = [id];
  let reclaimed = 0;
  const used = new Set<string>();
  for (const other of images.list()) for (const d of other.config.rootfs.diff_ids) used.add(d);
  for (const d of new Set(img.config.rootfs.diff_ids)) {
    const meta = layers.get(d);
    if (!used.has(d) && meta) {
      layers.remove(d);
      deleted.push(d);
      reclaimed += meta.size;
    }
  }
  return { untagged, deleted, reclaimed };
}

/**
 * docker's rmi: a name untags; the image goes when its last tag goes (or by id, if it has only
 * one tag or -f), never while a container uses it (with -f only the tags go, as docker does).
 * The caller holds the store lock.
 */
export function removeImageLocked(store: Store, nameOrId: string, force: boolean): RemovedImage {
  const images = store.images;
  const id = images.resolve(nameOrId);
  const tags = images.tagsOf(id);
  let ref: string | undefined;
  try {
    ref = normalizeReference(nameOrId);
  } catch {
    ref = undefined;
  }
  const byName = ref !== undefined && tags.includes(ref);
  if (byName && tags.length > 1) {
    images.untag(ref!);
    return { untagged: [familiarReference(ref!)], deleted: [], reclaimed: 0 };
  }
  if (!byName && tags.length > 1 && !force) {
    throw new ConflictError(`conflict: unable to delete ${hexOf(id).slice(0, 12)} (must be forced) - image is referenced in multiple repositories`);
  }
  const user = store.containers.records().find((r) => r.Image === id);
  if (user) {
    if (!force) {
      const what = byName ? `unable to remove repository reference "${nameOrId}" (must force)` : `unable to delete ${hexOf(id).slice(0, 12)} (must be forced)`;
      throw new ConflictError(`conflict: ${what} - container ${user.Id.slice(0, 12)} is using its referenced image ${hexOf(id).slice(0, 12)}`);
    }
    const untagged: string[] = [];
    for (const t of tags) {
      images.untag(t);
      untagged.push(familiarReference(t));
    }
    return { untagged, deleted: [], reclaimed: 0 };
  }
  return deleteImageLocked(store, id);
}
