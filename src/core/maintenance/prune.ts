import * as fs from 'node:fs';
import * as path from 'node:path';
import { monitorAlive } from '../containers/monitor.js';
import type { ContainerRecord } from '../containers/model.js';
import { deleteImageLocked } from '../images/remove.js';
import { resolveRuntime, forceDelete } from '../runtime/oci.js';
import { mountsBelow } from '../store/repair.js';
import type { Store } from '../store/store.js';
import { unmount } from '../helper/native.js';
import { removeTree, treeSizeSync } from '../util/fs.js';
import { isAncestor } from './reclaim.js';

/** docker's prune filters: `until` (created before) and `label` / `label!` (key or key=value). */
export interface PruneFilter {
  /** Milliseconds since the epoch: only objects created before it. */
  readonly until?: number;
  readonly labels?: ReadonlyArray<{ readonly key: string; readonly value?: string; readonly negate?: boolean }>;
}

/** True when an object with these labels and creation time passes the filter. */
export function matchesPruneFilter(f: PruneFilter, created: string | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (f.until !== undefined) {
    const t = created ? Date.parse(created) : NaN;
    if (!Number.isFinite(t) || t >= f.until) return false;
  }
  for (const l of f.labels ?? []) {
    const has = labels !== undefined && Object.hasOwn(labels, l.key) && (l.value === undefined || labels[l.key] === l.value);
    if (has === (l.negate ?? false)) return false;
  }
  return true;
}

export interface PrunedContainers {
  /** Their records, for events and for messages that name them. */
  readonly removed: ContainerRecord[];
  readonly deleted: string[];
  /** Bytes of their writable layers and logs. */
  readonly reclaimed: number;
}

export interface PrunedImages {
  /** The ids of the images that went. */
  readonly images: string[];
  /** In order, as docker's API reports them: each image's tags, then the image and its layers. */
  readonly items: Array<{ readonly Untagged?: string; readonly Deleted?: string }>;
  readonly reclaimed: number;
}

const STOPPED = new Set(['created', 'exited', 'dead']);

/** removeTree of each tree, at most `width` at a time. */
async function removeTreesConcurrently(trees: readonly string[], width: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < trees.length) await removeTree(trees[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(width, trees.length) }, worker));
}

/**
 * `container prune`: removes every stopped container (created or exited) that passes the filter. Each
 * one is checked again under the store lock just before it goes, and skipped if meanwhile a monitor
 * came alive for it (a start) or the process that created it is about to start it (a run's claim):
 * a prune beside a `run` never takes the run's container away.
 */
export async function pruneContainers(store: Store, filter: PruneFilter = {}, signal?: AbortSignal): Promise<PrunedContainers> {
  const candidates = store.containers.records().filter((r) => matchesPruneFilter(filter, r.Created, r.Config.Labels));
  // A monitor lives on for a moment after its container exits (it deletes the runtime's state): wait
  // for it, so that a container that just stopped is pruned rather than skipped as still in use.
  for (const r of candidates) {
    for (let i = 0; i < 200 && monitorAlive(store.layout, r.Id) && store.containers.get(r.Id)?.state.Status === 'exited'; i++) {
      await new Promise((res) => setTimeout(res, 10));
    }
  }
  const sizes = new Map<string, number>();
  // Sizes first, outside the lock: the lock is held only for the quick renames and removals.
  for (const r of candidates) sizes.set(r.Id, treeSizeSync(store.layout.containerDir(r.Id)));
  const deleted: string[] = [];
  let reclaimed = 0;
  const removed: ContainerRecord[] = [];
  await store.intent('prune', async (trash) => {
    await store.lock.with(() => {
      const mounted = new Set(mountsBelow(store.layout.containersDir));
      for (const r of candidates) {
        if (signal?.aborted) break;
        const v = store.containers.get(r.Id);
        if (!v || !STOPPED.has(v.state.Status)) continue;
        if (monitorAlive(store.layout, r.Id) || store.containers.claimed(r.Id)) continue;
        const rt = resolveRuntime(r.HostConfig.Runtime, store.layout);
        if (fs.existsSync(path.join(rt.stateRoot, r.Id))) forceDelete(rt, r.Id);
        if (mounted.has(store.layout.containerMerged(r.Id))) unmount([store.layout.containerMerged(r.Id)]);
        store.containers.removeInto(r.Id, trash);
        deleted.push(r.Id);
        removed.push(r);
        reclaimed += sizes.get(r.Id) ?? 0;
      }
    });
    // The trees go outside the lock, several at once (libuv's thread pool): the containers no longer
    // exist for anyone once their records are gone, and a crash here leaves only the staging dir.
    await removeTreesConcurrently(deleted.map((id) => path.join(trash, id)), 8);
  });
  return { removed, deleted, reclaimed };
}

/**
 * `image prune`: dangling images (no tag) that no container uses; with `all`, every image no container
 * uses. Layers go only when no remaining image shares them. All under one hold of the store lock, so
 * a concurrent create either sees the image or fails cleanly, never half of it.
 */
export async function pruneImages(store: Store, o: { all?: boolean; filter?: PruneFilter } = {}): Promise<PrunedImages> {
  const images: string[] = [];
  const items: Array<{ Untagged?: string; Deleted?: string }> = [];
  let reclaimed = 0;
  await store.intent('prune', () =>
    store.lock.with(() => {
      const used = new Set(store.containers.records().map((r) => r.Image));
      const tagged = new Set(store.images.tags().values());
      const all = store.images.list();
      const candidates = all.filter((img) =>
        !used.has(img.id) && (o.all || !tagged.has(img.id)) && matchesPruneFilter(o.filter ?? {}, img.config.created, img.config.config?.Labels));
      const gone = new Set(candidates.map((i) => i.id));
      const kept = all.filter((img) => !gone.has(img.id));
      for (const img of candidates) {
        // A parent of an image that stays (its layers are a prefix of the other's: commit made one from
        // the other) stays too, as docker prunes only "head" images: rmi of busybox must not happen
        // because an image built on it is in use.
        if (kept.some((k) => isAncestor(img.config.rootfs.diff_ids, k.config.rootfs.diff_ids))) continue;
        const r = deleteImageLocked(store, img.id);
        images.push(img.id);
        items.push(...r.untagged.map((t) => ({ Untagged: t })), ...r.deleted.map((d) => ({ Deleted: d })));
        reclaimed += r.reclaimed;
      }
    }),
  );
  return { images, items, reclaimed };
}
