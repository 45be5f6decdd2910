/**
 * Structural sharing between two reads of the lists: an item that reads the same as before is the
 * object from before. With 1,000 containers an event changes one or two of them; keeping the other
 * objects means they (and the rows built from them, see rowcache.ts) are not garbage a moment
 * later. Re-read data that lived past a young-generation collection was promoted and piled up in
 * the old generation between full collections: the RSS sawtooth of issue 12.
 */

/** Equality of JSON-shaped values (what the engine's summaries are): no allocation, no cycles. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let n = 0;
  for (const k in ao) {
    if (!Object.prototype.hasOwnProperty.call(ao, k)) continue;
    n++;
    if (!Object.prototype.hasOwnProperty.call(bo, k) || !sameJson(ao[k], bo[k])) return false;
  }
  for (const k in bo) if (Object.prototype.hasOwnProperty.call(bo, k)) n--;
  return n === 0;
}

/**
 * `next`, with each item that equals the previous read's item of the same key replaced by that
 * previous object; the previous array itself when nothing changed at all.
 */
export function reuseUnchanged<T>(prev: readonly T[], next: readonly T[], key: (item: T) => string): readonly T[] {
  if (prev.length === 0) return next;
  const old = new Map<string, T>();
  for (const p of prev) old.set(key(p), p);
  let changed = prev.length !== next.length;
  const out = next.map((n, i) => {
    const p = old.get(key(n));
    if (p !== undefined && sameJson(p, n)) {
      if (prev[i] !== p) changed = true;
      return p;
    }
    changed = true;
    return n;
  });
  return changed ? out : prev;
}
