import { formReducer, type Form, type FormAction, type Prompt } from '../forms/state.js';
import type { ImageLayers } from '../../core/maintenance/reclaim.js';
import { remember } from '../commandline.js';
import { emptyList, listReducer, type ListAction, type ListState, type ListView } from './list.js';

/**
 * The whole UI state as one pure reducer: which pane and tab, focus, modes (filter and command
 * input, help, dialogs), per-pane lists and filters, the Logs tab's view options and the status line.
 * Side effects (engine calls) live in ../actions.ts; this file only says what the screen shows.
 */
export type PaneKind = 'images' | 'containers' | 'volumes';
export const PANES: readonly PaneKind[] = ['images', 'containers', 'volumes'];

export type TabId = 'logs' | 'inspect' | 'history' | 'stats' | 'top' | 'mounts';
export const TABS: Record<PaneKind, readonly TabId[]> = {
  images: ['inspect', 'history'],
  containers: ['logs', 'inspect', 'stats', 'top', 'mounts'],
  volumes: ['inspect'],
};
export const TAB_TITLES: Record<TabId, string> = { logs: 'Logs', inspect: 'Inspect', history: 'History', stats: 'Stats', top: 'Top', mounts: 'Mounts' };

/** One item of a confirmation (or one entry of a menu): what goes, its size when known, ticked or not. */
export interface DialogItem {
  readonly id: string;
  readonly label: string;
  /** Bytes it frees by itself (images: the layers only it has). */
  readonly size?: number;
  readonly ticked: boolean;
  /** How the status line names it afterwards (the label without its details); the id when absent. */
  readonly name?: string;
  /**
   * Images: this item takes away one of the image's `of` names (a tag; or the image itself, of 1); the
   * image and its layers go once every one of them is ticked.
   */
  readonly frees?: { readonly image: string; readonly of: number };
}

export interface Dialog {
  /** What confirming does: remove the items, prune them, or (a menu) run the entry under the cursor. */
  readonly kind: 'remove' | 'prune' | 'menu';
  readonly pane: PaneKind;
  readonly title: string;
  readonly items: readonly DialogItem[];
  readonly cursor: number;
  /** Sizes still being measured (the dialog shows them as they come). */
  readonly measuring: boolean;
  /**
   * Images: every image's layers, the kept ones too, so that the total counts a shared layer once and
   * only when no image that stays has it (see core/maintenance/reclaim.ts).
   */
  readonly layers?: readonly ImageLayers[];
  /** Containers: running ones are killed first (d); a remove of stopped ones (the bulk menu) never kills. */
  readonly force?: boolean;
}

export type Mode =
  | { readonly kind: 'normal' }
  /** A line being typed: the list's filter, the log's filter, or the log's search (n/N). */
  | { readonly kind: 'filter'; readonly target: FilterTarget; readonly text: string; readonly before: string }
  /** The `:` line: an error stays where it was typed; `choices` are tab's candidates; `hist` the history line shown. */
  | { readonly kind: 'command'; readonly text: string; readonly error?: string; readonly choices?: readonly string[]; readonly hist?: number }
  | { readonly kind: 'help'; readonly scroll: number }
  | { readonly kind: 'dialog'; readonly dialog: Dialog }
  | { readonly kind: 'prompt'; readonly prompt: Prompt }
  | { readonly kind: 'form'; readonly form: Form }
  /** A custom command's output, live while it runs; `top` undefined follows the end. */
  | { readonly kind: 'output'; readonly output: Output };

/** The overlay of a custom command run with "output": "pane". */
export interface Output {
  readonly id: number;
  readonly title: string;
  readonly lines: readonly string[];
  readonly top?: number | undefined;
  readonly done: boolean;
}

/** Lines an output overlay keeps (a chatty command must not fill the memory). */
export const OUTPUT_KEEP = 5000;

export type Tone = 'info' | 'ok' | 'error' | 'progress';
export interface Status {
  readonly text: string;
  readonly tone: Tone;
}

export type FilterTarget = 'list' | 'logs' | 'search';

/** A container of a merged log (L): its id and the name its column shows. */
export interface LogTarget {
  readonly id: string;
  readonly name: string;
}

export interface LogView {
  readonly wrap: boolean;
  readonly timestamps: boolean;
  readonly context: 0 | 2 | 5;
  readonly filter: string;
  /**
   * Scrolled back: the number (as Ring.total counts) of the line at the top of the pane, so the view
   * stays on its lines while new ones arrive. Undefined follows the end.
   */
  readonly top?: number | undefined;
  /** Lines read when the view was scrolled back (the info line counts those that came since). */
  readonly pausedAt?: number | undefined;
  /** The search pattern (highlighted; n/N go from match to match), and the number of the current match. */
  readonly search: string;
  readonly hit?: number | undefined;
  /** How much of the log is read when it opens: an index into LOG_AMOUNTS (--tail N, --since D). */
  readonly amount: number;
  /** A merged log of these containers (L); undefined shows the selected container's. */
  readonly merged?: readonly LogTarget[] | undefined;
}

