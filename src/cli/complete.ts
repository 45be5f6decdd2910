import type { CommandDef } from './command.js';
import type { Engine } from '../core/engine.js';
import { flagTakesValue, type FlagTable } from './flags.js';
import { DEFAULT_ROOT } from './parse.js';
import { GROUPS, TOP_LEVEL } from './registry.js';

/**
 * `ctui __complete WORD... CURRENT` (hidden, as cobra's `__complete`): the candidates for the
 * last word of a command line, one per line, for the bash and zsh scripts of `ctui completion`.
 * Verbs, per-verb flags and flag values come from the same tables the parser uses (nothing to
 * keep in step by hand); container, image and volume names from the store. It never fails
 * loudly: a completion that errors would print into the user's prompt.
 */

const GLOBAL_FLAGS = ['--root', '--debug', '--help', '--version'];
/** Verbs that only make sense on a running (or paused) container. */
const RUNNING_ONLY = new Set(['stop', 'kill', 'pause', 'unpause', 'exec', 'attach', 'top', 'stats']);
const FLAG_VALUES: Readonly<Record<string, readonly string[]>> = {
  restart: ['no', 'always', 'unless-stopped', 'on-failure'],
  network: ['none', 'host', 'bridge'],
  runtime: ['ctui', 'runc', 'crun'],
  type: ['container', 'image', 'volume'],
  signal: ['KILL', 'TERM', 'INT', 'HUP', 'QUIT', 'USR1', 'USR2'],
  'stop-signal': ['TERM', 'KILL', 'INT', 'HUP', 'QUIT', 'USR1', 'USR2'],
};
/** Flags whose value is a container or a volume name. */
const FLAG_NAMES: Readonly<Record<string, 'containers' | 'volumes'>> = { 'volumes-from': 'containers', volume: 'volumes' };

type Kind = 'containers' | 'running' | 'images' | 'volumes' | 'any' | 'files' | 'none';

const nameOf = (def: CommandDef) => def.command.split(' ')[0]!;

function positionalKinds(def: CommandDef, verb: string): { kind: Kind; variadic: boolean }[] {
  return def.command.split(' ').slice(1).map((p) => {
    const name = p.replace(/[<>[\]]|\.\./g, '');
    const variadic = p.includes('..');
    let kind: Kind = 'none';
    if (name === 'container' || name === 'containers') kind = RUNNING_ONLY.has(verb) ? 'running' : 'containers';
    else if (name === 'image' || name === 'images' || name === 'source') kind = 'images';
    else if (name === 'volumes' || name === 'volume') kind = 'volumes';
    else if (name === 'names') kind = 'any';
    else if (name === 'file') kind = 'files';
    return { kind, variadic };
  });
}

function flagWords(table: FlagTable): string[] {
  const out: string[] = [];
  for (const [k, o] of Object.entries(table)) {
    for (const n of [k, ...([] as string[]).concat(o.alias ?? [])]) out.push(n.length === 1 ? `-${n}` : `--${n}`);
  }
  return [...out, '--help'];
}

/** The flag a value is being typed for, by its long name (`--restart`, `-v` → volume). */
function longName(table: FlagTable, token: string): string | undefined {
  const name = token.replace(/^--?/, '').split('=')[0]!;
  for (const [k, o] of Object.entries(table)) if (k === name || ([] as string[]).concat(o.alias ?? []).includes(name)) return k;
  return undefined;
}

async function names(kind: Kind, engine: () => Promise<Engine>): Promise<string[]> {
  if (kind === 'none' || kind === 'files') return [];
  const e = await engine();
  const out: string[] = [];
  if (kind === 'containers' || kind === 'running' || kind === 'any') {
    const up = (s: string) => s === 'running' || s === 'paused' || s === 'restarting';
    for (const c of e.containers.list({ all: true })) if (kind !== 'running' || up(c.State.Status)) out.push(c.Name);
  }
  if (kind === 'images' || kind === 'any') {
    for (const img of e.images.list()) {
      for (const t of img.RepoTags) out.push(t.replace(/^docker\.io\/(library\/)?/, ''));
    }
  }
  if (kind === 'volumes' || kind === 'any') for (const v of e.volumes.list()) out.push(v.Name);
  return out;
}

