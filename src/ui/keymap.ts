/**
 * The one keymap: every action of the terminal UI with its default keys and what it does, defined
 * once. The `?` help overlay, the README's key table (scripts/keytable.mjs) and the key dispatch all
 * read this table, so they cannot drift apart. Users remap actions in $XDG_CONFIG_HOME/ctui/keys.json
 * (`{"stop": ["x"]}`); a bad file is reported once and the defaults stay.
 *
 * A description may name another action's key as {actionId} and the detach keys as {detachKeys}:
 * the help shows the keys in use (a remap changes the text too).
 *
 * Key names: a single character ("j", "G", "?"), or one of enter esc tab shift-tab space up down left
 * right pgup pgdn home end backspace, or ctrl-<char>.
 */

import { describeDetachKeys } from '../term/screen.js';
import { parseCustomCommands, type CustomCommand } from './custom.js';

/**
 * Where an action applies: global everywhere, list on the focused list, detail on the detail pane,
 * logs on its Logs tab, session inside a terminal session (every other key is the container's).
 */
export type Scope = 'global' | 'list' | 'detail' | 'logs' | 'session';

export interface ActionDef<I extends string = string, S extends Scope = Scope> {
  readonly id: I;
  readonly keys: readonly string[];
  readonly scope: S;
  readonly description: string;
  /** Defined so that the keys are reserved, implemented later (shown as "not yet" when pressed). */
  readonly reserved?: boolean;
}

// The literal types of id and scope are kept, so ActionId below is the union of every id: the key
// dispatch's handler table (handlers.ts) must have exactly one entry per id, checked by the compiler.
const def = <const I extends string, const S extends Scope>(id: I, keys: string[], scope: S, description: string, reserved = false): ActionDef<I, S> => ({ id, keys, scope, description, ...(reserved ? { reserved } : {}) });

export const ACTIONS = [
  def('quit', ['q', 'ctrl-c'], 'global', 'quit'),
  def('help', ['?'], 'global', 'this help'),
  def('nextPane', ['tab'], 'global', 'next pane'),
  def('prevPane', ['shift-tab'], 'global', 'previous pane'),
  def('images', ['1'], 'global', 'Images pane'),
  def('containers', ['2'], 'global', 'Containers pane'),
  def('volumes', ['3'], 'global', 'Volumes pane'),
  def('command', [':'], 'global', 'command line, docker verbs on names (:ps :images :volumes :logs :inspect :start :stop :restart :rm :rmi :exec :attach :run IMAGE [CMD] :prune :w FILE :q); tab completes, up/down history'),
  def('filter', ['/'], 'global', 'filter the list (or the log on the Logs tab); esc clears'),
  def('up', ['up', 'k'], 'global', 'move up'),
  def('down', ['down', 'j'], 'global', 'move down'),
  def('pageUp', ['pgup', 'ctrl-b'], 'global', 'page up'),
  def('pageDown', ['pgdn', 'ctrl-f'], 'global', 'page down'),
  def('top', ['g', 'home'], 'global', 'first row'),
  def('bottom', ['G', 'end'], 'global', 'last row (on the Logs tab: follow the end)'),
  def('details', ['enter'], 'list', 'focus the detail pane'),
  def('back', ['esc'], 'detail', 'back to the list'),
  def('prevTab', ['[', 'left'], 'detail', 'previous detail tab'),
  def('nextTab', [']', 'right'], 'detail', 'next detail tab'),
  def('logs', ['l'], 'global', 'Logs tab'),
  def('inspect', ['i'], 'global', 'Inspect tab'),
  def('copyId', ['y'], 'global', 'copy the selected id (OSC 52, works over ssh)'),
  def('stop', ['s'], 'list', 'start or stop the selection (or the marked rows)'),
  def('restart', ['R'], 'list', 'restart'),
  def('pause', ['P'], 'list', 'pause or unpause'),
  def('remove', ['d'], 'list', 'remove the selection or the marked rows (asks first)'),
  def('prune', ['p'], 'list', 'prune this pane (asks first; ticks what the CLI prune takes)'),
  def('mark', ['space'], 'list', 'mark or unmark the row'),
  def('markRange', ['V'], 'list', 'mark the range from the last mark to here'),
  def('extendDown', ['shift-down'], 'list', 'mark this row and the next, moving down (a range as you go)'),
  def('extendUp', ['shift-up'], 'list', 'mark this row and the one above, moving up'),
  def('unmarkAll', ['u'], 'list', 'clear the marks'),
  def('markAll', ['ctrl-a'], 'list', 'mark every row shown (after the filter)'),
  def('invertMarks', ['*'], 'list', 'invert the marks of the rows shown'),
  def('bulk', ['b'], 'list', 'bulk menu (Containers): stop, start, restart or remove all shown, or the marked; prune (removes ask first)'),
  def('sort', ['o'], 'list', 'sort by the next column (after the last: the order as listed); the header shows it'),
  def('reverseSort', ['O'], 'list', 'reverse the sort order'),
  def('runningOnly', ['h'], 'list', 'hide or show stopped containers'),
  def('run', ['r'], 'list', 'run a container of the image (form: name, command, detached or interactive, env, volumes)'),
  def('attach', ['a'], 'list', 'attach full screen ({detachKeys} detach; detachKeys in keys.json changes them)'),
  def('attachPane', ['A'], 'list', 'attach inside the detail pane (keys go to it while focused; {switchSession} full screen and back)'),
  def('exec', ['e'], 'list', "exec full screen: the user's login shell, editable first (remembered per image)"),
  def('execPane', ['E'], 'list', 'exec inside the detail pane, beside the live list ({switchSession} full screen and back)'),
  def('commit', ['c'], 'list', 'commit the container as an image (shows its diff first; form)'),
  def('wrap', ['w'], 'logs', 'wrap long lines on or off'),
  def('timestamps', ['t'], 'logs', 'timestamps on or off'),
  def('context', ['C'], 'logs', 'lines of context around filter matches: 0, 2, 5'),
  def('saveLogs', ['S'], 'logs', 'save the log to a file (in the current directory; :w FILE names it)'),
  def('search', ['f', 'ctrl-s'], 'logs', 'search the log (matches inverse); enter jumps to the nearest match up from the end'),
  def('searchOlder', ['n'], 'logs', 'next search match, going back in time (as n in less after ?)'),
  def('searchNewer', ['N'], 'logs', 'previous search match, toward the end'),
  def('logAmount', ['T'], 'logs', 'how much of the log to read: --tail 5000, 100, 1000, --since 10m, --since 1h'),
  def('mergedLogs', ['L'], 'global', 'one log of the marked containers (or all running ones), a coloured name column each; esc: one again'),
  def('switchSession', ['ctrl-t'], 'session', 'move the session between the detail pane and the whole terminal (a ctrl-<letter>; {detachKeys} end it)'),
  def('sessionFocus', ['ctrl-g'], 'session', 'to the list from a session in the pane, which runs on; enter or this key on the list gives it the keys back (a ctrl-<letter>)'),
] as const;

