import type { ContainerSummary, ImageSummary, Volume } from '../../core/engine.js';
import { humanSize } from '../../core/util/humanize.js';
import { imageRows, volumeRow } from '../../present/rows.js';
import { psRow } from '../../present/present.js';
import type { PaneKind } from './ui.js';

/**
 * What the three lists show: the same columns as `ctui images`, `ctui ps -a` and `ctui volume ls`
 * (built by the same presentation helpers), plus what the UI needs to act on a row.
 */
export interface Data {
  readonly images: readonly ImageSummary[];
  readonly containers: readonly ContainerSummary[];
  readonly volumes: readonly Volume[];
  /** Writable-layer sizes measured so far (containers), by id. */
  readonly sizes: ReadonlyMap<string, number>;
  readonly error?: string;
}

export const emptyData: Data = { images: [], containers: [], volumes: [], sizes: new Map() };

/** exitedOk: exited with code 0 (shown like dim text, not red as a non-zero exit). */
export type CellTone = 'running' | 'paused' | 'exited' | 'exitedOk' | 'created' | 'unhealthy' | 'dim' | undefined;

export interface Row {
  /** Unique per row (an image shows once per tag). */
  readonly key: string;
  /** What engine calls take: a container id, an image reference (or id when untagged), a volume name. */
  readonly target: string;
  /** The object's id (for y, and to find its details). */
  readonly objectId: string;
  readonly cells: readonly string[];
  readonly tones: readonly CellTone[];
  /** Lower-cased cells joined: what `/` searches. */
  readonly text: string;
  /** Containers: running or paused (s stops it, else starts it). */
  readonly running?: boolean;
  readonly paused?: boolean;
  /** Containers: the name, as the NAMES column shows it. */
  readonly name?: string;
  /** Size in bytes when known (prune and remove dialogs). */
  readonly bytes?: number;
}

export interface Column {
  readonly title: string;
  /** Fixed width, or the minimum of a flexible one. */
  readonly width: number;
  readonly flex?: boolean;
  /** Narrow terminals drop the highest numbers first. */
  readonly priority: number;
  readonly align?: 'right';
}

export const COLUMNS: Record<PaneKind, readonly Column[]> = {
  images: [
    { title: 'REPOSITORY', width: 14, flex: true, priority: 0 },
    { title: 'TAG', width: 8, priority: 1 },
    { title: 'IMAGE ID', width: 12, priority: 0 },
    { title: 'CREATED', width: 14, priority: 2 },
    { title: 'SIZE', width: 8, priority: 0, align: 'right' },
  ],
  containers: [
    { title: 'CONTAINER ID', width: 12, priority: 0 },
    { title: 'IMAGE', width: 10, flex: true, priority: 2 },
    { title: 'COMMAND', width: 12, flex: true, priority: 4 },
    { title: 'CREATED', width: 14, priority: 3 },
    { title: 'STATUS', width: 26, priority: 0 },
    // As `ctui ps`; empty until the engine publishes ports (it runs --network none|host only), so last to get room.
    { title: 'PORTS', width: 10, priority: 5 },
    { title: 'NAMES', width: 12, flex: true, priority: 1 },
    { title: 'SIZE', width: 7, priority: 2, align: 'right' },
  ],
  volumes: [
    { title: 'DRIVER', width: 6, priority: 1 },
    { title: 'VOLUME NAME', width: 20, flex: true, priority: 0 },
    { title: 'LINKS', width: 5, priority: 2, align: 'right' },
    { title: 'CREATED', width: 20, priority: 3 },
  ],
};

function statusTone(c: ContainerSummary): CellTone {
  if (c.State.Health?.Status === 'unhealthy') return 'unhealthy';
  switch (c.State.Status) {
    case 'running':
      return 'running';
    case 'paused':
    case 'restarting':
      return 'paused';
    case 'created':
      return 'created';
    case 'exited':
      // A clean exit is not a failure: only a non-zero code (a crash, a kill, a failed job) shows red.
      return c.State.ExitCode === 0 ? 'exitedOk' : 'exited';
    default:
      return 'exited';
  }
}