/** The log's view at the end, following (a new selection, pane or filter starts there). */
function followEnd(l: LogView): LogView {
  return { ...l, top: undefined, pausedAt: undefined, hit: undefined };
}

export interface UiState {
  readonly pane: PaneKind;
  readonly focus: 'list' | 'detail';
  readonly lists: Readonly<Record<PaneKind, ListState>>;
  readonly filters: Readonly<Record<PaneKind, string>>;
  readonly tabs: Readonly<Record<PaneKind, TabId>>;
  readonly mode: Mode;
  readonly status: Status;
  readonly log: LogView;
  /** First line shown in scrollable detail tabs (Inspect, History, Top, Mounts). */
  readonly detailScroll: number;
  /** The `:` line's earlier commands (this run of the UI), oldest first. */
  readonly history: readonly string[];
}

export function initialUi(pane: PaneKind = 'containers'): UiState {
  return {
    pane,
    focus: 'list',
    lists: { images: emptyList, containers: emptyList, volumes: emptyList },
    filters: { images: '', containers: '', volumes: '' },
    tabs: { images: 'inspect', containers: 'logs', volumes: 'inspect' },
    mode: { kind: 'normal' },
    status: { text: '', tone: 'info' },
    log: { wrap: false, timestamps: false, context: 0, filter: '', search: '', amount: 0 },
    detailScroll: 0,
    history: [],
  };
}

export type UiAction =
  | { type: 'pane'; pane: PaneKind }
  | { type: 'cyclePane'; delta: 1 | -1 }
  | { type: 'focus'; focus: 'list' | 'detail' }
  | { type: 'tab'; tab: TabId }
  | { type: 'cycleTab'; delta: 1 | -1 }
  | { type: 'list'; action: ListAction; view: ListView }
  | { type: 'startFilter'; target: FilterTarget }
  | { type: 'startCommand' }
  /** The `:` line's text replaced (history, completion) or an error shown in it; it stays open. */
  | { type: 'commandLine'; text: string; error?: string; choices?: readonly string[]; hist?: number }
  | { type: 'remember'; line: string }
  | { type: 'type'; text: string }
  | { type: 'erase' }
  /** Enter in an input: the filter stays, the command line closes (the caller runs it). */
  | { type: 'commit' }
  /** Esc in an input: the filter clears, the command line closes. */
  | { type: 'cancelInput' }
  | { type: 'clearFilter'; target: FilterTarget }
  | { type: 'help' }
  | { type: 'helpScroll'; delta: number }
  | { type: 'closeMode' }
  | { type: 'openDialog'; dialog: Dialog }
  | { type: 'dialogMove'; delta: number }
  | { type: 'dialogToggle' }
  | { type: 'dialogSizes'; sizes: ReadonlyMap<string, number>; done: boolean }
  | { type: 'openPrompt'; prompt: Prompt }
  | { type: 'openForm'; form: Form }
  | { type: 'form'; action: FormAction }
  | { type: 'status'; text: string; tone: Tone }
  | { type: 'openOutput'; id: number; title: string }
  /** Text from the command (any chunk: lines are split here); ignored once its overlay is closed. */
  | { type: 'outputText'; id: number; text: string; done?: boolean }
  | { type: 'outputScroll'; delta: number | 'start' | 'end'; height: number }
  /** Selects an object by its row key (a new container after run); the next sync moves the cursor to it. */
  | { type: 'select'; pane: PaneKind; id: string }
  | { type: 'logToggle'; what: 'wrap' | 'timestamps' }
  | { type: 'logContext' }
  /** The log's new position (computed by state/logwindow.ts, which knows the ring and the pane's size). */
  | { type: 'logScroll'; top: number | undefined; pausedAt: number | undefined }
  /** A search match to show: its number, and the position that shows it. */
  | { type: 'logHit'; hit: number; top: number | undefined; pausedAt: number | undefined }
  /** Cycles how much of the log is read (LOG_AMOUNTS). */
  | { type: 'logAmount'; count: number }
  /** Opens the merged log of these containers (focus on the Logs tab). */
  | { type: 'logMerge'; targets: readonly LogTarget[] }
  /** Esc on the Logs tab: the search goes, else the filter, else the merged log. */
  | { type: 'logBack' }
  | { type: 'detailScroll'; delta: number | 'start' | 'end'; max: number };

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n));
}