/** What to offer for words[last]; `files` asks the shell for its own file completion. */
export async function completeWords(words: readonly string[], engine: () => Promise<Engine>): Promise<{ words: string[]; files: boolean }> {
  const cur = words[words.length - 1] ?? '';
  const before = words.slice(0, -1);
  let i = 0;
  while (i < before.length && before[i]!.startsWith('-')) i += before[i] === '--root' ? 2 : 1;
  if (before[i - 1] === '--root' && i - 1 === before.length - 1) return { words: [], files: true };
  const rest = before.slice(i);
  const result = (list: readonly string[], files = false) => ({ words: [...new Set(list)].filter((w) => w.startsWith(cur)), files });

  const verbs = [...TOP_LEVEL.flatMap((d) => [nameOf(d), ...(d.aliases ?? [])]), ...Object.keys(GROUPS), 'help', 'completion'];
  if (rest.length === 0) return result(cur.startsWith('-') ? GLOBAL_FLAGS : verbs);
  let def = TOP_LEVEL.find((d) => nameOf(d) === rest[0] || d.aliases?.includes(rest[0]!));
  let args = rest.slice(1);
  let verb = rest[0]!;
  let group: string | undefined;
  if (rest[0] === 'completion') return result(args.length === 0 ? ['bash', 'zsh'] : []);
  if (rest[0] === 'help') return result(args.length === 0 ? verbs : []);
  if (!def) {
    const g = GROUPS[rest[0]!];
    if (!g) return result([]);
    if (args.length === 0) return result(g.commands.flatMap((d) => [nameOf(d), ...(d.aliases ?? [])]));
    def = g.commands.find((d) => nameOf(d) === args[0] || d.aliases?.includes(args[0]!));
    group = rest[0];
    if (!def) return result([]);
    verb = nameOf(def);
    args = args.slice(1);
  }
  // The value of a flag being typed.
  const prev = args[args.length - 1];
  if (prev && /^-/.test(prev) && !prev.includes('=') && flagTakesValue(def.flags, prev)) {
    const k = longName(def.flags, prev)!;
    if (FLAG_NAMES[k]) return result(await names(FLAG_NAMES[k], engine));
    return FLAG_VALUES[k] ? result(FLAG_VALUES[k]) : result([], true);
  }
  if (cur.startsWith('-')) return result(flagWords(def.flags));
  // Which positional this is: words that are not flags nor flag values, before the current one.
  let n = 0;
  for (let j = 0; j < args.length; j++) {
    const t = args[j]!;
    if (t.startsWith('-') && t !== '-') {
      if (!t.includes('=') && flagTakesValue(def.flags, t)) j++;
      continue;
    }
    n++;
  }
  const specs = positionalKinds(def, verb);
  const spec = specs[Math.min(n, specs.length - 1)];
  // After run/create IMAGE or exec CONTAINER come the container's command and its arguments.
  if (!spec || (n >= specs.length && !spec.variadic) || (def.splitsAtPositional && n >= 1)) return result([], true);
  if (spec.kind === 'files') return result([], true);
  // `container inspect`, `image inspect`: the group says which kind of name.
  const byGroup: Record<string, Kind> = { container: 'containers', image: 'images', volume: 'volumes' };
  const kind = spec.kind === 'any' && group && byGroup[group] ? byGroup[group]! : spec.kind;
  return result(await names(kind, engine));
}

/** Entry for main: argv after `__complete`; prints the candidates (and `:files` for file completion). */
export async function runComplete(argv: readonly string[]): Promise<void> {
  try {
    let root = process.env.CTUI_ROOT || DEFAULT_ROOT;
    // --root as the words give it (before the verb; the last word is the one being typed).
    const typed = argv.slice(0, -1);
    const r = typed.indexOf('--root');
    if (r >= 0 && typed[r + 1] !== undefined) root = typed[r + 1]!;
    const eq = typed.find((w) => w.startsWith('--root='));
    if (eq) root = eq.slice('--root='.length);
    let opened: Promise<Engine> | undefined;
    const engine = () => (opened ??= import('../core/embedded.js').then((m) => m.EmbeddedEngine.open(root)));
    const out = await completeWords(argv, engine);
    process.stdout.write(out.words.map((w) => w + '\n').join('') + (out.files ? ':files\n' : ''));
  } catch {
    /* no store, no permission: nothing to offer, and nothing printed into the user's prompt */
  }
}
