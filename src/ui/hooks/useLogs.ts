import { useEffect, useRef, useState } from 'react';
import type { Engine, LogLine } from '../../core/engine.js';
import { oneLine } from '../../core/errors.js';
import { LOG_AMOUNTS, LOG_RING, plainText, Ring, type LogEntry } from '../state/logs.js';
import type { LogTarget } from '../state/ui.js';

export { LOG_RING };
/** Lines arriving in a burst are shown together, at most this often. */
const FLUSH_MS = 100;
/** A merged log waits this long at most for every container's tail before showing (they interleave by time). */
const MERGE_WAIT_MS = 1000;

/** Whose log: one container, or several merged (L). */
export interface LogSource {
  readonly targets: readonly LogTarget[];
  readonly merged: boolean;
  /** One container: whether it runs (a stopped one is read, not followed). */
  readonly running: boolean;
}

function entry(l: LogLine, source: number | undefined): LogEntry {
  const base = { time: l.time, stream: l.stream, ...(source === undefined ? {} : { source }) };
  return l.skipped !== undefined ? { ...base, text: '', skipped: l.skipped } : { ...base, text: plainText(l.text) };
}

/**
 * Follows the log while the Logs tab shows it: the last lines (LOG_AMOUNTS: --tail or --since), then
 * new ones as they come. Lines go straight into the bounded ring, and the reader is told what the ring
 * keeps (LogOptions.keep): a flooding container costs a bounded memory, never a queue of everything
 * it wrote. The first lines render at once, later ones at most every FLUSH_MS. A merged log keeps one
 * bounded queue per container and interleaves them by time at each flush. Reading stops as soon as the
 * tab, the selection or the choice changes.
 */
export function useLogs(engine: Engine, source: LogSource | undefined, active: boolean, amount: number, trace?: (mark: string) => void) {
  const ring = useRef(new Ring<LogEntry>(LOG_RING));
  const [state, setState] = useState<{ version: number; following: boolean; error?: string }>({ version: 0, following: false });
  const src = useRef(source);
  src.current = source;
  const key = source ? `${source.merged ? 'merged' : 'one'}:${source.targets.map((t) => t.id).join(',')}:${source.running}` : '';

  useEffect(() => {
    const r = new Ring<LogEntry>(LOG_RING);
    ring.current = r;
    setState({ version: 0, following: false });
    const source = src.current;
    if (!source || !active || source.targets.length === 0) return;
    trace?.('logs-open');
    const ac = new AbortController();
    const amt = LOG_AMOUNTS[amount] ?? LOG_AMOUNTS[0]!;
    const since = amt.sinceMs ? new Date(Date.now() - amt.sinceMs).toISOString() : undefined;
    const merged = source.merged;
    let timer: NodeJS.Timeout | undefined;
    let first = true;
    let open = source.targets.length;
    // Merged: each container's lines wait in their own bounded queue until the next flush.
    const queues = source.targets.map(() => new Ring<LogEntry>(LOG_RING));
    const live = source.targets.map(() => false);
    const lastTime = source.targets.map(() => '');
    let waited = false;
    const render = () => {
      timer = undefined;
      if (merged) {
        if (!waited && live.some((l) => !l)) return void (timer = setTimeout(render, FLUSH_MS));
        const all = queues.flatMap((q) => q.toArray());
        for (const q of queues) q.clear();
        // Each queue is in time order already; a stable sort interleaves them (docker compose logs does the same).
        all.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
        r.push(all);
      }
      if (first && r.length) {
        first = false;
        trace?.('logs-first');
      }
      setState((s) => ({ ...s, version: r.version, following: open > 0 && (merged || source.running) }));
    };
    const schedule = (now: boolean) => {
      if (now && first) {
        if (timer) clearTimeout(timer);
        timer = setTimeout(render, 0);
      } else timer ??= setTimeout(render, FLUSH_MS);
    };
    if (merged) setTimeout(() => {
      waited = true;
    }, MERGE_WAIT_MS).unref();
    setState({ version: 0, following: merged || source.running });
    source.targets.forEach((t, i) => {
      void (async () => {
        try {
          const lines = engine.containers.logs(t.id, {
            follow: merged || source.running,
            tail: amt.tail,
            ...(since ? { since } : {}),
            keep: LOG_RING,
            signal: ac.signal,
            onLive: () => {
              live[i] = true;
              schedule(!merged || live.every(Boolean));
            },
          });
          for await (const l of lines) {
            if (ac.signal.aborted) break;
            if (merged) {
              const e = entry(l, i);
              // A skip mark has no time of its own: it sits where the container's lines were.
              queues[i]!.push([l.time ? e : { ...e, time: lastTime[i]! }]);
              if (l.time) lastTime[i] = l.time;
            } else r.push([entry(l, undefined)]);
            schedule(!merged && r.length === 1);
          }
        } catch (err) {
          if (!ac.signal.aborted) setState((s) => ({ ...s, error: merged ? `${t.name}: ${oneLine(err)}` : oneLine(err) }));
        } finally {
          live[i] = true;
          open--;
          if (!ac.signal.aborted) schedule(true);
        }
      })();
    });
    return () => {
      ac.abort();
      if (timer) clearTimeout(timer);
      // Opened again later, the tab starts empty rather than with these lines, now stale.
      ring.current = new Ring<LogEntry>(LOG_RING);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- key stands for the source
  }, [engine, key, active, amount]);

  return { ring: ring.current, names: source?.merged ? source.targets.map((t) => t.name) : undefined, ...state };
}
