import { useEffect, useState } from 'react';

/**
 * Calls sample now and every `ms` while active (a tab is on screen), never otherwise: stats and top
 * cost nothing when nobody looks at them. Results accumulate through `fold`.
 */
export function usePoll<T, S>(sample: () => T, fold: (acc: S, v: T) => S, init: S, ms: number, active: boolean, key: string): S {
  const [acc, setAcc] = useState(init);
  useEffect(() => {
    setAcc(init);
    if (!active) return;
    let stopped = false;
    const tick = () => {
      if (stopped) return;
      let v: T;
      try {
        v = sample();
      } catch (err) {
        v = err as T;
      }
      setAcc((a) => fold(a, v));
    };
    tick();
    const t = setInterval(tick, ms);
    return () => {
      stopped = true;
      clearInterval(t);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- key names what is sampled
  }, [active, key, ms]);
  return acc;
}
