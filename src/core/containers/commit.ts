import * as fs from 'node:fs';
import * as path from 'node:path';
import { packTree, walkTree } from '../archive/pack.js';
import { extractLayer } from '../archive/extract.js';
import { CtuiError, NotFoundError } from '../errors.js';
import { applyChanges } from '../images/changes.js';
import type { ContainerConfig, ImageConfig } from '../images/config.js';
import { normalizeReference } from '../images/reference.js';
import { resolveRuntime, runtimeVerb } from '../runtime/oci.js';
import type { Store } from '../store/store.js';
import { THAW_MARKER } from '../store/repair.js';
import type { ContainerRecord } from './model.js';
import { lowerDirsOf, mountPointDebris } from './diff.js';

export interface CommitOptions {
  /** repo[:tag]; without it the image is untagged (docker prints only its id). */
  readonly reference?: string;
  readonly author?: string;
  readonly message?: string;
  readonly changes?: readonly string[];
  /** Freeze the container while its layer is read (docker's default); false reads it live. */
  readonly pause?: boolean;
  readonly signal?: AbortSignal;
  /** Called for entries an image layer cannot hold (sockets, device nodes). */
  readonly onSkip?: (path: string, why: string) => void;
}

/** The container's settings as the new image's defaults (docker commit keeps the container's Cmd, Env...). */
function imageDefaults(base: ContainerConfig, r: ContainerRecord): ContainerConfig {
  const c = r.Config;
  return {
    ...base,
    ...(c.User ? { User: c.User } : {}),
    Env: [...c.Env],
    Cmd: [...c.Cmd],
    Entrypoint: c.Entrypoint.length > 0 ? [...c.Entrypoint] : null,
    ...(c.WorkingDir ? { WorkingDir: c.WorkingDir } : {}),
    ...(Object.keys(c.Labels).length > 0 ? { Labels: { ...c.Labels } } : {}),
    ...(c.StopSignal ? { StopSignal: c.StopSignal } : {}),
    ...(c.Healthcheck ? { Healthcheck: { ...c.Healthcheck } } : {}),
  };
}

/** Runs fn with the container frozen when it is running and pause is wanted; thaws it whatever happens. */
async function frozen<T>(store: Store, r: ContainerRecord, staging: string, pause: boolean, fn: () => Promise<T>): Promise<T> {
  const state = store.containers.get(r.Id)?.state;
  if (!pause || state?.Status !== 'running') return fn();
  const rt = resolveRuntime(r.HostConfig.Runtime, store.layout);
  // If we are killed while it is frozen, the next ctui's repair finds this and thaws it.
  fs.writeFileSync(path.join(staging, THAW_MARKER), r.Id);
  runtimeVerb(rt, ['pause', r.Id]);
  try {
    return await fn();
  } finally {
    runtimeVerb(rt, ['resume', r.Id]);
  }
}

/**
 * `commit`: the container's writable layer becomes one new layer on top of its image. The upper dir
 * is packed into a tar (overlay whiteouts and opaque dirs in OCI form) and that tar is unpacked as a
 * layer by the same code as every import, so the layer's bytes are recorded and reproducible for save.
 * Everything is staged first; the layer, image and tag appear under the store lock only when complete,
 * so a failure or a kill at any point leaves the store as it was. The base image is never touched.
 */
export async function commitContainer(store: Store, nameOrId: string, o: CommitOptions): Promise<string> {
  const ref = o.reference ? normalizeReference(o.reference) : undefined;
  const id = store.containers.resolve(nameOrId);
  const r = store.containers.get(id)?.record;
  if (!r) throw new NotFoundError(`No such container: ${nameOrId}`);
  const base = store.images.get(r.Image);
  if (!base) throw new CtuiError(`image ${r.Image} of container ${r.Name} is missing from the store`);
  const containerConfig = applyChanges(imageDefaults(base.config.config ?? {}, r), o.changes ?? []);

  return store.intent('commit', async (staging) => {
    const layerStage = path.join(staging, 'layer');
    fs.mkdirSync(layerStage, { mode: 0o700 }); // a layer's dir is root's alone: diff/ holds setuid files (store/perms.ts)
    fs.mkdirSync(path.join(layerStage, 'diff'), { mode: 0o755 });
    const layer = await frozen(store, r, staging, o.pause ?? true, () => {
      const upper = store.layout.containerUpper(id);
      const entries = walkTree(fs.realpathSync(upper));
      const debris = mountPointDebris(r, upper, entries, lowerDirsOf(store, r));
      const tar = packTree(upper, { mode: 'layer', entries, signal: o.signal, onSkip: o.onSkip, skip: (rel) => debris.has(rel) });
      return extractLayer(tar, path.join(layerStage, 'diff'), o.signal);
    });
    const created = new Date().toISOString();
    const config: ImageConfig = {
      architecture: base.config.architecture,
      os: base.config.os,
      created,
      ...(o.author ? { author: o.author } : {}),
      ...(o.message ? { comment: o.message } : {}),
      config: containerConfig,
      rootfs: { type: 'layers', diff_ids: [...base.config.rootfs.diff_ids, layer.diffId] },
      history: [
        ...(base.config.history ?? []),
        {
          created,
          created_by: [r.Path, ...r.Args].join(' '),
          ...(o.author ? { author: o.author } : {}),
          ...(o.message ? { comment: o.message } : {}),
        },
      ],
    };
    const imageId = await store.lock.with(() => {
      // The base image cannot have gone: rmi refuses images that containers use, and we hold the lock.
      if (!store.images.get(r.Image)) throw new CtuiError(`image ${r.Image} was removed during the commit`);
      store.layers.commitStaged(layerStage, layer.diffId, layer.size);
      const newId = store.images.put(config, base.size + layer.size);
      if (ref) store.images.tag(ref, newId);
      return newId;
    });
    return imageId;
  });
}
