import type { Layout } from './layout.js';
import { PANES, TAB_TITLES, TABS, type PaneKind, type TabId } from './state/ui.js';

/**
 * The mouse, as xterm reports it in SGR mode (1000 + 1006: press and release, wheel, any size of
 * screen): `ESC [ < button ; x ; y M` (press) or `m` (release), 1-based cells. Ink hands these over
 * as input text without the ESC; they are taken out before any key is looked at, so a click never
 * reaches a container or the keymap.
 */
export const MOUSE_ON = '\x1b[?1000h\x1b[?1006h';
export const MOUSE_OFF = '\x1b[?1006l\x1b[?1000l';

export interface MouseEvent {
  readonly kind: 'press' | 'release' | 'wheelUp' | 'wheelDown';
  /** 0 left, 1 middle, 2 right (press and release). */
  readonly button: number;
  readonly x: number;
  readonly y: number;
}

const SGR = /\x1b?\[<(\d+);(\d+);(\d+)([Mm])/g;

/** The mouse events in a chunk of input, or undefined when it holds none (then it is keys). */
export function parseMouse(input: string): MouseEvent[] | undefined {
  if (!input.includes('[<')) return undefined;
  const out: MouseEvent[] = [];
  let rest = input;
  for (const m of input.matchAll(SGR)) {
    const b = Number(m[1]);
    const x = Number(m[2]);
    const y = Number(m[3]);
    rest = rest.replace(m[0], '');
    // Bit 6 marks the wheel (64 up, 65 down); bits 2-4 are shift/meta/ctrl, bit 5 motion (not asked for).
    if (b & 64) out.push({ kind: (b & 1) === 0 ? 'wheelUp' : 'wheelDown', button: 0, x, y });
    else out.push({ kind: m[4] === 'M' ? 'press' : 'release', button: b & 3, x, y });
  }
  // Anything else in the chunk is not a mouse report: let it be keys.
  return out.length && rest.trim() === '' ? out : undefined;
}

/** What is under a cell of the screen. */
export type MouseTarget =
  | { readonly kind: 'pane'; readonly pane: PaneKind }
  | { readonly kind: 'row'; readonly index: number }
  | { readonly kind: 'list' }
  | { readonly kind: 'tab'; readonly tab: TabId }
  | { readonly kind: 'detail' }
  | { readonly kind: 'none' };

/** The header's pane titles as the View draws them: " 1 Images (3) " and a space after each. */
export function paneTitle(p: PaneKind, i: number, count: number | string): string {
  return ` ${i + 1} ${p === 'images' ? 'Images' : p === 'containers' ? 'Containers' : 'Volumes'} (${count}) `;
}

/**
 * Hit-tests a cell against the frame the View draws for this layout: header, list (its header line,
 * then rows from `offset`), the detail pane (its tab bar, then its body), the two status lines.
 */
export function hitTest(L: Layout, pane: PaneKind, offset: number, rowCount: number, titles: readonly string[], x: number, y: number): MouseTarget {
  if (y === 1) {
    let at = 1;
    for (let i = 0; i < PANES.length; i++) {
      const w = titles[i]!.length;
      if (x >= at && x < at + w) return { kind: 'pane', pane: PANES[i]! };
      at += w + 1;
    }
    return { kind: 'none' };
  }
  const bodyY = y - 2; // 0-based line inside the body
  if (bodyY < 0 || bodyY >= L.bodyHeight) return { kind: 'none' };
  const inList = L.wide ? x <= L.listWidth : bodyY < L.listRows + 1;
  if (inList) {
    const r = bodyY - 1;
    if (r >= 0 && r < L.listRows && offset + r < rowCount) return { kind: 'row', index: offset + r };
    return { kind: 'list' };
  }
  if (L.wide && x === L.listWidth + 1) return { kind: 'none' }; // the divider
  const dy = L.wide ? bodyY : bodyY - (L.listRows + 1);
  const dx = L.wide ? x - L.listWidth - 1 : x;
  if (dy === 0) {
    // "─ " then " Title " and "│" per tab.
    let at = 3;
    for (const t of TABS[pane]) {
      const w = TAB_TITLES[t].length + 2;
      if (dx >= at && dx < at + w) return { kind: 'tab', tab: t };
      at += w + 1;
    }
  }
  return { kind: 'detail' };
}
