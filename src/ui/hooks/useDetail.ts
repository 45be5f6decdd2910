import { useMemo } from 'react';
import type { Engine, StatsSample } from '../../core/engine.js';
import { oneLine } from '../../core/errors.js';
import { historyRows, inspectLines, mountRows, statsPoint, type StatsPoint } from '../detail.js';
import type { DetailData } from '../panes/types.js';
import type { Row } from '../state/rows.js';
import type { LogView, PaneKind, TabId } from '../state/ui.js';
import { useLogs } from './useLogs.js';
import { usePoll } from './usePoll.js';

const STATS_KEEP = 300;

interface StatsAcc {
  readonly prev?: StatsSample;
  readonly points: readonly StatsPoint[];
  readonly error?: string;
}

/**
 * The selection's details for the tab on screen. Only the visible tab does work: Logs follows, Stats
 * samples every second, Top every two; Inspect, History and Mounts are read once per change of the
 * selection or of the store (generation counts the store's changes).
 */
export function useDetail(engine: Engine, pane: PaneKind, tab: TabId, row: Row | undefined, generation: number, log?: { view: LogView; trace?: (mark: string) => void }): DetailData | undefined {
  const id = row?.objectId;
  const isC = pane === 'containers';
  // The Logs tab: the selected container's log, or the merged one (L).
  const merged = log?.view.merged;
  const source = !isC ? undefined : merged?.length ? { targets: merged, merged: true, running: true } : id ? { targets: [{ id, name: row?.name ?? id }], merged: false, running: Boolean(row?.running) } : undefined;
  const logs = useLogs(engine, source, isC && tab === 'logs', log?.view.amount ?? 0, log?.trace);
  const stats = usePoll<StatsSample | Error, StatsAcc>(
    () => engine.containers.stats(id!),
    (acc, v) => (v instanceof Error ? { ...acc, error: oneLine(v) } : { prev: v, points: [...acc.points, statsPoint(acc.prev, v)].slice(-STATS_KEEP) }),
    { points: [] },
    1000,
    isC && tab === 'stats' && id !== undefined && Boolean(row?.running),
    `${id}`,
  );
  const top = usePoll<{ titles: string[]; rows: string[][] } | Error, NonNullable<DetailData['top']> | undefined>(
    () => engine.containers.top(id!),
    (_acc, v) => (v instanceof Error ? { titles: [], rows: [], error: oneLine(v) } : v),
    undefined,
    2000,
    isC && tab === 'top' && id !== undefined && Boolean(row?.running),
    `${id}`,
  );
  const once = useMemo(() => {
    if (!row) return undefined;
    try {
      if (tab === 'inspect') return { inspect: inspectLines(engine, pane, row) };
      if (tab === 'history' && pane === 'images') return { history: historyRows(engine, row.objectId) };
      if (tab === 'mounts' && isC) return { mounts: mountRows(engine, row.objectId) };
    } catch (err) {
      return { error: oneLine(err) };
    }
    return {};
    // eslint-disable-next-line react-hooks/exhaustive-deps -- generation: re-read when the store changed
  }, [engine, pane, tab, row?.key, generation]);
  if (!row) return undefined;
  const title = merged?.length && tab === 'logs' ? `merged: ${merged.map((t) => t.name).join(', ')}` : pane === 'containers' ? (row.name ?? row.target) : row.target;
  const notRunning = isC && !row.running ? `${title} is not running` : undefined;
  return {
    title,
    ...once,
    logs: { ring: logs.ring, version: logs.version, following: logs.following, names: logs.names, ...(logs.error ? { error: logs.error } : {}) },
    stats: notRunning ? { points: [], error: notRunning } : { points: stats.points, ...(stats.error ? { error: stats.error } : {}) },
    ...(top || notRunning ? { top: notRunning ? { titles: [], rows: [], error: notRunning } : top! } : {}),
  };
}
