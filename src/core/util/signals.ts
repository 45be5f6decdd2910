import { constants as osConstants } from 'node:os';
import { CtuiError } from '../errors.js';

/** docker's stop signals: a name (with or without SIG, any case), a number, or SIGRTMIN+n / SIGRTMAX-n. */
export function validateSignal(v: string | undefined): void {
  if (v === undefined || v === '') return;
  const s = v.toUpperCase().replace(/^(?!SIG)/, 'SIG');
  const rt = /^SIGRTM(IN|AX)([+-]\d+)?$/.exec(s);
  const num = /^\d+$/.test(v) ? Number(v) : undefined;
  const ok = num !== undefined ? num >= 1 && num <= 64 : rt ? Math.abs(Number(rt[2] ?? 0)) <= 30 : s in osConstants.signals;
  if (!ok) throw new CtuiError(`Invalid signal: ${v}`);
}
