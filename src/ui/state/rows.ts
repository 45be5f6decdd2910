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
  /** What each column sorts by when its text would sort wrong (times, sizes, counts); else the cell. */
  readonly sortKeys?: readonly (string | number | undefined)[];
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
  /** The narrowest it gets (a longer cell is cut with an ellipsis). */
  readonly min: number;
  /** The widest its content makes it (what is left over stays blank at the right, as `ps` leaves it). */
  readonly max: number;
  /** Narrow terminals drop the highest numbers first. */
  readonly priority: number;
  readonly align?: 'right';
}

/**
 * The columns of `ps -a`, `images` and `volume ls`, in their order. Widths follow the content (as
 * docker's tabwriter does) between min and max; priorities say what an 80-column terminal keeps:
 * NAMES and STATUS first (what a person reads), then the id, the image and the size; CREATED,
 * COMMAND and PORTS when there is room (a 160-column terminal).
 */
export const COLUMNS: Record<PaneKind, readonly Column[]> = {
  images: [
    { title: 'REPOSITORY', min: 10, max: 40, priority: 0 },
    { title: 'TAG', min: 6, max: 20, priority: 1 },
    { title: 'IMAGE ID', min: 12, max: 12, priority: 0 },
    { title: 'CREATED', min: 12, max: 22, priority: 2 },
    { title: 'SIZE', min: 7, max: 9, priority: 0, align: 'right' },
  ],
  containers: [
    { title: 'CONTAINER ID', min: 12, max: 12, priority: 1 },
    { title: 'IMAGE', min: 8, max: 30, priority: 2 },
    { title: 'COMMAND', min: 12, max: 24, priority: 5 },
    { title: 'CREATED', min: 12, max: 22, priority: 4 },
    { title: 'STATUS', min: 20, max: 36, priority: 0 },
    // As `ctui ps`; empty until the engine publishes ports (it runs --network none|host only), so last to get room.
    { title: 'PORTS', min: 10, max: 30, priority: 6 },
    { title: 'NAMES', min: 10, max: 30, priority: 0 },
    { title: 'SIZE', min: 6, max: 8, priority: 3, align: 'right' },
  ],
  volumes: [
    { title: 'DRIVER', min: 6, max: 10, priority: 3 },
    { title: 'VOLUME NAME', min: 12, max: 40, priority: 0 },
    { title: 'LINKS', min: 5, max: 5, priority: 2, align: 'right' },
    { title: 'CREATED', min: 20, max: 20, priority: 1 },
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

/** Running, paused or restarting: what "running only" keeps (and s stops rather than starts). */
export function isUp(c: ContainerSummary): boolean {
  return c.State.Status === 'running' || c.State.Status === 'paused' || c.State.Status === 'restarting';
}

const time = (iso: string | undefined): number => (iso ? Date.parse(iso) || 0 : 0);

// Up first, then paused, restarting, created, exited, dead; within a state, the longest in it first.
const STATE_ORDER = ['running', 'paused', 'restarting', 'created', 'exited', 'dead'];
function statusKey(c: ContainerSummary): number {
  const rank = STATE_ORDER.indexOf(c.State.Status);
  const since = c.State.Status === 'created' ? time(c.Created) : c.State.Status === 'exited' || c.State.Status === 'dead' ? time(c.State.FinishedAt) : time(c.State.StartedAt);
  return (rank < 0 ? STATE_ORDER.length : rank) * 1e13 + since;
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
          const keys = [undefined, undefined, undefined, time(img.Created), img.Size];
          return row(`${img.Id} ${ref}`, ref, img.Id, [r.Repository, r.Tag, r.ID, r.CreatedSince, r.Size], [undefined, undefined, 'dim', undefined, undefined], { bytes: img.Size, sortKeys: keys });
        }),
      );
    case 'containers':
      return data.containers.map((c) => {
        const r = psRow(c, true, now);
        const size = data.sizes.get(c.Id);
        const running = isUp(c);
        return row(c.Id, c.Id, c.Id, [r.ID, r.Image, r.Command, r.RunningFor, r.Status, r.Ports, r.Names, size === undefined ? '' : humanSize(size)], ['dim', undefined, 'dim', undefined, statusTone(c), 'dim', undefined, 'dim'], {
          running,
          sortKeys: [undefined, undefined, undefined, time(c.Created), statusKey(c), undefined, undefined, size ?? -1],
          name: r.Names,
          paused: c.State.Status === 'paused',
          ...(size === undefined ? {} : { bytes: size }),
        });
      });
    case 'volumes':
      return data.volumes.map((v) => {
        const r = volumeRow(v);
        return row(v.Name, v.Name, v.Name, [r.Driver, r.Name, r.Links, volumeCreated(r.CreatedAt)], ['dim', undefined, undefined, 'dim'], { sortKeys: [undefined, undefined, v.UsedBy.length, time(v.CreatedAt)] });
      });
  }
}

