import * as path from 'node:path';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { packTree } from '../archive/pack.js';
import { NotFoundError } from '../errors.js';
import { mountLayerView } from '../helper/native.js';
import type { Store } from '../store/store.js';
import { rootfsLowers } from './lifecycle.js';

/**
 * `export`: the container's whole filesystem as one flat tar, as docker export writes it (no whiteouts,
 * no volumes). The view is a private read-only overlay of the image's layers with the container's
 * writable layer as the top-most lower, mounted in a staging dir of ours (swept and unmounted by
 * repair if we die), so it works the same for running and stopped containers and for both runtimes.
 */
export async function exportContainer(store: Store, nameOrId: string, output: Writable, signal?: AbortSignal): Promise<void> {
  const id = store.containers.resolve(nameOrId);
  const r = store.containers.get(id)?.record;
  if (!r) throw new NotFoundError(`No such container: ${nameOrId}`);
  const lowers = [path.relative(store.layout.root, store.layout.containerUpper(id)), ...rootfsLowers(store, r)];
  await store.intent('export', async (staging) => {
    const view = mountLayerView(store.layout.root, staging, lowers, 'rootfs');
    try {
      await pipeline(packTree(view.root, { mode: 'tree', signal }), output, { end: false });
    } finally {
      view.release();
    }
  });
}
