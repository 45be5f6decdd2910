import yargsParser from 'yargs-parser';
import { CtuiError } from '../core/errors.js';
import type { CommandDef } from './command.js';
import { STDIN_ARG, findImageIndex, flagTakesValue, type FlagTable } from './flags.js';
import { GROUPS, TOP_LEVEL } from './registry.js';

/**
 * The command line, parsed with yargs-parser (the parser inside yargs) against the same flag tables
 * yargs renders help from. yargs itself (~230 kB) loads only for --help: a container start has ~30 ms
 * of budget above Node's own start-up, and loading yargs alone took 20 ms of it.
 */

export const DEFAULT_ROOT = '/var/lib/ctui';

export interface Globals {
  readonly root: string;
  readonly debug: boolean;
  readonly help: boolean;
}

export type Parsed =
  | { readonly kind: 'tui'; readonly globals: Globals }
  | { readonly kind: 'help'; readonly globals: Globals; readonly path: readonly string[] }
  | { readonly kind: 'command'; readonly globals: Globals; readonly def: CommandDef; readonly verb: string; readonly args: Record<string, unknown>; readonly trailing: readonly string[] };

const nameOf = (def: CommandDef) => def.command.split(' ')[0]!;

function findDef(defs: readonly CommandDef[], word: string | undefined): CommandDef | undefined {
  if (word === undefined) return undefined;
  return defs.find((d) => nameOf(d) === word || d.aliases?.includes(word));
}

function usage(verb: string, text: string): CtuiError {
  return new CtuiError(`${verb ? verb + ': ' : ''}${text} (see 'ctui ${verb ? verb + ' ' : ''}--help')`, 125);
}

/** Global flags come before the verb, as docker's do. */
export function parseGlobals(argv: readonly string[]): { globals: Globals; rest: string[] } {
  let root = process.env.CTUI_ROOT || DEFAULT_ROOT;
  let debug = false;
  let help = false;
  let i = 0;
  for (; i < argv.length; i++) {
    const t = argv[i]!;
    if (t === '--root') {
      if (i + 1 >= argv.length) throw usage('', 'flag needs an argument: --root');
      root = argv[++i]!;
    } else if (t.startsWith('--root=')) root = t.slice(7);
    else if (t === '--debug' || t === '-D') debug = true;
    else if (t === '--help' || t === '-h') help = true;
    else if (t.startsWith('-')) throw usage('', `unknown flag: ${t}`);
    else break;
  }
  return { globals: { root, debug, help }, rest: argv.slice(i) };
}

/** Maps yargs-parser's positionals onto the command string ('rm <containers..>', 'tag <a> <b>'). */
function bindPositionals(def: CommandDef, verb: string, positionals: readonly string[], out: Record<string, unknown>): void {
  const specs = def.command.split(' ').slice(1).map((p) => ({
    name: p.replace(/[<>[\]]|\.\./g, ''),
    required: p.startsWith('<'),
    variadic: p.includes('..'),
  }));
  let i = 0;
  for (const spec of specs) {
    if (spec.variadic) {
      const rest = positionals.slice(i);
      if (spec.required && rest.length === 0) break;
      out[spec.name] = rest;
      i = positionals.length;
    } else if (i < positionals.length) out[spec.name] = positionals[i++];
  }
  const required = specs.filter((s) => s.required).length;
  if (positionals.length < required) {
    throw usage(verb, `"ctui ${verb}" requires at least ${required} argument${required === 1 ? '' : 's'}`);
  }
  if (i < positionals.length) throw usage(verb, `unexpected argument: ${positionals[i]}`);
}

function knownFlags(table: FlagTable): Set<string> {
  const names = new Set<string>();
  for (const [k, o] of Object.entries(table)) {
    names.add(k);
    for (const a of ([] as string[]).concat(o.alias ?? [])) names.add(a);
  }
  return names;
}

