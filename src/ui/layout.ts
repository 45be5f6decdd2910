/**
 * Where things go for a terminal size. Small (80x24): the list above, the detail below. Big (at least
 * 140x34): side by side, so both get the full height. Every height is exact so the frame never scrolls.
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

export function layoutFor(cols: number, rows: number, focus: 'list' | 'detail'): Layout {
  const c = Math.max(40, cols);
  const r = Math.max(12, rows);
  const bodyHeight = r - 3; // header line, two status lines
  if (c >= 140 && r >= 34) {
    const listWidth = Math.floor(c * 0.5);
    return { wide: true, cols: c, rows: r, listRows: bodyHeight - 1, listWidth, detailWidth: c - listWidth - 1, detailHeight: bodyHeight, bodyHeight };
  }
  // The focused part gets the larger share.
  const listShare = focus === 'list' ? 0.45 : 0.3;
  const listRows = Math.max(3, Math.floor((bodyHeight - 1) * listShare));
  return { wide: false, cols: c, rows: r, listRows, listWidth: c, detailWidth: c, detailHeight: bodyHeight - 1 - listRows, bodyHeight };
}
