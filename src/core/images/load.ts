import type { Readable } from 'node:stream';
import { CtuiError } from '../errors.js';
import type { Store } from '../store/store.js';
import { readImageArchive, type ReadProgress } from './archivein.js';
import type { PlannedImage } from './archiveplan.js';
import { planDockerArchive } from './dockerarchive.js';
import { planOciLayout } from './ocilayout.js';

export interface LoadOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: ReadProgress) => void;
}

export interface LoadedImage {
  readonly id: string;
  /** Full references it was tagged with (empty: loaded untagged). */
  readonly refs: readonly string[];
}

/**
 * `load`: a docker-archive or OCI layout tar (possibly gzip/zstd/xz/bzip2 as a whole) becomes images.
 *
 * 1. The archive is read once; layers unpack into a private staging dir as they stream by
 *    (archivein.ts), nothing is spooled to disk first.
 * 2. Everything is checked before anything is committed: config digests, every layer's diff_id,
 *    OCI blob digests and sizes, names (dockerarchive.ts, ocilayout.ts, archiveplan.ts).
 * 3. Under the store lock, layers move into place (one already stored is kept and the staged copy
 *    dropped), then configs (their exact bytes) and tags. A failure there is rolled back before the
 *    lock is released; a crash leaves a staging dir that the next ctui's repair sweeps.
 */
export async function loadImages(store: Store, input: Readable, o: LoadOptions = {}): Promise<LoadedImage[]> {
  return store.intent('load', async (staging) => {
    const contents = await readImageArchive(input, staging, o);
    if (contents.empty) throw new CtuiError('nothing to load: the input is empty (give a docker-archive or OCI archive with -i FILE or on stdin)');
    // Both are looked at (a link at either is refused); manifest.json wins when both exist (docker 25+
    // writes both, and its manifest.json is the one every docker reads).
    const manifest = contents.topLevel('manifest.json');
    const index = contents.topLevel('index.json');
    let plans: PlannedImage[];
    if (manifest) plans = planDockerArchive(contents, manifest);
    else if (index) plans = planOciLayout(contents, index);
    else throw new CtuiError('not an image archive: it has neither manifest.json nor index.json (a filesystem tarball is loaded with `ctui import`)');
    if (o.signal?.aborted) throw new CtuiError('cancelled');
    return store.lock.with(() => commit(store, merge(plans)));
  });
}

/** One entry per image id, names merged (an archive may list an image once per tag). */
function merge(plans: readonly PlannedImage[]): PlannedImage[] {
  const byId = new Map<string, PlannedImage>();
  for (const p of plans) {
    const seen = byId.get(p.id);
    byId.set(p.id, seen ? { ...seen, refs: [...new Set([...seen.refs, ...p.refs])] } : p);
  }
  return [...byId.values()];
}

/** Moves everything into place; caller holds the lock. All or nothing. */
function commit(store: Store, plans: readonly PlannedImage[]): LoadedImage[] {
  const addedLayers: string[] = [];
  const addedImages: string[] = [];
  const retagged: Array<[ref: string, previous: string | undefined]> = [];
  try {
    const done = new Set<string>();
    for (const plan of plans) {
      for (const layer of plan.layers) {
        if (done.has(layer.diffId)) continue;
        done.add(layer.diffId);
        const existed = store.layers.has(layer.diffId);
        store.layers.commitStaged(layer.dir, layer.diffId, layer.size);
        if (!existed) addedLayers.push(layer.diffId);
      }
    }
    const out: LoadedImage[] = [];
    for (const plan of plans) {
      const size = plan.layers.reduce((n, l) => n + l.size, 0);
      const { id, created } = store.images.putRaw(plan.config, size);
      if (created) addedImages.push(id);
      for (const ref of plan.refs) {
        retagged.push([ref, store.images.tagTarget(ref)]);
        store.images.tag(ref, id);
      }
      out.push({ id, refs: plan.refs });
    }
    return out;
  } catch (err) {
    // Undo in reverse: tags back, new images and layers out. Best effort: what remains is what repair sweeps.
    try {
      for (const [ref, previous] of retagged.reverse()) {
        if (previous) store.images.tag(ref, previous);
        else store.images.untag(ref);
      }
      for (const id of addedImages) store.images.removeImage(id);
      for (const d of addedLayers) store.layers.remove(d);
    } catch {
      /* the original error is the one to report */
    }
    throw err;
  }
}
