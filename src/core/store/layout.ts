import { createHash } from 'node:crypto';
import * as path from 'node:path';

/**
 * A file name for a key that may be longer than a file name can be (255 bytes; a valid image
 * reference is up to 255 + 129 characters and encodes longer still, container names have no limit):
 * short keys are the file name itself (readable, listable), long ones `_<sha256>` with the key kept in
 * the file (see ImageStore.tags). Names and references never start with `_`, so the two cannot meet.
 * 200 leaves room for the `.tmp-PID-RAND` suffix of atomic writes.
 */
export const LONG_KEY_PREFIX = '_';
export function keyFileName(encoded: string, key: string): string {
  return encoded.length <= 200 ? encoded : LONG_KEY_PREFIX + createHash('sha256').update(key).digest('hex');
}

/**
 * Where everything lives under the store root (default /var/lib/ctui). One small file per object,
 * never one big index rewritten on every change, so writers of different objects never contend.
 */
export class Layout {
  constructor(readonly root: string) {}

  /** Unpacked layers, keyed by diff_id: with overlayfs a layer's directory does not depend on its parent. */
  get layersDir(): string { return path.join(this.root, 'layers'); }
  layerDir(id: string): string { return path.join(this.layersDir, id); }
  layerDiff(id: string): string { return path.join(this.layersDir, id, 'diff'); }
  layerMeta(id: string): string { return path.join(this.layersDir, id, 'layer.json'); }

  /** Short symlinks to layer diffs keep overlay's lowerdir option under one page (as containers/storage does). */
  get linksDir(): string { return path.join(this.root, 'l'); }
  link(short: string): string { return path.join(this.linksDir, short); }

  get imagesDir(): string { return path.join(this.root, 'images'); }
  imageDir(id: string): string { return path.join(this.imagesDir, id); }
  /** The exact config bytes: the image id is their sha256. */
  imageConfig(id: string): string { return path.join(this.imagesDir, id, 'config.json'); }
  imageMeta(id: string): string { return path.join(this.imagesDir, id, 'meta.json'); }

  /** One file per tag, named by the encoded full reference, holding the image id. */
  get tagsDir(): string { return path.join(this.root, 'tags'); }
  tagFile(ref: string): string { return path.join(this.tagsDir, keyFileName(encodeURIComponent(ref), ref)); }

  get containersDir(): string { return path.join(this.root, 'containers'); }
  containerDir(id: string): string { return path.join(this.containersDir, id); }
  containerConfig(id: string): string { return path.join(this.containersDir, id, 'container.json'); }
  containerState(id: string): string { return path.join(this.containersDir, id, 'state.json'); }
  /** "pid starttime" of the process that created it and will start it (see ContainerStore.claimed). */
  containerClaim(id: string): string { return path.join(this.containersDir, id, 'claim'); }
  containerBundle(id: string): string { return path.join(this.containersDir, id, 'bundle'); }
  containerUpper(id: string): string { return path.join(this.containersDir, id, 'upper'); }
  containerWork(id: string): string { return path.join(this.containersDir, id, 'work'); }
  containerMerged(id: string): string { return path.join(this.containersDir, id, 'merged'); }

  /** names/<name> holds the container id; created with O_EXCL, so a name is taken atomically. */
  get namesDir(): string { return path.join(this.root, 'names'); }
  nameFile(name: string): string { return path.join(this.namesDir, keyFileName(name, name)); }

  /** One directory per volume: `_data` (what containers see) and `volume.json` (see volumes/model.ts). */
  get volumesDir(): string { return path.join(this.root, 'volumes'); }
  volumeDir(name: string): string { return path.join(this.volumesDir, name); }
  volumeData(name: string): string { return path.join(this.volumesDir, name, '_data'); }
  volumeMeta(name: string): string { return path.join(this.volumesDir, name, 'volume.json'); }

  /** Staging area: work in progress, renamed into place when complete, swept on start when its owner died. */
  get tmpDir(): string { return path.join(this.root, 'tmp'); }

  /** The event log every ctui process and monitor appends to (JSON lines). */
  get eventsFile(): string { return path.join(this.root, 'events.jsonl'); }

  /** Runtime state dirs (the OCI runtimes' --root). */
  runtimeRoot(runtime: string): string { return path.join(this.root, 'runtime', runtime); }
}