/** "2024-05-01 09:58 UTC": to the minute, so that it fits its 20 columns uncut. */
function volumeCreated(iso: string): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

/** Plain, case-insensitive substring over the row's text (what the user sees, not hidden fields). */
export function filterRows(rows: readonly Row[], filter: string): readonly Row[] {
  const f = filter.trim().toLowerCase();
  return f ? rows.filter((r) => r.text.includes(f)) : rows;
}

/** The longest cell of each column (what its content asks for). */
export function contentWidths(rows: readonly Row[], columns: number): number[] {
  const w = new Array<number>(columns).fill(0);
  for (const r of rows) for (let i = 0; i < columns; i++) w[i] = Math.max(w[i]!, r.cells[i]?.length ?? 0);
  return w;
}

/**
 * Which columns fit in width, and how wide each is. A column is shown when every column of a higher
 * priority can have what its content asks for and this one its minimum; then each grows toward its
 * content in priority order. So a long name widens NAMES before a less important column appears, and
 * a wide terminal shows every column uncut; room to spare stays blank at the right (columns do not
 * spread apart).
 * `content` is each column's longest cell (the title counts too; `extra` adds to one column's, e.g.
 * room for a sort arrow).
 */
export function fitColumns(cols: readonly Column[], width: number, content: readonly number[] = [], gap = 2, extra?: { index: number; width: number }): Array<{ index: number; width: number }> {
  // The title always fits whole (with its sort arrow); the content up to the column's max.
  const want = cols.map((c, i) => Math.max(c.min, Math.min(c.max, content[i] ?? 0), c.title.length + (extra?.index === i ? extra.width : 0)));
  const order = cols.map((c, i) => ({ c, i })).sort((a, b) => a.c.priority - b.c.priority || a.i - b.i);
  const chosen: number[] = [];
  let wanted = 0;
  for (const { c, i } of order) {
    if (chosen.length > 0 && wanted + c.min + gap * chosen.length > width) continue;
    chosen.push(i);
    wanted += want[i]!;
  }
  const widths = new Map(chosen.map((i) => [i, cols[i]!.min]));
  let spare = width - gap * (chosen.length - 1) - chosen.reduce((n, i) => n + cols[i]!.min, 0);
  for (const i of [...chosen].sort((a, b) => cols[a]!.priority - cols[b]!.priority || a - b)) {
    const grow = Math.max(0, Math.min(spare, want[i]! - cols[i]!.min));
    widths.set(i, widths.get(i)! + grow);
    spare -= grow;
  }
  chosen.sort((a, b) => a - b);
  return chosen.map((i) => ({ index: i, width: widths.get(i)! }));
}

/** Pads or cuts a cell to exactly width columns (an ellipsis marks a cut). */
export function fit(text: string, width: number, align?: 'right'): string {
  const chars = [...text];
  if (chars.length > width) return width <= 1 ? chars.slice(0, width).join('') : chars.slice(0, width - 1).join('') + '…';
  return align === 'right' ? text.padStart(width) : text.padEnd(width);
}
