import type { TuiHost } from './host.js';
import { boundHeapGrowth } from './memory.js';
import { importForTerminal } from './startup.js';

/** Entry of the terminal UI; loaded only when `ctui` runs without a verb (Ink and React load here, never on CLI paths). */
export interface TuiOptions {
  readonly root: string;
  /** File access the UI may not do itself (keys.json, saving logs); the CLI passes its own. */
  readonly host: TuiHost;
}

export async function startTui(opts: TuiOptions): Promise<number> {
  boundHeapGrowth();
  const { runApp } = await importForTerminal(() => import('./terminal.js'));
  return runApp(opts);
}
