import type { Options } from 'yargs';
import { CtuiError } from '../core/errors.js';

/**
 * Flag tables shared by yargs and by the argv splitter: docker stops parsing its own flags at the
 * image name in `run IMAGE CMD...`, so everything after it belongs to the container's command.
 */
export type FlagTable = Record<string, Options>;

export function flagTakesValue(table: FlagTable, token: string): boolean | undefined {
  const long = token.startsWith('--');
  const name = long ? token.slice(2).split('=')[0]! : token.slice(1, 2);
  for (const [key, opt] of Object.entries(table)) {
    const aliases = [key, ...([] as string[]).concat(opt.alias ?? [])];
    if (aliases.includes(name)) return opt.type !== 'boolean';
  }
  return undefined;
}

/**
 * Splits `[flags] IMAGE [CMD...]` at the image. Returns the index of the image in args, or -1.
 * Combined short flags (-it, -itd) and attached values (--name=x, -eA=B) are understood.
 */
export function findImageIndex(table: FlagTable, args: readonly string[]): number {
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!;
    if (t === '--') return i + 1 < args.length ? i + 1 : -1;
    if (!t.startsWith('-') || t === '-') return i;
    if (t.startsWith('--')) {
      if (t.includes('=')) continue;
      if (flagTakesValue(table, t)) i++;
      continue;
    }
    // short flags, possibly combined: the first one that takes a value eats the rest or the next arg
    for (let j = 1; j < t.length; j++) {
      const takes = flagTakesValue(table, `-${t[j]}`);
      if (takes) {
        if (j === t.length - 1) i++;
        break;
      }
    }
  }
  return -1;
}

export function stringList(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

export function optionalString(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

/** Stands for a lone "-" argument while yargs parses (see main.ts). */
export const STDIN_ARG = '\u0000stdin';

/** A positional as the user typed it ("-" restored). */
export function positional(v: unknown): string {
  const s = String(v);
  return s === STDIN_ARG ? '-' : s;
}

/** KEY=VALUE list to a map (a bare KEY is KEY=""), as docker's label and option flags. */
export function keyValues(list: readonly string[], flag: string, needValue: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq === 0 || (needValue && eq < 0)) throw new CtuiError(`invalid argument "${item}" for "${flag}" flag: invalid key value pair format`);
    out[eq < 0 ? item : item.slice(0, eq)] = eq < 0 ? '' : item.slice(eq + 1);
  }
  return out;
}