/** Every action's id. */
export type ActionId = (typeof ACTIONS)[number]['id'];
/** The actions inside a terminal session (handled by the session, not by the key table). */
export type SessionActionId = Extract<(typeof ACTIONS)[number], { scope: 'session' }>['id'];

export type Bindings = ReadonlyMap<string, readonly string[]>;

export function defaultBindings(): Map<string, readonly string[]> {
  return new Map(ACTIONS.map((a) => [a.id, a.keys]));
}

const NAMED = new Set(['enter', 'esc', 'tab', 'shift-tab', 'space', 'up', 'down', 'left', 'right', 'pgup', 'pgdn', 'home', 'end', 'backspace', 'delete', 'shift-up', 'shift-down']);

export function isKeyName(k: string): boolean {
  return NAMED.has(k) || /^ctrl-[a-z]$/.test(k) || [...k].length === 1;
}

/** docker's detach-keys format: single characters or ctrl-<a-z @ [ \\ ] ^ _>, comma separated. */
const DETACH_KEYS = /^\s*(ctrl-[a-z@[\\\]^_]|[^,\s])\s*(,\s*(ctrl-[a-z@[\\\]^_]|[^,\s])\s*)*$/i;

/**
 * Applies a keys.json text to the defaults. Returns the bindings, or the defaults and one error
 * message naming what is wrong (the UI shows it in the status line).
 */

export interface KeyConfig {
  bindings: Map<string, readonly string[]>;
  detachKeys?: string;
  /** The user's own commands (customCommands). */
  custom?: CustomCommand[];
  /** "mouse": false turns mouse reporting off (the terminal's own selection works then). */
  mouse?: boolean;
  error?: string;
}

