import {
  BORDER_STYLES,
  BUILT_IN,
  CELL_TONES,
  DARK,
  SELECTION_STYLES,
  STATUS_TONES,
  type BorderStyle,
  type Colour,
  type SelectionStyle,
  type Theme,
  type ToneName,
} from './components/theme.js';
import type { TuiHost } from './host.js';
import type { Tone } from './state/ui.js';

/**
 * $XDG_CONFIG_HOME/ctui/theme.json: a built-in theme to start from ("extends": "dark" or "light", or
 * CTUI_THEME, which wins) and the colours and styles that differ from it:
 *
 *   {"extends": "light", "cells": {"running": "#008700"}, "status": {"error": "redBright"},
 *    "accent": "magenta", "mark": "blue", "stderr": "red", "border": "round", "selection": "marker"}
 *
 * A bad file is one error in the status line and the built-in theme, as keys.json is (parseKeyConfig).
 */

// What ink's colour prop understands (chalk's names, ink's colorize.js forms); null or "default" is the terminal's own.
const NAMES = new Set(
  ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'].flatMap((n) => [n, `${n}Bright`]).concat(['gray', 'grey']),
);

export function isColour(v: unknown): v is string | null {
  if (v === null) return true;
  if (typeof v !== 'string') return false;
  if (v === 'default' || NAMES.has(v) || /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(v)) return true;
  const n = /^ansi256\(\s?(\d+)\s?\)$/.exec(v);
  if (n) return Number(n[1]) <= 255;
  const rgb = /^rgb\(\s?(\d+),\s?(\d+),\s?(\d+)\s?\)$/.exec(v);
  return rgb !== null && rgb.slice(1).every((x) => Number(x) <= 255);
}

const colourOf = (v: string | null): Colour => (v === null || v === 'default' ? undefined : v);
const COLOUR_HINT = 'a colour like "green", "cyanBright", "#5f87af", "ansi256(67)" or null';
const KEYS = ['extends', 'cells', 'status', 'accent', 'mark', 'stderr', 'border', 'selection'];

/** The theme named by CTUI_THEME (or dark), then theme.json's text over it; with one error when something is wrong. */
export function parseTheme(text: string | undefined, path: string, envName?: string): { theme: Theme; error?: string } {
  const source = 'theme.json';
  const where = path === source ? '' : ` (${path})`;
  let base = DARK;
  if (envName) {
    const named = BUILT_IN[envName];
    if (!named) return { theme: DARK, error: `CTUI_THEME: unknown theme '${envName}' (${Object.keys(BUILT_IN).join(' or ')}); the dark theme kept` };
    base = named;
  }
  if (text === undefined) return { theme: base };
  const fail = (why: string) => ({ theme: base, error: `${source}: ${why}; the ${base.name} theme kept${where}` });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return fail(`not JSON (${(err as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail('expected an object like {"extends": "light", "accent": "blue"}');
  const o = json as Record<string, unknown>;
  const unknown = Object.keys(o).find((k) => !KEYS.includes(k));
  if (unknown) return fail(`unknown setting '${unknown}' (${KEYS.join(', ')})`);
  if (o.extends !== undefined) {
    if (typeof o.extends !== 'string' || !BUILT_IN[o.extends]) return fail(`'extends' needs ${Object.keys(BUILT_IN).map((n) => `"${n}"`).join(' or ')}`);
    // CTUI_THEME wins over the file's choice (as CTUI_DETACH_KEYS over keys.json), the file's colours still apply.
    if (!envName) base = BUILT_IN[o.extends]!;
  }
  const cells: Record<ToneName, Colour> = { ...base.cells };
  const status: Record<Tone, Colour> = { ...base.status };
  for (const [group, names, into] of [['cells', CELL_TONES, cells], ['status', STATUS_TONES, status]] as const) {
    const g = o[group];
    if (g === undefined) continue;
    if (typeof g !== 'object' || g === null || Array.isArray(g)) return fail(`'${group}' needs an object like {"${names[0]}": "green"}`);
    for (const [k, v] of Object.entries(g as Record<string, unknown>)) {
      if (!(names as readonly string[]).includes(k)) return fail(`unknown ${group} tone '${k}' (${names.join(', ')})`);
      if (!isColour(v)) return fail(`'${group}.${k}' needs ${COLOUR_HINT}`);
      (into as Record<string, Colour>)[k] = colourOf(v);
    }
  }
  const single: Partial<Record<'accent' | 'mark' | 'stderr', Colour>> = {};
  for (const k of ['accent', 'mark', 'stderr'] as const) {
    if (o[k] === undefined) continue;
    if (!isColour(o[k])) return fail(`'${k}' needs ${COLOUR_HINT}`);
    single[k] = colourOf(o[k]);
  }
  if (o.border !== undefined && !BORDER_STYLES.includes(o.border as BorderStyle)) return fail(`'border' needs one of ${BORDER_STYLES.join(', ')}`);
  if (o.selection !== undefined && !SELECTION_STYLES.includes(o.selection as SelectionStyle)) return fail(`'selection' needs one of ${SELECTION_STYLES.join(', ')}`);
  return {
    theme: {
      ...base,
      ...single,
      name: `${base.name} (theme.json)`,
      cells,
      status,
      ...(o.border === undefined ? {} : { border: o.border as BorderStyle }),
      ...(o.selection === undefined ? {} : { selection: o.selection as SelectionStyle }),
    },
  };
}

/** The user's theme through the host (the UI reads no files): theme.json if there is one, CTUI_THEME if set. */
export function loadTheme(host: Pick<TuiHost, 'readTheme'>): { theme: Theme; error?: string } {
  const t = host.readTheme();
  return parseTheme(t.text, t.source, t.name);
}
