import { short } from './actioncontext.js';
import { rowsFor, type Data, type Row } from './state/rows.js';
import type { PaneKind } from './state/ui.js';

/**
 * The `:` line's commands, one table (k9s' and vim's command line, docker's verbs): what each takes,
 * what it completes, and what it does. Parsing and completion are pure; running goes through the
 * handler table (handlers.ts) after the named object is selected, so `:rm web` does exactly what d on
 * web's row does.
 */
export type ArgKind = 'container' | 'image' | 'volume' | 'object' | 'pane' | 'file' | 'words' | 'none';

export interface CommandDef {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly arg: ArgKind;
  /** Whether the argument may be left out (then the selection is meant). */
  readonly optional: boolean;
  readonly usage: string;
}

const cmd = (name: string, aliases: string[], arg: ArgKind, optional: boolean, usage: string): CommandDef => ({ name, aliases, arg, optional, usage });

export const COMMANDS: readonly CommandDef[] = [
  cmd('images', ['i', 'image'], 'none', true, ':images'),
  cmd('containers', ['ps', 'c', 'container'], 'none', true, ':ps'),
  cmd('volumes', ['v', 'volume'], 'none', true, ':volumes'),
  cmd('logs', ['log'], 'container', true, ':logs [CONTAINER]'),
  cmd('inspect', [], 'object', true, ':inspect [NAME]'),
  cmd('start', [], 'container', true, ':start [CONTAINER]'),
  cmd('stop', [], 'container', true, ':stop [CONTAINER]'),
  cmd('restart', [], 'container', true, ':restart [CONTAINER]'),
  cmd('pause', ['unpause'], 'container', true, ':pause [CONTAINER]'),
  cmd('rm', ['remove'], 'container', true, ':rm [CONTAINER]'),
  cmd('rmi', [], 'image', true, ':rmi [IMAGE]'),
  cmd('attach', [], 'container', true, ':attach [CONTAINER]'),
  cmd('exec', [], 'container', true, ':exec [CONTAINER]'),
  cmd('run', [], 'image', false, ':run IMAGE [CMD...]'),
  cmd('prune', [], 'pane', true, ':prune [images|containers|volumes]'),
  cmd('w', ['save'], 'file', true, ':w [FILE]'),
  cmd('help', ['?'], 'none', true, ':help'),
  cmd('quit', ['q', 'q!'], 'none', true, ':q'),
];

export function findCommand(verb: string): CommandDef | undefined {
  return COMMANDS.find((c) => c.name === verb || c.aliases.includes(verb));
}

export type Parsed = { readonly def: CommandDef; readonly args: readonly string[] } | { readonly error: string };

/** A line as a command and its arguments, or what is wrong with it (shown where it was typed). */
export function parseCommand(text: string): Parsed | undefined {
  const [verb, ...args] = text.trim().split(/\s+/).filter(Boolean);
  if (verb === undefined) return undefined;
  const def = findCommand(verb);
  if (!def) return { error: `unknown command :${verb} (tab completes; :help lists keys)` };
  if (!def.optional && args.length === 0) return { error: `usage: ${def.usage}` };
  if ((def.arg === 'none' && args.length) || (['container', 'image', 'volume', 'object', 'pane'].includes(def.arg) && def.name !== 'run' && args.length > 1)) return { error: `usage: ${def.usage}` };
  if (def.arg === 'pane' && args[0] && !['images', 'containers', 'volumes'].includes(args[0])) return { error: `usage: ${def.usage}` };
  return { def, args };
}

/** The pane an argument kind lives on. */
export function paneOf(kind: ArgKind): PaneKind | undefined {
  return kind === 'container' ? 'containers' : kind === 'image' ? 'images' : kind === 'volume' ? 'volumes' : undefined;
}

/** The row a name means on a pane: a container by name or id prefix, an image by reference or id prefix, a volume by name. */
export function findRow(pane: PaneKind, data: Data, name: string): Row | undefined {
  const rows = rowsFor(pane, data);
  const hex = name.replace(/^sha256:/, '');
  if (pane === 'containers') return rows.find((r) => r.name === name) ?? (hex.length >= 3 ? rows.find((r) => r.objectId.startsWith(hex)) : undefined);
  if (pane === 'images') {
    return rows.find((r) => r.target === name || short(r.target) === name || short(r.target) === `${name}:latest`) ?? (hex.length >= 3 ? rows.find((r) => r.objectId.replace(/^sha256:/, '').startsWith(hex)) : undefined);
  }
  return rows.find((r) => r.target === name);
}

/** Names a kind of argument can take, for completion. */
function namesFor(kind: ArgKind, data: Data): string[] {
  const containers = () => data.containers.map((c) => c.Name);
  const images = () => data.images.flatMap((i) => i.RepoTags.map(short));
  const volumes = () => data.volumes.map((v) => v.Name);
  switch (kind) {
    case 'container':
      return containers();
    case 'image':
      return images();
    case 'volume':
      return volumes();
    case 'object':
      return [...containers(), ...images(), ...volumes()];
    case 'pane':
      return ['images', 'containers', 'volumes'];
    default:
      return [];
  }
}

function commonPrefix(words: readonly string[]): string {
  if (!words.length) return '';
  let p = words[0]!;
  for (const w of words) while (!w.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/**
 * Tab on the `:` line: the longest completion of the last word (a command, then what it takes), a
 * space after a unique one; `choices` lists the candidates when there are several.
 */
export function complete(text: string, data: Data): { text: string; choices: readonly string[] } {
  const words = text.split(/\s+/);
  const last = words[words.length - 1] ?? '';
  const first = words.length === 1;
  let pool: string[];
  // Aliases that only shorten a name ("log" of "logs") would make every completion stop short.
  if (first) pool = COMMANDS.flatMap((c) => [c.name, ...c.aliases.filter((a) => /^[a-z]{2,}$/.test(a) && !COMMANDS.some((x) => x.name.startsWith(a)))]);
  else {
    const def = findCommand(words[0]!);
    if (!def || (words.length > 2 && def.name !== 'run')) return { text, choices: [] };
    if (def.name === 'run' && words.length > 2) return { text, choices: [] };
    pool = namesFor(def.arg, data);
  }
  const matches = [...new Set(pool.filter((w) => w.startsWith(last)))].sort();
  if (matches.length === 0) return { text, choices: [] };
  const head = words.slice(0, -1).join(' ');
  const done = matches.length === 1 ? matches[0]! + ' ' : commonPrefix(matches);
  return { text: (head ? head + ' ' : '') + (done.length >= last.length ? done : last), choices: matches.length > 1 ? matches : [] };
}

/** Lines kept in the `:` history. */
export const HISTORY_KEEP = 100;

/** The history with a new line at its end (a repeat of the last one is not kept twice). */
export function remember(history: readonly string[], line: string): readonly string[] {
  const t = line.trim();
  if (!t || history[history.length - 1] === t) return history;
  return [...history, t].slice(-HISTORY_KEEP);
}
