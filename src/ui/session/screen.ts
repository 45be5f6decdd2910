import type { IBufferCell, Terminal } from '@xterm/headless';

/** One run of equally styled characters of a terminal row, as Ink renders it. */
export interface Span {
  readonly text: string;
  readonly fg?: string | undefined;
  readonly bg?: string | undefined;
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly underline?: boolean;
  readonly inverse?: boolean;
}

const ANSI = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];
const BRIGHT = ['gray', 'redBright', 'greenBright', 'yellowBright', 'blueBright', 'magentaBright', 'cyanBright', 'whiteBright'];

/** A cell's colour as Ink (chalk) names it: the 16 ANSI names, or #rrggbb for 256-colour and true colour. */
function colour(mode: 'fg' | 'bg', c: IBufferCell): string | undefined {
  const palette = mode === 'fg' ? c.isFgPalette() : c.isBgPalette();
  const rgb = mode === 'fg' ? c.isFgRGB() : c.isBgRGB();
  const n = mode === 'fg' ? c.getFgColor() : c.getBgColor();
  if (rgb) return `#${n.toString(16).padStart(6, '0')}`;
  if (!palette) return undefined;
  if (n < 8) return ANSI[n];
  if (n < 16) return BRIGHT[n - 8];
  if (n >= 232) {
    const v = (8 + (n - 232) * 10).toString(16).padStart(2, '0');
    return `#${v}${v}${v}`;
  }
  const i = n - 16;
  const step = (x: number) => (x === 0 ? 0 : 55 + x * 40).toString(16).padStart(2, '0');
  return `#${step(Math.floor(i / 36))}${step(Math.floor(i / 6) % 6)}${step(i % 6)}`;
}

/**
 * The visible screen of a headless terminal as rows of spans (the cursor drawn inverse), so the
 * in-pane session keeps the container's colours without Ink ever seeing an escape sequence.
 */
export function screenSpans(term: Terminal, showCursor: boolean): Span[][] {
  const buf = term.buffer.active;
  const rows: Span[][] = [];
  const cell = buf.getNullCell();
  for (let y = 0; y < term.rows; y++) {
    const line = buf.getLine(buf.viewportY + y);
    const spans: Span[] = [];
    let cur: Span | undefined;
    for (let x = 0; x < term.cols; x++) {
      const c = line?.getCell(x, cell);
      if (!c) break;
      if (c.getWidth() === 0) continue; // the right half of a wide character
      const atCursor = showCursor && y === buf.cursorY && x === buf.cursorX;
      const s: Omit<Span, 'text'> = {
        fg: colour('fg', c),
        bg: colour('bg', c),
        bold: c.isBold() !== 0,
        dim: c.isDim() !== 0,
        underline: c.isUnderline() !== 0,
        inverse: (c.isInverse() !== 0) !== atCursor,
      };
      const ch = c.getChars() || ' ';
      if (cur && cur.fg === s.fg && cur.bg === s.bg && cur.bold === s.bold && cur.dim === s.dim && cur.underline === s.underline && cur.inverse === s.inverse) {
        cur = { ...cur, text: cur.text + ch };
        spans[spans.length - 1] = cur;
      } else {
        cur = { ...s, text: ch };
        spans.push(cur);
      }
    }
    rows.push(spans);
  }
  return rows;
}
