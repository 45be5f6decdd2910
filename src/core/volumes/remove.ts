import type { ContainerRecord } from '../containers/model.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { Store } from '../store/store.js';
import { isVolumeName } from './names.js';
import { volumeUsers } from './usage.js';

/**
 * `volume rm`: refused while any container, running or not, refers to the volume (docker's message
 * and exit 1). With force, a missing volume is not an error. The caller holds the store lock.
 * Returns false when there was nothing to remove.
 */
export function removeVolumeLocked(store: Store, name: string, force: boolean): boolean {
  if (!isVolumeName(name) || !store.volumes.get(name)) {
    if (force) return false;
    throw new NotFoundError(`get ${name}: no such volume`);
  }
  const users = volumeUsers(store.containers.records()).get(name) ?? [];
  if (users.length > 0) throw new ConflictError(`remove ${name}: volume is in use - [${users.join(' ')}]`);
  store.volumes.remove(name);
  return true;
}

/**
 * `rm -v` and `--rm`: the container's anonymous volumes go with it, unless another container still
 * uses them (--volumes-from); named volumes always stay. Called under the lock, after the container's
 * record is gone. Returns the names removed.
 */
export function removeAnonymousVolumesLocked(store: Store, r: ContainerRecord): string[] {
  // No volume of its own: nothing to remove, and no reason to read every other container's record
  // (every `run --rm` came here, and read them all: O(containers in the store) per run).
  if (!(r.Mounts ?? []).some((m) => m.Type === 'volume' && m.Name)) return [];
  const users = volumeUsers(store.containers.records());
  const removed: string[] = [];
  for (const m of r.Mounts ?? []) {
    if (m.Type !== 'volume' || !m.Name || removed.includes(m.Name)) continue;
    const v = store.volumes.get(m.Name);
    if (!v?.Anonymous || (users.get(m.Name) ?? []).some((id) => id !== r.Id)) continue;
    store.volumes.remove(m.Name);
    removed.push(m.Name);
  }
  return removed;
}
