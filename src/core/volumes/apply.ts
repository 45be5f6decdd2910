import * as fs from 'node:fs';
import type { Store } from '../store/store.js';
import { copyUpFromImage } from './copyup.js';
import { volumeBacking } from './options.js';
import type { MountPlan } from './plan.js';

/**
 * Makes what a container's mount plan needs, once every flag has been checked (the caller holds
 * the store lock): -v host directories, the volumes to create, and the copy-up of empty volumes
 * from the image. On failure the volumes it made are removed again. Returns the names it created.
 */
export function applyMountPlan(store: Store, plan: MountPlan, lowers: readonly string[]): string[] {
  const created: string[] = [];
  try {
    // docker's -v makes a missing host directory (0755, root's), --mount does not (checked in planMounts).
    for (const d of plan.hostDirs) fs.mkdirSync(d, { recursive: true, mode: 0o755 });
    for (const v of plan.newVolumes) {
      store.volumes.create(v);
      created.push(v.name);
    }
    const items = [];
    const seen = new Set<string>();
    for (const c of plan.copyUp) {
      // One copy per volume (the first destination wins), and only into an empty _data-backed volume.
      if (seen.has(c.name)) continue;
      seen.add(c.name);
      const v = store.volumes.get(c.name);
      if (!v || volumeBacking(v).kind !== 'data' || !store.volumes.isEmpty(c.name)) continue;
      items.push({ dataDir: store.volumes.dataDir(c.name), destination: c.destination });
    }
    copyUpFromImage(store, lowers, items);
  } catch (err) {
    rollback(store, created);
    throw err;
  }
  return created;
}

/** Removes volumes made for a container whose creation failed afterwards. */
export function rollback(store: Store, names: readonly string[]): void {
  for (const n of names) {
    try {
      store.volumes.remove(n);
    } catch {
      /* best effort: an unused volume left behind is visible to `volume ls` and prune */
    }
  }
}
