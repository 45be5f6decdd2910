import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveInRoot } from '../containers/rootfs.js';
import { RuntimeError } from '../errors.js';
import { mountLayerView } from '../helper/native.js';
import type { Store } from '../store/store.js';
import { removeTreeSync } from '../util/fs.js';

export interface CopyUpItem {
  /** The volume's _data (fresh and empty: ours, nothing of the image's in it yet). */
  readonly dataDir: string;
  /** Where the volume is mounted in the container, i.e. what to copy from the image. */
  readonly destination: string;
}

/**
 * docker's copy-up: a fresh, empty volume gets the image's content at its mount point on first use.
 *
 * The image is untrusted, so: its layers are mounted read-only (overlay, or a read-only bind of a
 * single layer) in a private staging dir that nothing else can change while we copy; the source
 * path is resolved inside that mount as if it were `/` (an image's `/data -> /etc` or `-> ../../..`
 * symlink stays inside the image, and one to the image's root copies nothing); and `cp -a` never
 * follows a symlink it copies (-a implies -P -d), so every link lands in the volume as a link. The
 * destination is our own empty directory, which the image cannot influence.
 */
export function copyUpFromImage(store: Store, lowers: readonly string[], items: readonly CopyUpItem[]): void {
  if (items.length === 0 || lowers.length === 0) return;
  const staging = store.stagingDir('copyup');
  try {
    const view = mountLayerView(store.layout.root, staging, lowers, 'image');
    const root = view.root;
    try {
      for (const it of items) {
        const src = resolveInRoot(root, it.destination);
        if (path.resolve(src) === path.resolve(root)) continue;
        let st: fs.Stats;
        try {
          st = fs.lstatSync(src);
        } catch {
          continue; // not in the image: the runtime makes an empty mount point
        }
        if (!st.isDirectory()) continue;
        // "src/." copies the directory's content and its owner and mode onto the volume's root, as docker does.
        const r = spawnSync('cp', ['-a', '--', `${src}/.`, `${it.dataDir}/`], { stdio: ['ignore', 'ignore', 'pipe'] });
        if (r.error || r.status !== 0) {
          const why = r.error?.message ?? (r.stderr.toString().trim().split('\n').pop() || `exit ${r.status}`);
          throw new RuntimeError(`copying the image's content at ${it.destination} into its volume: ${why}`);
        }
      }
    } finally {
      view.release();
    }
  } finally {
    removeTreeSync(staging);
  }
}
