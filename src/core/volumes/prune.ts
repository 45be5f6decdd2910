import { appendEvent } from '../events/log.js';
import type { Store } from '../store/store.js';
import { parseVolumeFilters } from './filters.js';
import { toVolume } from './view.js';
import { volumeUsers } from './usage.js';

export interface PruneOptions {
  /** docker 23+: without it only anonymous volumes go; with it every unused one. */
  readonly all?: boolean;
  /** label=K[=V], label!=K[=V], all=true */
  readonly filters?: readonly string[];
}

export interface PruneReport {
  readonly deleted: string[];
  /** Bytes of data the deleted volumes held. */
  readonly reclaimed: number;
}

/**
 * `volume prune` (and `system prune`): removes the volumes no container uses, anonymous ones only
 * unless `all`. Under the store lock, so a container being created cannot take a volume as it goes.
 */
export async function pruneVolumes(store: Store, o: PruneOptions = {}): Promise<PruneReport> {
  const filters = parseVolumeFilters(o.filters ?? [], ['label', 'label!', 'all']);
  const all = o.all === true || filters.all;
  const report = await store.lock.with(async () => {
    const users = volumeUsers(store.containers.records());
    const deleted: string[] = [];
    let reclaimed = 0;
    for (const rec of store.volumes.list()) {
      const v = toVolume(rec, users.get(rec.Name) ?? []);
      if (v.UsedBy.length > 0 || (!all && !v.Anonymous) || !filters.match(v)) continue;
      reclaimed += await store.volumes.size(v.Name);
      store.volumes.remove(v.Name);
      deleted.push(v.Name);
    }
    return { deleted, reclaimed };
  });
  for (const name of report.deleted) appendEvent(store.layout, { type: 'volume', action: 'destroy', id: name, attributes: { driver: 'local' } });
  return report;
}