function row(key: string, target: string, objectId: string, cells: string[], tones: CellTone[], extra: Partial<Row> = {}): Row {
  return { key, target, objectId, cells, tones, text: cells.join(' ').toLowerCase(), ...extra };
}

export function rowsFor(pane: PaneKind, data: Data, now = Date.now()): Row[] {
  switch (pane) {
    case 'images':
      return data.images.flatMap((img) =>
        imageRows([img], true, now).map((r) => {
          const ref = r.Repository === '<none>' ? img.Id : `${r.Repository}:${r.Tag}`;
          return row(`${img.Id} ${ref}`, ref, img.Id, [r.Repository, r.Tag, r.ID, r.CreatedSince, r.Size], [undefined, undefined, 'dim', undefined, undefined], { bytes: img.Size });
        }),
      );
    case 'containers':
      return data.containers.map((c) => {
        const r = psRow(c, true, now);
        const size = data.sizes.get(c.Id);
        const running = c.State.Status === 'running' || c.State.Status === 'paused' || c.State.Status === 'restarting';
        return row(c.Id, c.Id, c.Id, [r.ID, r.Image, r.Command, r.RunningFor, r.Status, r.Ports, r.Names, size === undefined ? '' : humanSize(size)], ['dim', undefined, 'dim', undefined, statusTone(c), 'dim', undefined, 'dim'], {
          running,
          name: r.Names,
          paused: c.State.Status === 'paused',
          ...(size === undefined ? {} : { bytes: size }),
        });
      });
    case 'volumes':
      return data.volumes.map((v) => {
        const r = volumeRow(v);
        return row(v.Name, v.Name, v.Name, [r.Driver, r.Name, r.Links, r.CreatedAt.replace('T', ' ').replace(/\.\d+/, '').replace(/Z$/, ' UTC')], ['dim', undefined, undefined, 'dim']);
      });
  }
}

/** Plain, case-insensitive substring over the row's text (what the user sees, not hidden fields). */
export function filterRows(rows: readonly Row[], filter: string): readonly Row[] {
  const f = filter.trim().toLowerCase();
  return f ? rows.filter((r) => r.text.includes(f)) : rows;
}

/** Which columns fit in width, and how wide each is (flexible ones share what is left). */
export function fitColumns(cols: readonly Column[], width: number, gap = 2): Array<{ index: number; width: number }> {
  const order = cols.map((c, i) => ({ c, i })).sort((a, b) => a.c.priority - b.c.priority || a.i - b.i);
  const chosen: number[] = [];
  let used = 0;
  for (const { c, i } of order) {
    const need = c.width + (chosen.length ? gap : 0);
    if (used + need > width && chosen.length > 0) continue;
    chosen.push(i);
    used += need;
  }
  chosen.sort((a, b) => a - b);
  const flex = chosen.filter((i) => cols[i]!.flex);
  const spare = Math.max(0, width - used);
  return chosen.map((i, k) => {
    const c = cols[i]!;
    let w = c.width;
    if (c.flex && flex.length) {
      const share = Math.floor(spare / flex.length) + (flex.indexOf(i) < spare % flex.length ? 1 : 0);
      w += share;
    } else if (!flex.length && k === chosen.length - 1) w += spare;
    return { index: i, width: w };
  });
}

/** Pads or cuts a cell to exactly width columns (an ellipsis marks a cut). */
export function fit(text: string, width: number, align?: 'right'): string {
  const chars = [...text];
  if (chars.length > width) return width <= 1 ? chars.slice(0, width).join('') : chars.slice(0, width - 1).join('') + '…';
  return align === 'right' ? text.padStart(width) : text.padEnd(width);
}
