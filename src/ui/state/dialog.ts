import { freedBytes } from '../../core/maintenance/reclaim.js';
import { ticked, type Dialog } from './ui.js';

/**
 * What a dialog says about itself, as pure functions of its state: the bytes the ticked set frees,
 * its hint line and what esc reports. Dialog.tsx and the status line read these; tests call them.
 */

/** The images that go when the dialog's ticked items are confirmed: all of an image's names ticked. */
export function goingImages(d: Dialog): Set<string> {
  const count = new Map<string, { ticked: number; of: number }>();
  for (const it of d.items) {
    if (!it.frees) continue;
    const c = count.get(it.frees.image) ?? { ticked: 0, of: it.frees.of };
    if (it.ticked) c.ticked++;
    count.set(it.frees.image, c);
  }
  return new Set([...count].filter(([, c]) => c.ticked >= c.of).map(([id]) => id));
}

/**
 * Bytes the ticked items free. Images: the layers only going images have, each once (what
 * `image prune` reports after); otherwise the sum of the ticked items' measured sizes.
 */
export function dialogTotal(d: Dialog): number {
  if (d.layers) return freedBytes(d.layers, goingImages(d));
  return ticked(d).reduce((n, i) => n + (i.size ?? 0), 0);
}

/** The bottom hint line while the dialog is open. */
export function dialogHint(d: Dialog): string {
  if (d.kind === 'menu') return 'j/k move  enter choose  esc cancel';
  return `space untick/tick  j/k move  enter ${d.kind} the ticked  esc cancel`;
}

/** What esc says: nothing was done. */
export function dialogCancelText(d: Dialog): string {
  return d.kind === 'menu' ? 'cancelled: nothing done' : `cancelled: nothing ${d.kind === 'prune' ? 'pruned' : 'removed'}`;
}