export function parseKeyConfig(text: string, path: string): KeyConfig {
  // The reason first (the status line is one line), the full path last.
  const source = 'keys.json';
  const where = path === source ? '' : ` (${path})`;
  const bindings = defaultBindings();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { bindings, error: `${source}: not JSON (${(err as Error).message}); default keys kept${where}` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { bindings, error: `${source}: expected an object like {"stop": ["x"]}; default keys kept${where}` };
  const next = defaultBindings();
  const remapped = new Set<string>();
  let detachKeys: string | undefined;
  let custom: CustomCommand[] | undefined;
  let mouse: boolean | undefined;
  for (const [action, keys] of Object.entries(json as Record<string, unknown>)) {
    if (action === 'customCommands') {
      const r = parseCustomCommands(keys);
      if ('error' in r) return { bindings, error: `${source}: ${r.error}; default keys kept${where}` };
      custom = r.commands;
      continue;
    }
    if (action === 'mouse') {
      if (typeof keys !== 'boolean') return { bindings, error: `${source}: 'mouse' is true or false; default keys kept${where}` };
      mouse = keys;
      continue;
    }
    if (action === 'detachKeys') {
      // The sequence that leaves an attached session, as docker's "detachKeys" in its config.json.
      if (typeof keys !== 'string' || !DETACH_KEYS.test(keys)) return { bindings, error: `${source}: 'detachKeys' needs a sequence like "ctrl-p,ctrl-q"; default keys kept${where}` };
      detachKeys = keys.replace(/\s+/g, '');
      continue;
    }
    if (!next.has(action)) return { bindings, error: `${source}: unknown action '${action}'; default keys kept${where}` };
    const list = typeof keys === 'string' ? [keys] : keys;
    if (!Array.isArray(list) || list.length === 0 || !list.every((k) => typeof k === 'string' && isKeyName(k))) {
      return { bindings, error: `${source}: '${action}' needs a list of keys like ["x"] or ["ctrl-x"]; default keys kept${where}` };
    }
    // Inside a session every other key is the container's: only a control key can be ours there.
    if (ACTIONS.find((a) => a.id === action)?.scope === 'session' && !(list as string[]).every((k) => /^ctrl-[a-z]$/.test(k))) {
      return { bindings, error: `${source}: '${action}' needs ctrl-<letter> keys like ["ctrl-t"]; default keys kept${where}` };
    }
    next.set(action, list as string[]);
    remapped.add(action);
  }
  // A remap that takes another action's key: the remap applies (it is what the user wrote), and
  // the status line says which action it shadows, so nothing goes unreachable in silence.
  const clash = keyConflicts(next, remapped);
  for (const c of custom ?? []) {
    const taken = (ACTIONS as readonly ActionDef[]).find((x) => (x.scope === 'list' || x.scope === 'global') && keysOf(next, x.id).includes(c.key));
    if (taken) clash.push(`${c.key} is bound to both ${taken.id} and the custom command '${c.name}'`);
  }
  const error = clash.length ? `${source}: ${clash[0]}${clash.length > 1 ? ` (and ${clash.length - 1} more)` : ''}; rebind one${where}` : undefined;
  return { bindings: next, ...(detachKeys ? { detachKeys } : {}), ...(custom ? { custom } : {}), ...(mouse !== undefined ? { mouse } : {}), ...(error ? { error } : {}) };
}

const SCOPES_BY_CONTEXT: Record<'list' | 'detail' | 'logs', readonly Scope[]> = {
  list: ['list', 'global'],
  detail: ['detail', 'global'],
  logs: ['logs', 'detail', 'global'],
};

/** Finds the action for a key in a context; remapped keys win over a default that uses the same key. */
export function actionFor(bindings: Bindings, key: string, context: 'list' | 'detail' | 'logs'): ActionDef | undefined {
  const scopes = SCOPES_BY_CONTEXT[context];
  let fallback: ActionDef | undefined;
  for (const scope of scopes) {
    for (const a of ACTIONS) {
      if (a.scope !== scope) continue;
      const keys = bindings.get(a.id) ?? a.keys;
      if (!keys.includes(key)) continue;
      if (keys !== a.keys) return a;
      fallback ??= a;
    }
  }
  // A default key taken by a remapped action elsewhere no longer triggers its old action.
  if (fallback) {
    for (const a of ACTIONS) {
      const keys = bindings.get(a.id);
      if (keys && keys !== a.keys && keys.includes(key) && scopes.includes(a.scope)) return a;
    }
  }
  return fallback;
}

export function keysOf(bindings: Bindings, id: string): readonly string[] {
  return bindings.get(id) ?? ACTIONS.find((a) => a.id === id)?.keys ?? [];
}

/** The first key of an action, for hints ("s stop"). */
export function keyHint(bindings: Bindings, id: string): string {
  return keysOf(bindings, id)[0] ?? '';
}

const SCOPE_TITLES: Record<Scope, string> = { global: 'Everywhere', list: 'On a list', detail: 'On the detail pane', logs: 'On the Logs tab', session: 'In a terminal session' };

/** Help lines grouped by scope: [title, [[keys, description]...]]. */
export function helpSections(bindings: Bindings, detachKeys?: string): Array<{ title: string; rows: Array<[string, string]> }> {
  return (Object.keys(SCOPE_TITLES) as Scope[]).map((scope) => ({
    title: SCOPE_TITLES[scope],
    rows: ACTIONS.filter((a) => a.scope === scope).map((a) => [keysOf(bindings, a.id).join(' '), describe(a, bindings, detachKeys) + (a.reserved ? ' (not yet)' : '')]),
  }));
}

/** An action's description with the keys it names as they are bound now. */
export function describe(a: ActionDef, bindings: Bindings, detachKeys?: string): string {
  return a.description.replace(/\{(\w+)\}/g, (m, id: string) => (id === 'detachKeys' ? describeDetachKeys(detachKeys) : ACTIONS.some((x) => x.id === id) ? keyHint(bindings, id) : m));
}

/** Scopes whose keys are live at the same time (a key bound in both is ambiguous). */
function overlap(a: Scope, b: Scope): boolean {
  if (a === 'session' || b === 'session') return a === b;
  if (a === b || a === 'global' || b === 'global') return true;
  return (a === 'logs' && b === 'detail') || (a === 'detail' && b === 'logs');
}

/**
 * Keys bound to two actions that are live at once: one of them could never be reached, so the user
 * hears of it ("q is bound to both stop and quit"). Only the actions the user remapped count against
 * each other and the defaults; the defaults' own sharing is tested to be empty.
 */
export function keyConflicts(bindings: Bindings, remapped: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const defs = ACTIONS as readonly ActionDef[];
  for (let i = 0; i < defs.length; i++) {
    for (let j = i + 1; j < defs.length; j++) {
      const a = defs[i]!;
      const b = defs[j]!;
      if (remapped.size && !remapped.has(a.id) && !remapped.has(b.id)) continue;
      if (!overlap(a.scope, b.scope)) continue;
      const kb = keysOf(bindings, b.id);
      for (const k of keysOf(bindings, a.id)) if (kb.includes(k)) out.push(`${k} is bound to both ${a.id} and ${b.id}`);
    }
  }
  return out;
}

/** The README's key table (markdown), from the defaults. */
export function markdownKeyTable(): string {
  const lines = ['| keys | action | where | what it does |', '|---|---|---|---|'];
  for (const a of ACTIONS) {
    const keys = a.keys.map((k) => '`' + (k === '|' ? '\\|' : k) + '`').join(' ');
    lines.push(`| ${keys} | \`${a.id}\` | ${SCOPE_TITLES[a.scope].toLowerCase()} | ${describe(a, defaultBindings()).replace(/\|/g, '\\|')}${a.reserved ? ' (reserved: not yet)' : ''} |`);
  }
  return lines.join('\n') + '\n';
}

/** Ink's (input, key) as one of our key names. */
export interface InkKey {
  upArrow: boolean;
  downArrow: boolean;
  leftArrow: boolean;
  rightArrow: boolean;
  pageDown: boolean;
  pageUp: boolean;
  home?: boolean;
  end?: boolean;
  return: boolean;
  escape: boolean;
  ctrl: boolean;
  shift: boolean;
  tab: boolean;
  backspace: boolean;
  delete: boolean;
  meta: boolean;
}

export function keyName(input: string, k: InkKey): string {
  if (k.return) return 'enter';
  if (k.escape) return 'esc';
  if (k.tab) return k.shift ? 'shift-tab' : 'tab';
  if (k.upArrow) return k.shift ? 'shift-up' : 'up';
  if (k.downArrow) return k.shift ? 'shift-down' : 'down';
  if (k.leftArrow) return 'left';
  if (k.rightArrow) return 'right';
  if (k.pageUp) return 'pgup';
  if (k.pageDown) return 'pgdn';
  if (k.home) return 'home';
  if (k.end) return 'end';
  if (k.backspace) return 'backspace';
  if (k.delete) return 'delete';
  if (input === ' ') return 'space';
  if (k.ctrl && input.length === 1) return `ctrl-${input.toLowerCase()}`;
  return input;
}

/** The key that moves a terminal session between the pane and the whole terminal (its first binding). */
export function switchSessionKey(b: Bindings): string {
  return b.get('switchSession')?.[0] ?? 'ctrl-t';
}