export function uiReducer(s: UiState, a: UiAction): UiState {
  switch (a.type) {
    case 'pane':
      return { ...s, pane: a.pane, focus: 'list', detailScroll: 0, log: { ...followEnd(s.log), merged: undefined } };
    case 'cyclePane': {
      const i = PANES.indexOf(s.pane);
      return uiReducer(s, { type: 'pane', pane: PANES[(i + a.delta + PANES.length) % PANES.length]! });
    }
    case 'focus':
      return { ...s, focus: a.focus };
    case 'tab':
      if (!TABS[s.pane].includes(a.tab)) return s;
      return { ...s, tabs: { ...s.tabs, [s.pane]: a.tab }, detailScroll: 0 };
    case 'cycleTab': {
      const tabs = TABS[s.pane];
      const i = tabs.indexOf(s.tabs[s.pane]);
      return { ...s, tabs: { ...s.tabs, [s.pane]: tabs[(i + a.delta + tabs.length) % tabs.length]! }, detailScroll: 0 };
    }
    case 'list': {
      const next = listReducer(s.lists[s.pane], a.action, a.view);
      if (next === s.lists[s.pane]) return s;
      // A new selection starts its detail at the top and its log at the end.
      const moved = next.selectedId !== s.lists[s.pane].selectedId;
      return { ...s, lists: { ...s.lists, [s.pane]: next }, ...(moved ? { detailScroll: 0, log: followEnd(s.log) } : {}) };
    }
    case 'startFilter': {
      // A new filter each time, as less and vim start a new search: the old one goes as the line opens.
      const before = a.target === 'logs' ? s.log.filter : a.target === 'search' ? s.log.search : s.filters[s.pane];
      const m: Mode = { kind: 'filter', target: a.target, text: '', before };
      return before ? withFilter({ ...s, mode: m }, a.target, '') : { ...s, mode: m };
    }
    case 'startCommand':
      return { ...s, mode: { kind: 'command', text: '' } };
    case 'commandLine':
      if (s.mode.kind !== 'command') return s;
      return { ...s, mode: { kind: 'command', text: a.text, ...(a.error ? { error: a.error } : {}), ...(a.choices?.length ? { choices: a.choices } : {}), ...(a.hist !== undefined ? { hist: a.hist } : {}) } };
    case 'remember':
      return { ...s, history: remember(s.history, a.line) };
    case 'type':
    case 'erase': {
      const m = s.mode;
      if (m.kind === 'prompt') {
        const text = a.type === 'type' ? m.prompt.text + a.text : [...m.prompt.text].slice(0, -1).join('');
        return { ...s, mode: { kind: 'prompt', prompt: { ...m.prompt, text } } };
      }
      if (m.kind !== 'filter' && m.kind !== 'command') return s;
      const text = a.type === 'type' ? m.text + a.text : [...m.text].slice(0, -1).join('');
      // Typing drops the error, the choices and the place in the history: it is a new line now.
      if (m.kind === 'command') return { ...s, mode: { kind: 'command', text } };
      // Filters apply as they are typed.
      return withFilter({ ...s, mode: { ...m, text } }, m.target, text);
    }
    case 'commit':
      return { ...s, mode: { kind: 'normal' } };
    case 'cancelInput': {
      const m = s.mode;
      if (m.kind === 'filter') return withFilter({ ...s, mode: { kind: 'normal' } }, m.target, '');
      return { ...s, mode: { kind: 'normal' } };
    }
    case 'clearFilter':
      return withFilter(s, a.target, '');
    case 'help':
      return { ...s, mode: s.mode.kind === 'help' ? { kind: 'normal' } : { kind: 'help', scroll: 0 } };
    case 'helpScroll':
      return s.mode.kind === 'help' ? { ...s, mode: { kind: 'help', scroll: Math.max(0, s.mode.scroll + a.delta) } } : s;
    case 'closeMode':
      return { ...s, mode: { kind: 'normal' } };
    case 'openDialog':
      return { ...s, mode: { kind: 'dialog', dialog: a.dialog } };
    case 'dialogMove':
    case 'dialogToggle':
    case 'dialogSizes': {
      if (s.mode.kind !== 'dialog') return s;
      const d = s.mode.dialog;
      let next: Dialog = d;
      if (a.type === 'dialogMove') next = { ...d, cursor: clamp(d.cursor + a.delta, 0, Math.max(0, d.items.length - 1)) };
      else if (a.type === 'dialogToggle') next = d.kind === 'menu' ? d : { ...d, items: d.items.map((it, i) => (i === d.cursor ? { ...it, ticked: !it.ticked } : it)) };
      else next = { ...d, measuring: !a.done, items: d.items.map((it) => (a.sizes.has(it.id) ? { ...it, size: a.sizes.get(it.id)! } : it)) };
      return next === d ? s : { ...s, mode: { kind: 'dialog', dialog: next } };
    }
    case 'openPrompt':
      return { ...s, mode: { kind: 'prompt', prompt: a.prompt } };
    case 'openForm':
      return { ...s, mode: { kind: 'form', form: a.form } };
    case 'form':
      return s.mode.kind === 'form' ? { ...s, mode: { kind: 'form', form: formReducer(s.mode.form, a.action) } } : s;
    case 'status':
      return { ...s, status: { text: a.text, tone: a.tone } };
    case 'openOutput':
      return { ...s, mode: { kind: 'output', output: { id: a.id, title: a.title, lines: [], done: false } } };
    case 'outputText': {
      if (s.mode.kind !== 'output' || s.mode.output.id !== a.id) return s;
      const o = s.mode.output;
      const lines = appendText(o.lines, a.text);
      return { ...s, mode: { kind: 'output', output: { ...o, lines, done: Boolean(a.done) || o.done } } };
    }
    case 'outputScroll': {
      if (s.mode.kind !== 'output') return s;
      const o = s.mode.output;
      const max = Math.max(0, o.lines.length - a.height);
      const from = o.top ?? max;
      const top = a.delta === 'start' ? 0 : a.delta === 'end' ? max : clamp(from + a.delta, 0, max);
      // Back at the end: follow it again, as the log does.
      return { ...s, mode: { kind: 'output', output: { ...o, top: top >= max ? undefined : top } } };
    }
    case 'select':
      return { ...s, pane: a.pane, focus: 'list', mode: { kind: 'normal' }, lists: { ...s.lists, [a.pane]: { ...s.lists[a.pane], selectedId: a.id } } };
    case 'logToggle':
      return { ...s, log: { ...s.log, [a.what]: !s.log[a.what] } };
    case 'logContext': {
      const next = s.log.context === 0 ? 2 : s.log.context === 2 ? 5 : 0;
      return { ...s, log: { ...s.log, context: next } };
    }
    case 'logScroll':
      return { ...s, log: { ...s.log, top: a.top, pausedAt: a.pausedAt } };
    case 'logHit':
      return { ...s, log: { ...s.log, hit: a.hit, top: a.top, pausedAt: a.pausedAt } };
    case 'logAmount':
      return { ...s, log: { ...followEnd(s.log), amount: (s.log.amount + 1) % Math.max(1, a.count) } };
    case 'logMerge':
      return { ...s, focus: 'detail', tabs: { ...s.tabs, containers: 'logs' }, log: { ...followEnd(s.log), merged: a.targets } };
    case 'logBack':
      if (s.log.search) return { ...s, log: { ...s.log, search: '', hit: undefined } };
      if (s.log.filter) return withFilter(s, 'logs', '');
      return { ...s, log: { ...followEnd(s.log), merged: undefined } };
    case 'detailScroll': {
      const top = a.delta === 'start' ? 0 : a.delta === 'end' ? a.max : clamp(s.detailScroll + a.delta, 0, a.max);
      return { ...s, detailScroll: top };
    }
  }
}

