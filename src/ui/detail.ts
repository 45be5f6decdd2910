import type { Engine, MountPoint, StatsSample } from '../core/engine.js';
import { oneLine } from '../core/errors.js';
import { familiarReference } from '../core/images/reference.js';
import { humanSize, timeAgo } from '../core/util/humanize.js';
import { dockerContainerJson, dockerImageJson, dockerMountJson, dockerVolumeJson } from '../present/present.js';
import type { Row } from './state/rows.js';
import type { PaneKind } from './state/ui.js';

/**
 * What the detail tabs show, loaded through the Engine only. Plain functions, so that the snapshot
 * test feeds them a fixture engine and gets the same views the live UI gets.
 */

/** `inspect` as the CLI prints it, as lines. */
export function inspectLines(engine: Engine, pane: PaneKind, row: Row): string[] {
  try {
    const json =
      pane === 'containers' ? dockerContainerJson(engine.containers.inspect(row.objectId))
      : pane === 'images' ? dockerImageJson(engine.images.inspect(row.objectId))
      : dockerVolumeJson(engine.volumes.inspect(row.objectId));
    return JSON.stringify(json, null, 2).split('\n');
  } catch (err) {
    return [`error: ${oneLine(err)}`];
  }
}

export interface LayerRow {
  readonly created: string;
  readonly createdBy: string;
  readonly size: string;
  /** Other images that have this layer (by their first tag or short id). */
  readonly sharedWith: string;
  readonly empty: boolean;
}

/**
 * An image's history, newest first (as docker history), each layer with the other images that share
 * it: the image config's history zipped with its diff_ids (empty_layer entries have none).
 */
export function historyRows(engine: Engine, imageId: string, now = Date.now()): LayerRow[] {
  const img = engine.images.inspect(imageId);
  const sizes = new Map(img.Layers.map((l) => [l.DiffId, l.Size]));
  const owners = new Map<string, string[]>();
  for (const other of engine.images.list({ all: true })) {
    if (other.Id === img.Id) continue;
    const name = other.RepoTags[0] ? familiarReference(other.RepoTags[0]) : other.Id.slice(7, 19);
    for (const l of engine.images.inspect(other.Id).Layers) owners.set(l.DiffId, [...(owners.get(l.DiffId) ?? []), name]);
  }
  const diffIds = img.Config.rootfs.diff_ids;
  const hist = img.Config.history ?? diffIds.map(() => ({}) as { created?: string; created_by?: string; empty_layer?: boolean });
  const rows: LayerRow[] = [];
  let layer = 0;
  for (const h of hist) {
    const empty = Boolean(h.empty_layer);
    const diff = empty ? undefined : diffIds[layer++];
    rows.push({
      created: timeAgo(h.created, now),
      createdBy: (h.created_by ?? '').replace(/^\/bin\/sh -c #\(nop\)\s*/, '').replace(/\s+/g, ' '),
      size: diff ? humanSize(sizes.get(diff) ?? 0) : '0B',
      sharedWith: diff ? (owners.get(diff) ?? []).join(', ') : '',
      empty,
    });
  }
  return rows.reverse();
}

export interface StatsPoint {
  readonly cpu: number;
  readonly mem: number;
  readonly memLimit: number;
  readonly pids: number;
}

/** docker stats' CPU %: container CPU time over host CPU time, times the online CPUs. */
export function statsPoint(prev: StatsSample | undefined, cur: StatsSample): StatsPoint {
  let cpu = 0;
  if (prev) {
    const c = cur.cpuNs - prev.cpuNs;
    const s = cur.systemNs - prev.systemNs;
    if (c > 0 && s > 0) cpu = (c / s) * cur.onlineCpus * 100;
  }
  return { cpu, mem: cur.memUsage, memLimit: cur.memLimit, pids: cur.pids };
}

export function mountRows(engine: Engine, containerId: string): MountPoint[] {
  return engine.containers.inspect(containerId).Record.Mounts ?? [];
}

export { dockerMountJson };
