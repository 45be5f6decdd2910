import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { decompress } from '../archive/decompress.js';
import { extractLayer } from '../archive/extract.js';
import { openSource } from '../archive/source.js';
import type { Store } from '../store/store.js';
import { applyChanges } from './changes.js';
import { goArch, type ImageConfig } from './config.js';
import { normalizeReference } from './reference.js';

export interface ImportOptions {
  readonly source: string;
  readonly reference?: string;
  readonly changes?: readonly string[];
  readonly message?: string;
  readonly platform?: string;
  readonly stdin?: Readable;
  readonly signal?: AbortSignal;
}

/**
 * `import`: a filesystem tarball becomes a one-layer image. The archive is unpacked into a private
 * staging dir while its digest is computed; only when all of it has been read and checked does the
 * layer move into place and the image and tag get written, under the store lock. Any failure before
 * that (corrupt data, a hostile entry, a full disk, ctui killed) leaves the store as it was: the
 * staging dir is removed now, or by the next ctui's repair.
 */
export async function importImage(store: Store, o: ImportOptions): Promise<string> {
  // Validate everything cheap before reading a byte, so bad flags never touch the store.
  const ref = o.reference ? normalizeReference(o.reference) : undefined;
  const containerConfig = applyChanges({}, o.changes ?? []);
  const input = await openSource(o.source, o.stdin);
  return store.intent('import', async (staging) => {
    const layerStage = path.join(staging, 'layer');
    fs.mkdirSync(layerStage, { mode: 0o700 }); // a layer's dir is root's alone: diff/ holds setuid files (store/perms.ts)
    fs.mkdirSync(path.join(layerStage, 'diff'), { mode: 0o755 });
    const { stream } = await decompress(input);
    const result = await extractLayer(stream, path.join(layerStage, 'diff'), o.signal);
    const created = new Date().toISOString();
    const config: ImageConfig = {
      architecture: goArch(),
      os: 'linux',
      created,
      ...(o.message ? { comment: o.message } : {}),
      config: containerConfig,
      rootfs: { type: 'layers', diff_ids: [result.diffId] },
      history: [{ created, created_by: `ctui import ${o.source === '-' ? 'from stdin' : o.source}`, ...(o.message ? { comment: o.message } : {}) }],
    };
    return store.lock.with(() => {
      store.layers.commitStaged(layerStage, result.diffId, result.size);
      const id = store.images.put(config, result.size);
      if (ref) store.images.tag(ref, id);
      return id;
    });
  });
}
