import { useEffect, useMemo, type Dispatch, type SetStateAction } from 'react';
import { nextRefreshIn, shownColumns, shownInstants } from '../state/clock.js';
import type { Data, Row } from '../state/rows.js';
import type { PaneKind } from '../state/ui.js';

/** Past the change, so that the render's Date.now() reads the new text. */
const SLACK_MS = 5;

/**
 * "Up 2 seconds" ages without any event: this bumps the caller's clock (its rows are rebuilt from
 * the data already read, no engine reads) when a relative time on screen would next read
 * differently: every second while a visible row shows seconds, every minute while the finest shows
 * minutes, and otherwise at most once a minute (MAX_REFRESH_MS). One timer, re-armed whenever the
 * rows, the scroll, the width or the time they were built at (`now`) change.
 */
export function useRelativeTimes(
  pane: PaneKind,
  data: Data,
  rows: readonly Row[],
  offset: number,
  height: number,
  width: number,
  now: number,
  bump: Dispatch<SetStateAction<number>>,
): void {
  const wait = useMemo(() => {
    const ids = rows.slice(offset, offset + height).map((r) => r.objectId);
    return nextRefreshIn(shownInstants(pane, data, ids, shownColumns(pane, width, rows)), now);
  }, [pane, data, rows, offset, height, width, now]);
  useEffect(() => {
    const due = now + wait;
    let t: NodeJS.Timeout;
    // A timer armed after a long render can fire early by the loop's stale clock: wait out the rest
    // rather than render a frame whose times still read the same.
    const fire = () => {
      const left = due - Date.now();
      if (left > 0) t = setTimeout(fire, left + SLACK_MS);
      else bump((n) => n + 1);
    };
    t = setTimeout(fire, Math.max(0, due - Date.now()) + SLACK_MS);
    return () => clearTimeout(t);
  }, [now, wait, bump]);
}
