import type { CellTone } from '../state/rows.js';
import type { Tone } from '../state/ui.js';

/**
 * The look of the UI in one place: every colour, the line style of the borders and how the selected
 * row shows. Components ask this module (cellColor, statusColor, accent...) instead of naming
 * colours, so a theme file (theme-file.ts) changes all of them and NO_COLOR removes all of them.
 *
 * NO_COLOR (https://no-color.org) means no colour, not no attributes: reverse, bold, underline and
 * dim stay (the selection, the current pane and tab must stay visible), so chalk keeps its level and
 * every colour is undefined here instead.
 */
export const noColor = (): boolean => 'NO_COLOR' in process.env && process.env.NO_COLOR !== '';

/** A colour as ink takes it: a name (red, cyanBright, gray...), #rgb/#rrggbb, ansi256(n), rgb(r,g,b); undefined is the terminal's own. */
export type Colour = string | undefined;

export type ToneName = Exclude<CellTone, undefined>;
export const CELL_TONES: readonly ToneName[] = ['running', 'paused', 'exited', 'exitedOk', 'created', 'unhealthy', 'dim'];
export const STATUS_TONES: readonly Tone[] = ['info', 'ok', 'error', 'progress'];

/** Lines between and around the panes. */
export type BorderStyle = 'single' | 'round' | 'bold' | 'double' | 'ascii' | 'none';
export const BORDER_STYLES: readonly BorderStyle[] = ['single', 'round', 'bold', 'double', 'ascii', 'none'];

/** The selected row of the focused list: reverse video, underline, bold, or a `>` in its gutter (bold). */
export type SelectionStyle = 'reverse' | 'underline' | 'bold' | 'marker';
export const SELECTION_STYLES: readonly SelectionStyle[] = ['reverse', 'underline', 'bold', 'marker'];

export interface Theme {
  readonly name: string;
  /** The state cells of the lists (STATUS of a container: exited is a failure, exitedOk a clean exit; ids and sizes dim). */
  readonly cells: Readonly<Record<ToneName, Colour>>;
  /** The status line's message by its tone. */
  readonly status: Readonly<Record<Tone, Colour>>;
  /** The current pane's name, titles, inputs, the focused pane's border, sparklines. */
  readonly accent: Colour;
  /** The dot of a marked row. */
  readonly mark: Colour;
  /** Log lines from stderr. */
  readonly stderr: Colour;
  readonly border: BorderStyle;
  readonly selection: SelectionStyle;
}

/** Today's look, for a dark background. */
export const DARK: Theme = {
  name: 'dark',
  cells: { running: 'green', paused: 'yellow', exited: 'red', exitedOk: 'gray', created: 'cyan', unhealthy: 'magenta', dim: 'gray' },
  status: { info: 'white', ok: 'green', error: 'red', progress: 'yellow' },
  accent: 'cyan',
  mark: 'yellow',
  stderr: 'red',
  border: 'single',
  selection: 'reverse',
};

/**
 * For a light background: no white or yellow text (unreadable on white); the terminal's own
 * foreground for plain messages.
 */
export const LIGHT: Theme = {
  name: 'light',
  cells: { running: 'green', paused: 'blue', exited: 'red', exitedOk: 'gray', created: 'cyan', unhealthy: 'magenta', dim: 'gray' },
  status: { info: undefined, ok: 'green', error: 'red', progress: 'blue' },
  accent: 'blue',
  mark: 'magenta',
  stderr: 'red',
  border: 'single',
  selection: 'reverse',
};

export const BUILT_IN: Readonly<Record<string, Theme>> = { dark: DARK, light: LIGHT };

// The theme in use: chosen once at start-up (runApp, from theme.json and CTUI_THEME), as chalk's level
// is; components read it while rendering, so the snapshot test renders the default without setup.
let active: Theme = DARK;

export function setTheme(t: Theme): void {
  active = t;
}

export function theme(): Theme {
  return active;
}

/** A colour unless NO_COLOR is set. */
function c(colour: Colour): Colour {
  return noColor() ? undefined : colour;
}

export function cellColor(t: CellTone): Colour {
  return t === undefined ? undefined : c(active.cells[t]);
}

export function statusColor(t: Tone): Colour {
  return c(active.status[t]);
}

export function accent(): Colour {
  return c(active.accent);
}

export function markColor(): Colour {
  return c(active.mark);
}

export function stderrColor(): Colour {
  return c(active.stderr);
}

/** A colour that comes from elsewhere (a container's own output in the session pane): kept, unless NO_COLOR. */
export function foreign(colour: Colour): Colour {
  return c(colour);
}

/** The characters of the borders: a horizontal and a vertical line, and the corner a pane title starts with. */
export function lines(): { readonly h: string; readonly v: string; readonly corner: string } {
  switch (active.border) {
    case 'single':
      return { h: '─', v: '│', corner: '─' };
    case 'round':
      return { h: '─', v: '│', corner: '╭' };
    case 'bold':
      return { h: '━', v: '┃', corner: '━' };
    case 'double':
      return { h: '═', v: '║', corner: '═' };
    case 'ascii':
      return { h: '-', v: '|', corner: '-' };
    case 'none':
      return { h: ' ', v: ' ', corner: ' ' };
  }
}