function withFilter(s: UiState, target: FilterTarget, text: string): UiState {
  if (target === 'logs') return { ...s, log: { ...followEnd(s.log), filter: text } };
  // The search highlights as it is typed; enter jumps to the nearest match (state/logwindow.ts).
  if (target === 'search') return { ...s, log: { ...s.log, search: text, hit: undefined } };
  // A new filter starts at the first match (k9s does the same): the old selection is rarely in it.
  const list = { ...s.lists[s.pane], cursor: 0, offset: 0, selectedId: undefined };
  return { ...s, filters: { ...s.filters, [s.pane]: text }, lists: { ...s.lists, [s.pane]: list } };
}

/** Lines plus a chunk of text: the last line continues until its newline comes. */
function appendText(lines: readonly string[], text: string): readonly string[] {
  if (!text) return lines;
  const parts = text.replace(/\r\n/g, '\n').split('\n');
  const out = lines.length ? [...lines.slice(0, -1), lines[lines.length - 1]! + parts[0]!, ...parts.slice(1)] : parts;
  return out.length > OUTPUT_KEEP ? out.slice(out.length - OUTPUT_KEEP) : out;
}

/** Ticked items of a dialog. */
export function ticked(d: Dialog): DialogItem[] {
  return d.items.filter((i) => i.ticked);
}
