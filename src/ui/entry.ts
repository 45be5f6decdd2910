import { createTuiHost } from '../cli/tuihost.js';
import { startTui } from './start.js';

/**
 * The terminal UI as its own bundle (dist/tui/entry.js, see scripts/bundle.mjs): the CLI's bundle is
 * one file for speed and imports this only when `ctui` runs without a verb. Only plain values cross
 * between the two (the store root, the environment), as each bundle has its own copy of the core.
 */
export function runTui(root: string, env: NodeJS.ProcessEnv): Promise<number> {
  return startTui({ root, host: createTuiHost(env, root) });
}
