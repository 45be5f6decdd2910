/**
 * Where things go for a terminal size. Up to 199 columns the list is above the detail, at the full
 * width (so a 160-column terminal shows every column of `ps -a`); from 200x34 on they sit side by
 * side, each half still wide enough for the main columns. Every height is exact so the frame never
 * scrolls. Below MIN_COLS x MIN_ROWS nothing fits usefully: the View says so instead.
 */
export interface Layout {
  readonly wide: boolean;
  readonly cols: number;
  readonly rows: number;
  /** Data rows of the list (its header is one more line). */
  readonly listRows: number;
  readonly listWidth: number;
  readonly detailWidth: number;
  /** Lines of the detail pane, tab bar included. */
  readonly detailHeight: number;
  /** Lines between the header and the status line (overlays take all of it). */
  readonly bodyHeight: number;
}

/** The smallest terminal the UI draws in: a list of three rows with NAMES and STATUS, a detail of three lines. */
export const MIN_COLS = 40;
export const MIN_ROWS = 10;

export function tooSmall(cols: number, rows: number): boolean {
  return cols < MIN_COLS || rows < MIN_ROWS;
}

export function layoutFor(cols: number, rows: number, focus: 'list' | 'detail'): Layout {
  const c = Math.max(MIN_COLS, cols);
  const r = Math.max(MIN_ROWS, rows);
  const bodyHeight = r - 3; // header line, two status lines
  if (c >= 200 && r >= 34) {
    const listWidth = Math.floor(c * 0.5);
    return { wide: true, cols: c, rows: r, listRows: bodyHeight - 1, listWidth, detailWidth: c - listWidth - 1, detailHeight: bodyHeight, bodyHeight };
  }
  // The focused part gets the larger share.
  const listShare = focus === 'list' ? 0.45 : 0.3;
  const listRows = Math.max(3, Math.floor((bodyHeight - 1) * listShare));
  return { wide: false, cols: c, rows: r, listRows, listWidth: c, detailWidth: c, detailHeight: bodyHeight - 1 - listRows, bodyHeight };
}
