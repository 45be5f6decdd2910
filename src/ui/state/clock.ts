import type { ContainerSummary, ImageSummary } from '../../core/engine.js';
import { humanDuration } from '../../core/util/humanize.js';
import { COLUMNS, contentWidths, fitColumns, type Data, type Row } from './rows.js';
import type { PaneKind } from './ui.js';

/**
 * When the relative times on screen ("Up 2 seconds", "5 minutes ago") next read differently, so the
 * UI re-renders then and only then: every second while one shows seconds, every minute while the
 * finest shows minutes, and so on. Pure: the hook (useRowClock) arms one timer from it.
 */

/** Longest wait: a clock jump (suspend, NTP) is corrected within this, and one render a minute is free. */
export const MAX_REFRESH_MS = 60_000;

/**
 * Milliseconds from `elapsed` (ms) until humanDuration's text changes. Asks humanDuration itself
 * rather than restating its units: its text depends on whole seconds only, and each text covers one
 * unbroken span of them, so the first second that reads differently is found by doubling, then
 * bisecting. Returns `cap` when nothing changes before it.
 */
export function msUntilTextChange(elapsed: number, cap = MAX_REFRESH_MS): number {
  if (!Number.isFinite(elapsed)) return cap;
  const text = humanDuration(elapsed);
  // Whole seconds from here to the next second boundary (or to 0 for a time in the future).
  const base = Math.floor(elapsed / 1000) * 1000;
  const changedAt = (k: number) => humanDuration(base + k * 1000) !== text;
  const capSteps = Math.ceil((cap + elapsed - base) / 1000);
  let same = 0;
  let differs = 1;
  while (!changedAt(differs)) {
    if (differs >= capSteps) return cap;
    same = differs;
    differs = Math.min(differs * 2, capSteps);
  }
  while (differs - same > 1) {
    const mid = Math.floor((same + differs) / 2);
    if (changedAt(mid)) differs = mid;
    else same = mid;
  }
  return Math.min(cap, base + differs * 1000 - elapsed);
}

/** Milliseconds from now until any of these instants (ms since the epoch) shows a different relative time. */
export function nextRefreshIn(instants: readonly number[], now: number, cap = MAX_REFRESH_MS): number {
  let next = cap;
  for (const t of instants) if (Number.isFinite(t) && t > 0) next = Math.min(next, msUntilTextChange(now - t, cap));
  return next;
}

const ms = (iso: string | undefined): number => (iso ? Date.parse(iso) : NaN);

/** The instants a container's row shows as relative times, by column (as psRow and statusText make them). */
export function containerTimes(c: ContainerSummary): { readonly CREATED: number; readonly STATUS: number } {
  const s = c.State;
  const status = s.Status === 'running' || s.Status === 'paused' ? ms(s.StartedAt) : s.Status === 'restarting' || s.Status === 'exited' ? ms(s.FinishedAt) : NaN;
  return { CREATED: ms(c.Created), STATUS: status };
}

/**
 * Columns of this pane that fit in width, by title. The table's mark gutter leaves it a little less:
 * a column counted here that the table then drops only costs a render, never a stale time.
 */
export function shownColumns(pane: PaneKind, width: number, rows: readonly Row[] = []): ReadonlySet<string> {
  // The same fitting as the Table's (widths follow the rows' content), less its mark gutter.
  const cols = COLUMNS[pane];
  return new Set(fitColumns(cols, width - 2, contentWidths(rows, cols.length)).map((f) => cols[f.index]!.title));
}

/**
 * The relative-time instants the visible rows show (ids: their objects' ids), counting only the
 * columns on screen: a created container's "5 seconds ago" in a CREATED column too narrow to show
 * costs no render a second.
 */
export function shownInstants(pane: PaneKind, data: Data, ids: readonly string[], columns: ReadonlySet<string>): number[] {
  const out: number[] = [];
  if (pane === 'containers') {
    const want = new Set(ids);
    for (const c of data.containers as readonly ContainerSummary[]) {
      if (!want.has(c.Id)) continue;
      const t = containerTimes(c);
      if (columns.has('CREATED')) out.push(t.CREATED);
      if (columns.has('STATUS')) out.push(t.STATUS);
    }
  } else if (pane === 'images' && columns.has('CREATED')) {
    const want = new Set(ids);
    for (const i of data.images as readonly ImageSummary[]) if (want.has(i.Id)) out.push(ms(i.Created));
  }
  // Volumes show their creation as a date, not as a time ago.
  return out;
}
