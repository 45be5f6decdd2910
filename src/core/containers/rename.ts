import { ConflictError, CtuiError } from '../errors.js';
import { appendEvent } from '../events/log.js';
import type { Store } from '../store/store.js';
import { VALID_NAME } from './names.js';

/**
 * `docker rename OLD NEW`, running containers included (the monitor and the runtime know only the
 * id, so nothing running has to change). Under the store lock, inside an intent: the new name is
 * taken first (O_EXCL, so two renames or a create racing for it cannot both win), then the record
 * is replaced, then the old name is let go; a crash between the steps leaves both names on the
 * container and the repair the intent triggers drops the one the record no longer carries.
 * Errors in docker's words (daemon/rename.go).
 */
export async function renameContainer(store: Store, oldName: string, newName: string): Promise<void> {
  if (oldName === '' || newName === '') throw new CtuiError('Neither old nor new names may be empty', 1);
  const wanted = newName.startsWith('/') ? newName.slice(1) : newName;
  await store.intent('rename', () =>
    store.lock.with(async () => {
      const id = store.containers.resolve(oldName);
      const v = store.containers.get(id);
      if (!v) throw new CtuiError(`No such container: ${oldName}`, 1);
      const r = v.record;
      if (!VALID_NAME.test(wanted)) {
        throw new CtuiError(`Error when allocating new name: Invalid container name (/${wanted}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`, 1);
      }
      if (r.Name === wanted) throw new ConflictError('Renaming a container with the same name as its current name', 1);
      try {
        store.containers.reserveName(wanted, id);
      } catch (err) {
        if (err instanceof CtuiError) throw new ConflictError(`Error when allocating new name: ${err.message}`, 1);
        throw err;
      }
      try {
        store.containers.writeRecord({ ...r, Name: wanted });
      } catch (err) {
        store.containers.releaseName(wanted, id);
        throw err;
      }
      store.containers.releaseName(r.Name, id);
      appendEvent(store.layout, { type: 'container', action: 'rename', id, attributes: { image: r.Config.Image, name: wanted, oldName: `/${r.Name}` } });
    }),
  );
}
