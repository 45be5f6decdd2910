import { useEffect, useRef, useState } from 'react';
import type { Engine } from '../../core/engine.js';
import { oneLine } from '../../core/errors.js';
import { plainText, Ring, type LogEntry } from '../state/logs.js';

/** Lines the Logs tab keeps (older ones drop off: a week-long log must not fill the memory). */
export const LOG_RING = 5000;
/** Lines arriving in a burst are shown together, at most this often. */
const FLUSH_MS = 100;

/**
 * Follows a container's log while the Logs tab shows it: the last LOG_RING lines, then new ones as
 * they come. Renders at most every FLUSH_MS whatever the rate of the log (a chatty container cannot
 * freeze the UI), and stops reading as soon as the tab or the selection changes.
 */
export function useLogs(engine: Engine, id: string | undefined, running: boolean, active: boolean) {
  const ring = useRef(new Ring<LogEntry>(LOG_RING));
  const [state, setState] = useState<{ version: number; following: boolean; error?: string }>({ version: 0, following: false });

  useEffect(() => {
    ring.current = new Ring<LogEntry>(LOG_RING);
    setState({ version: 0, following: false });
    if (!id || !active) return;
    const ac = new AbortController();
    let pending: LogEntry[] = [];
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      timer = undefined;
      ring.current.push(pending);
      pending = [];
      setState((s) => ({ ...s, version: ring.current.version }));
    };
    setState({ version: 0, following: running });
    void (async () => {
      try {
        for await (const l of engine.containers.logs(id, { follow: running, tail: LOG_RING, signal: ac.signal })) {
          pending.push({ time: l.time, stream: l.stream, text: plainText(l.text) });
          timer ??= setTimeout(flush, FLUSH_MS);
        }
        if (!ac.signal.aborted) {
          if (timer) clearTimeout(timer);
          flush();
          setState((s) => ({ ...s, following: false }));
        }
      } catch (err) {
        if (!ac.signal.aborted) setState((s) => ({ ...s, following: false, error: oneLine(err) }));
      }
    })();
    return () => {
      ac.abort();
      if (timer) clearTimeout(timer);
    };
  }, [engine, id, running, active]);

  return { ring: ring.current, ...state };
}