export function parseFlags(table: FlagTable, verb: string, args: readonly string[]): { flags: Record<string, unknown>; positionals: string[] } {
  const opts: yargsParser.Options = { alias: {}, boolean: [], string: [], array: [], number: [], default: {} };
  for (const [k, o] of Object.entries(table)) {
    if (o.alias) opts.alias![k] = ([] as string[]).concat(o.alias);
    if (o.type === 'boolean') (opts.boolean as string[]).push(k);
    if (o.type === 'string') (opts.string as string[]).push(k);
    if (o.type === 'number') (opts.number as string[]).push(k);
    if (o.array) (opts.array as string[]).push(k);
    if (o.default !== undefined) opts.default![k] = o.default;
  }
  opts.configuration = {
    'camel-case-expansion': false,
    'greedy-arrays': false,
    'strip-aliased': false,
    'dot-notation': false,
    'parse-numbers': false,
    'parse-positional-numbers': false,
    'boolean-negation': false,
    'duplicate-arguments-array': true,
  };
  const parsed = yargsParser(args.map((t) => (t === '-' ? STDIN_ARG : t)), opts);
  const known = knownFlags(table);
  for (const key of Object.keys(parsed)) {
    if (key === '_' || key === '--' || known.has(key)) continue;
    throw usage(verb, `unknown flag: ${key.length === 1 ? '-' : '--'}${key}`);
  }
  for (const [k, o] of Object.entries(table)) {
    const v = parsed[k];
    if (o.type === 'number' && v !== undefined && (typeof v !== 'number' || Number.isNaN(v))) {
      throw usage(verb, `invalid argument for "--${k}" flag: not a number`);
    }
    // docker: a repeated single-value flag keeps the last value
    if (o.type === 'string' && !o.array && Array.isArray(v)) parsed[k] = v[v.length - 1];
  }
  const last = args[args.length - 1];
  if (last && /^-(-[^=]+|[^-])$/.test(last) && flagTakesValue(table, last)) throw usage(verb, `flag needs an argument: ${last}`);
  const positionals = (parsed._ as Array<string | number>).map(String);
  return { flags: parsed as Record<string, unknown>, positionals };
}

export function parseCommandLine(argv: readonly string[]): Parsed {
  const { globals, rest } = parseGlobals(argv);
  if (rest.length === 0) return globals.help ? { kind: 'help', globals, path: [] } : { kind: 'tui', globals };
  if (rest[0] === 'help') return { kind: 'help', globals, path: rest.slice(1) };
  let def = findDef(TOP_LEVEL, rest[0]);
  let verbLen = 1;
  if (!def) {
    const group = GROUPS[rest[0]!];
    if (!group) throw new CtuiError(`'${rest[0]}' is not a ctui command (see 'ctui --help')`, 125);
    if (rest.length === 1 || rest[1] === '--help' || rest[1] === '-h') return { kind: 'help', globals, path: rest.slice(0, 1) };
    def = findDef(group.commands, rest[1]);
    if (!def) throw usage(rest[0]!, `unknown command: ${rest[1]}`);
    verbLen = 2;
  }
  const verb = rest.slice(0, verbLen).join(' ');
  let args = rest.slice(verbLen);
  let trailing: string[] = [];
  if (def.splitsAtPositional) {
    const idx = findImageIndex(def.flags, args);
    if (idx >= 0) {
      trailing = args.slice(idx + 1);
      args = args.slice(0, idx + 1).filter((t, i) => !(t === '--' && i === idx - 1));
    }
  }
  // -h is --help, except where docker gives it another meaning (run -h = --hostname).
  if (args.includes('--help') || (args.includes('-h') && !knownFlags(def.flags).has('h'))) {
    return { kind: 'help', globals, path: rest.slice(0, verbLen) };
  }
  const { flags, positionals } = parseFlags(def.flags, verb, args);
  const bound: Record<string, unknown> = { ...flags };
  bindPositionals(def, verb, positionals, bound);
  return { kind: 'command', globals, def, verb, args: bound, trailing };
}
