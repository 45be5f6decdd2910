import { CtuiError } from '../errors.js';
import { appendEvent } from '../events/log.js';
import type { Store } from '../store/store.js';
import type { VolumeRecord } from './model.js';
import { randomVolumeName, validateVolumeName } from './names.js';
import { validateDriverOptions } from './options.js';

export interface VolumeCreateOptions {
  /** Omitted: a random 64-hex name (docker does not count such a volume as anonymous). */
  readonly name?: string;
  readonly driver?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly options?: Readonly<Record<string, string>>;
}

/**
 * `volume create`: checks everything first, then makes the volume under the store lock. As docker,
 * creating a volume that exists returns it unchanged.
 */
export async function createVolume(store: Store, o: VolumeCreateOptions): Promise<VolumeRecord> {
  const name = o.name || randomVolumeName();
  const driver = o.driver || 'local';
  if (driver !== 'local') throw new CtuiError(`create ${name}: error looking up volume plugin ${driver}: plugin "${driver}" not found (ctui has only the local driver)`);
  validateVolumeName(name);
  validateDriverOptions(o.options ?? {}, name);
  const made = await store.lock.with(() => {
    const existing = store.volumes.get(name);
    if (existing) return { rec: existing, created: false };
    return { rec: store.volumes.create({ name, labels: { ...(o.labels ?? {}) }, options: { ...(o.options ?? {}) }, anonymous: false }), created: true };
  });
  if (made.created) appendEvent(store.layout, { type: 'volume', action: 'create', id: name, attributes: { driver: 'local' } });
  return made.rec;
}
