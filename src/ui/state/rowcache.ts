import type { ContainerSummary } from '../../core/engine.js';
import { containerTimes, nextRefreshIn } from './clock.js';
import { rowsFor, type Data, type Row } from './rows.js';
import type { PaneKind } from './ui.js';

/** How long a built row may be reused at most, whatever its times say (a short cap keeps the search short). */
const KEEP_MS = 60_000;

interface Built {
  readonly row: Row;
  readonly size: number | undefined;
  /** The row's texts hold from `from` until `until` (ms since the epoch): its relative times read the same. */
  readonly from: number;
  readonly until: number;
}

// By summary object: a summary that reads the same as the last read is the same object (reuse.ts),
// and one that is gone takes its row with it.
const built = new WeakMap<ContainerSummary, Built>();

/**
 * rowsFor, building a container's row only when its summary, its measured size or one of its
 * relative times ("Up 2 seconds") has changed since its row was built: an event or a clock tick
 * rebuilds one or two rows of a thousand, and the other rows stay the same objects (no garbage).
 */
export function rowsReusing(pane: PaneKind, data: Data, now: number): Row[] {
  if (pane !== 'containers') return rowsFor(pane, data, now);
  return data.containers.map((c) => {
    const size = data.sizes.get(c.Id);
    const b = built.get(c);
    if (b && b.size === size && now >= b.from && now < b.until) return b.row;
    const row = rowsFor('containers', { ...data, containers: [c] }, now)[0]!;
    const t = containerTimes(c);
    built.set(c, { row, size, from: now, until: now + nextRefreshIn([t.CREATED, t.STATUS], now, KEEP_MS) });
    return row;
  });
}
