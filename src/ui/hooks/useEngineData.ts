import { useCallback, useEffect, useRef, useState } from 'react';
import type { Engine } from '../../core/engine.js';
import { oneLine } from '../../core/errors.js';
import type { Data } from '../state/rows.js';
import { reuseUnchanged } from '../state/reuse.js';

/** Reads the three lists; an unreadable store is an error on screen, not a crash. */
export function loadData(engine: Engine, sizes: ReadonlyMap<string, number> = new Map()): Data {
  try {
    return { images: engine.images.list(), containers: engine.containers.list({ all: true }), volumes: engine.volumes.list(), sizes };
  } catch (err) {
    return { images: [], containers: [], volumes: [], sizes, error: oneLine(err) };
  }
}

/**
 * The lists as read now, sharing every item that reads the same as in `prev` (reuse.ts): an event
 * about one container leaves the other 999 summaries, and the rows built from them, as they were.
 */
export function reloadData(prev: Data, engine: Engine, sizes: ReadonlyMap<string, number>): Data {
  const next = loadData(engine, sizes);
  return {
    ...next,
    images: reuseUnchanged(prev.images, next.images, (i) => i.Id),
    containers: reuseUnchanged(prev.containers, next.containers, (c) => c.Id),
    volumes: reuseUnchanged(prev.volumes, next.volumes, (v) => v.Name),
  };
}

/** Coalescing window for bursts of events (a prune or a bulk stop writes many at once). */
const COALESCE_MS = 80;

/**
 * The lists, re-read when the core's event log says something changed (in this process or any other
 * ctui, or a monitor), never on a timer: when nothing happens, nothing runs. Returns the data, a
 * function to re-read now (after our own actions) and a counter of reloads (details depend on it).
 */
export function useEngineData(engine: Engine, onEvent?: () => void): { data: Data; reload: () => void; generation: number; measure: (ids: readonly string[]) => void } {
  const [state, setState] = useState(() => ({ data: loadData(engine), generation: 0 }));
  const sizes = useRef(new Map<string, number>());
  const reload = useCallback(() => {
    setState((s) => ({ data: reloadData(s.data, engine, sizes.current), generation: s.generation + 1 }));
  }, [engine]);

  // Writable-layer sizes, measured only for the rows on screen and only once per container until an
  // event about it says it changed: walking 1,000 upper dirs on every refresh would cost more than
  // the whole frame.
  const measuring = useRef(new Set<string>());
  const measure = useCallback((ids: readonly string[]) => {
    const todo = ids.filter((id) => !sizes.current.has(id) && !measuring.current.has(id));
    if (todo.length === 0) return;
    for (const id of todo) measuring.current.add(id);
    void (async () => {
      for (const id of todo) {
        try {
          sizes.current.set(id, await engine.containers.size(id));
        } catch {
          /* gone meanwhile: the next reload drops its row */
        }
        measuring.current.delete(id);
      }
      setState((s) => ({ data: { ...s.data, sizes: new Map(sizes.current) }, generation: s.generation }));
    })();
  }, [engine]);

  useEffect(() => {
    const ac = new AbortController();
    let queued: NodeJS.Timeout | undefined;
    void (async () => {
      try {
        // since: now, or the whole past log would replay on start.
        for await (const e of engine.events({ follow: true, since: Date.now() * 1e6, signal: ac.signal })) {
          if (e.type === 'container') sizes.current.delete(e.id);
          queued ??= setTimeout(() => {
            queued = undefined;
            reload();
            onEvent?.();
          }, COALESCE_MS);
        }
      } catch {
        /* the stream ends with the app */
      }
    })();
    return () => {
      ac.abort();
      if (queued) clearTimeout(queued);
    };
  }, [engine, reload, onEvent]);

  return { data: state.data, reload, generation: state.generation, measure };
}
