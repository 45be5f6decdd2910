/**
 * What removing images frees, as pure arithmetic over their layer lists (no store, no fs): the TUI's
 * prune and remove dialogs show it before anything goes, and recompute it on every tick and untick.
 * A layer counts once however many of the removed images have it, and not at all while an image that
 * stays has it: the same rule deleteImageLocked applies when it deletes (so the figure shown is the
 * one `image prune` reports after).
 */
export interface ImageLayers {
  readonly id: string;
  /** Its layers bottom first, by diff_id, with their unpacked size. */
  readonly layers: ReadonlyArray<{ readonly diffId: string; readonly size: number }>;
}

/** Bytes freed when every image in `removing` goes and every other one in `images` stays. */
export function freedBytes(images: readonly ImageLayers[], removing: ReadonlySet<string>): number {
  const kept = new Set<string>();
  for (const img of images) if (!removing.has(img.id)) for (const l of img.layers) kept.add(l.diffId);
  const freed = new Map<string, number>();
  for (const img of images) if (removing.has(img.id)) for (const l of img.layers) if (!kept.has(l.diffId)) freed.set(l.diffId, l.size);
  let total = 0;
  for (const size of freed.values()) total += size;
  return total;
}

/**
 * True when a's layers are a strict prefix of b's (b was made on top of a): prune keeps such a parent
 * while b stays, as docker prunes only "head" images.
 */
export function isAncestor(a: readonly string[], b: readonly string[]): boolean {
  return a.length < b.length && a.every((d, i) => b[i] === d);
}
