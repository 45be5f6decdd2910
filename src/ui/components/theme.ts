import type { CellTone } from '../state/rows.js';
import type { Tone } from '../state/ui.js';

/**
 * Colours, or none at all: NO_COLOR (https://no-color.org) turns every colour off; inverse and bold
 * stay, because the selection must remain visible without colour.
 */
export const noColor = (): boolean => 'NO_COLOR' in process.env && process.env.NO_COLOR !== '';

const CELL: Record<Exclude<CellTone, undefined>, string> = {
  running: 'green',
  paused: 'yellow',
  exited: 'red',
  exitedOk: 'gray',
  created: 'cyan',
  unhealthy: 'magenta',
  dim: 'gray',
};

const STATUS: Record<Tone, string> = { info: 'white', ok: 'green', error: 'red', progress: 'yellow' };

export function cellColor(t: CellTone): string | undefined {
  return t === undefined || noColor() ? undefined : CELL[t];
}

export function statusColor(t: Tone): string | undefined {
  return noColor() ? undefined : STATUS[t];
}

export function accent(): string | undefined {
  return noColor() ? undefined : 'cyan';
}
