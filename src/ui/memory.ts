import * as v8 from 'node:v8';

/**
 * How far V8 lets the old generation grow past what was live after a full collection, for the TUI.
 * V8's own factor (up to 4x for a small heap that collects fast) suits a short-lived process; the
 * UI lives for days and every store event leaves some promoted garbage (the React tree of the last
 * frames), so its RSS rose in a sawtooth of ~25 % (120 -> 150 MiB, 1,000 containers under churn)
 * between collections. 20 % keeps it within a few percent; a full collection of the UI's ~15 MiB
 * heap is a few ms, and an idle UI allocates nothing, so it collects nothing (issue 12).
 *
 * The flag is read at each full collection (V8's MemoryController), so setting it at run time takes
 * effect at the next one. The CLI's commands keep V8's default: they are short and allocate in bursts.
 */
const HEAP_GROWING_PERCENT = 20;

export function boundHeapGrowth(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
