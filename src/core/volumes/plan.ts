import * as fs from 'node:fs';
import * as path from 'node:path';
import { CtuiError, NotFoundError } from '../errors.js';
import type { HostSettings } from '../containers/model.js';
import type { Store } from '../store/store.js';
import type { MountRequest, ParsedMountFlags } from './flags.js';
import type { MountPoint, MountSpec } from './model.js';
import { randomVolumeName } from './names.js';
import type { NewVolume } from './store.js';

/**
 * Resolves a container's mount flags against the store and its image, as docker's daemon does
 * (registerMountPoints + the image's VOLUMEs): --volumes-from first, then -v/--mount/--tmpfs (which
 * override what --volumes-from brought, but not each other: "Duplicate mount point"), then the
 * anonymous volumes (-v /path and the image's VOLUMEs) where nothing is mounted yet.
 *
 * Reads only: what it returns is applied by applyMountPlan once every flag has been checked.
 */
export interface MountPlan {
  /** The container's resolved mounts (record.Mounts), by destination. */
  readonly mounts: MountPoint[];
  readonly hostConfig: Pick<HostSettings, 'Binds' | 'Mounts' | 'Tmpfs' | 'VolumesFrom'>;
  /** Config.Volumes: the image's VOLUMEs and -v /path. */
  readonly configVolumes: Record<string, object> | undefined;
  /** Volumes to create: named ones that do not exist yet (docker creates them on the fly) and anonymous ones. */
  readonly newVolumes: NewVolume[];
  /** Volumes to fill from the image's content at their destination if they are empty (docker's copy-up). */
  readonly copyUp: Array<{ readonly name: string; readonly destination: string }>;
  /** -v host directories that do not exist: docker's -v creates them (--mount refuses). */
  readonly hostDirs: string[];
}

/** An image's VOLUME path as a clean absolute path (the image is untrusted: "data", "../x" are cleaned, "/" dropped). */
export function cleanImageVolume(p: string): string | undefined {
  const d = path.posix.normalize('/' + p).replace(/(.)\/+$/, '$1');
  return d === '/' ? undefined : d;
}

function exists(p: string): boolean {
  try {
    fs.statSync(p);
    return true;
  } catch {
    return false;
  }
}

export function planMounts(store: Store, req: ParsedMountFlags, imageVolumes: readonly string[]): MountPlan {
  const points = new Map<string, MountPoint>();
  const explicit = new Set<string>();
  const newVolumes: NewVolume[] = [];
  const copyUp: Array<{ name: string; destination: string }> = [];
  const hostDirs: string[] = [];
  const tmpfs: Record<string, string> = {};
  const binds: string[] = [];
  const specs: MountSpec[] = [];

  // --volumes-from: the other container's volumes and binds (not its tmpfs), never copied into.
  for (const vf of req.volumesFrom) {
    const id = store.containers.resolve(vf.container);
    const src = store.containers.get(id)?.record;
    if (!src) throw new NotFoundError(`No such container: ${vf.container}`);
    for (const m of src.Mounts ?? []) {
      if (m.Type === 'tmpfs') continue;
      points.set(m.Destination, { ...m, Mode: '', RW: m.RW && vf.readOnly !== true });
    }
  }

  const volumeFor = (name: string, anonymous: boolean, labels: Record<string, string> | null): string => {
    const n = name || randomVolumeName();
    if (!store.volumes.get(n) && !newVolumes.some((v) => v.name === n)) newVolumes.push({ name: n, labels, options: null, anonymous });
    return n;
  };

  const anonymous: MountRequest[] = [];
  for (const m of req.mounts) {
    if (m.flag === 'anonymous') {
      anonymous.push(m);
      continue;
    }
    if (explicit.has(m.destination)) throw new CtuiError(`Duplicate mount point: ${m.destination}`);
    explicit.add(m.destination);
    if (m.flag === 'bind') binds.push(m.raw);
    if (m.spec) specs.push(m.spec);
    if (m.flag === 'tmpfs') {
      tmpfs[m.destination] = m.tmpfsOptions.join(',');
      points.delete(m.destination);
      continue;
    }
    if (m.type === 'tmpfs') {
      points.set(m.destination, { Type: 'tmpfs', Source: '', Destination: m.destination, Mode: '', RW: !m.readOnly, Propagation: '' });
      continue;
    }
    if (m.type === 'bind') {
      if (!exists(m.source)) {
        if (m.flag === 'mount') throw new CtuiError(`invalid mount config for type "bind": bind source path does not exist: ${m.source}`);
        hostDirs.push(m.source);
      }
      points.set(m.destination, {
        Type: 'bind', Source: m.source, Destination: m.destination, Mode: m.mode, RW: !m.readOnly, Propagation: m.propagation || 'rprivate',
      });
      continue;
    }
    // A volume: named (created if missing), or anonymous for --mount without a source.
    const name = volumeFor(m.source, m.source === '', m.spec?.VolumeOptions?.Labels ?? null);
    if (!m.noCopy) copyUp.push({ name, destination: m.destination });
    points.set(m.destination, {
      Type: 'volume', Name: name, Source: store.volumes.dataDir(name), Destination: m.destination, Driver: 'local',
      // docker's setBindModeIfNull: a local volume's mode shows as "z" unless one was given.
      Mode: m.mode || 'z', RW: !m.readOnly, Propagation: '',
    });
  }

  // -v /path and the image's VOLUMEs: anonymous volumes, unless something is mounted there already.
  const configVolumes: Record<string, object> = {};
  const wanted: Array<{ destination: string; readOnly: boolean; noCopy: boolean }> = [];
  for (const p of imageVolumes) {
    const d = cleanImageVolume(p);
    if (d) wanted.push({ destination: d, readOnly: false, noCopy: false });
  }
  for (const m of anonymous) wanted.push({ destination: m.destination, readOnly: m.readOnly, noCopy: m.noCopy });
  for (const w of wanted) {
    configVolumes[w.destination] = {};
    if (points.has(w.destination) || tmpfs[w.destination] !== undefined) {
      // A later -v /path:ro over an image VOLUME at the same place makes it read-only, as docker merges them.
      const p = points.get(w.destination);
      if (p && w.readOnly && p.Type === 'volume' && !explicit.has(w.destination)) points.set(w.destination, { ...p, RW: false });
      continue;
    }
    const name = volumeFor('', true, null);
    if (!w.noCopy) copyUp.push({ name, destination: w.destination });
    points.set(w.destination, {
      Type: 'volume', Name: name, Source: store.volumes.dataDir(name), Destination: w.destination, Driver: 'local', Mode: '', RW: !w.readOnly, Propagation: '',
    });
  }

  const hostConfig: MountPlan['hostConfig'] = {
    ...(binds.length > 0 ? { Binds: binds } : {}),
    ...(specs.length > 0 ? { Mounts: specs } : {}),
    ...(Object.keys(tmpfs).length > 0 ? { Tmpfs: tmpfs } : {}),
    ...(req.volumesFrom.length > 0 ? { VolumesFrom: req.volumesFrom.map((v) => v.raw) } : {}),
  };
  return {
    mounts: [...points.values()].sort((a, b) => (a.Destination < b.Destination ? -1 : a.Destination > b.Destination ? 1 : 0)),
    hostConfig,
    configVolumes: Object.keys(configVolumes).length > 0 ? configVolumes : undefined,
    newVolumes,
    copyUp,
    hostDirs,
  };
}
