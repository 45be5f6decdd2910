import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContainerStore } from '../containers/store.js';
import { CtuiError, errnoCode, systemReason } from '../errors.js';
import { ImageStore } from '../images/store.js';
import { LayerStore } from '../layers/store.js';
import { StoreLock } from '../util/lock.js';
import { VolumeStore } from '../volumes/store.js';
import { Layout } from './layout.js';
import { rootFixWarning, secureStoreRoot } from './perms.js';
import { findDebris, removeDebris, repairStore } from './repair.js';

export const DEFAULT_ROOT = '/var/lib/ctui';

/** The on-disk store: layers, images, tags, containers, volumes, with one lock for writers. */
export class Store {
  readonly layout: Layout;
  readonly lock: StoreLock;
  readonly layers: LayerStore;
  readonly images: ImageStore;
  readonly containers: ContainerStore;
  readonly volumes: VolumeStore;

  private constructor(root: string) {
    this.layout = new Layout(root);
    this.lock = new StoreLock(root);
    this.layers = new LayerStore(this.layout);
    this.images = new ImageStore(this.layout);
    this.containers = new ContainerStore(this.layout);
    this.volumes = new VolumeStore(this.layout, (kind) => this.stagingDir(kind));
  }

  /** Opens (creating if needed) the store, and repairs what a crashed ctui left behind. */
  static async open(root: string): Promise<Store> {
    const abs = path.resolve(root);
    try {
      // Another host user must never reach the images' files (a setuid binary in a layer would be
      // their root shell) nor be able to swap the store under us: see perms.ts.
      const fixed = secureStoreRoot(abs);
      if (fixed) process.stderr.write(`${rootFixWarning(fixed)}\n`);
      fs.mkdirSync(path.join(abs, 'tmp'), { mode: 0o700, recursive: true });
    } catch (err) {
      if (err instanceof CtuiError) throw err;
      const code = errnoCode(err);
      if (code === 'EACCES' || code === 'EPERM') throw new CtuiError(`cannot use ${abs} as the store: permission denied (ctui needs root)`);
      throw new CtuiError(`cannot use ${abs} as the store: ${systemReason(err)}`);
    }
    const store = new Store(abs);
    const debris = findDebris(store.layout);
    if (debris.dirs.length > 0) {
      await store.lock.with(() => {
        repairStore(store, debris.thaw);
        removeDebris(debris.dirs);
      });
    }
    return store;
  }

  /**
   * A private staging directory under tmp/, named after our pid so that repair removes it once we are
   * gone; it also marks an operation in flight (a crash leaves it behind and triggers a full repair).
   */
  stagingDir(kind: string): string {
    const dir = path.join(this.layout.tmpDir, `${process.pid}-${kind}-${randomBytes(6).toString('hex')}`);
    fs.mkdirSync(dir, { mode: 0o700 });
    return dir;
  }

  /** Runs fn with an intent marker in tmp/ so that a crash half way is repaired by the next ctui. */
  async intent<T>(kind: string, fn: (staging: string) => Promise<T>): Promise<T> {
    const dir = this.stagingDir(kind);
    try {
      return await fn(dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}
