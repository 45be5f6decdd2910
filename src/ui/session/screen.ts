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

/** A cell's style as SGR parameters (";1;38;5;208"), "" for the default. */
function sgr(c: IBufferCell): string {
  let s = '';
  if (c.isBold()) s += ';1';
  if (c.isDim()) s += ';2';
  if (c.isItalic()) s += ';3';
  if (c.isUnderline()) s += ';4';
  if (c.isInverse()) s += ';7';
  if (c.isInvisible()) s += ';8';
  if (c.isStrikethrough()) s += ';9';
  const col = (n: number, rgb: boolean, palette: boolean, base: number, bright: number) => {
    if (rgb) return `;${base + 8};2;${(n >> 16) & 255};${(n >> 8) & 255};${n & 255}`;
    if (!palette) return '';
    if (n < 8) return `;${base + n}`;
    if (n < 16) return `;${bright + n - 8}`;
    return `;${base + 8};5;${n}`;
  };
  s += col(c.getFgColor(), c.isFgRGB(), c.isFgPalette(), 30, 90);
  s += col(c.getBgColor(), c.isBgRGB(), c.isBgPalette(), 40, 100);
  return s;
}

/**
 * The visible screen of a headless terminal as what draws it again on a real one: its rows with
 * their colours, down to the cursor's or the last one drawn (blank ends left out), then the cursor
 * put back where it is. A session moving from the pane to the whole terminal shows what it showed.
 */
export function screenAnsi(term: Terminal): string {
  const buf = term.buffer.active;
  const cell = buf.getNullCell();
  const rows: string[] = [];
  let lastRow = buf.cursorY;
  for (let y = 0; y < term.rows; y++) {
    const line = buf.getLine(buf.viewportY + y);
    if (!line) break;
    // The row up to its last cell that shows something (a character, a background, inverse).
    let end = 0;
    for (let x = 0; x < term.cols; x++) {
      const c = line.getCell(x, cell);
      if (c && ((c.getChars() !== '' && c.getChars() !== ' ') || !c.isBgDefault() || c.isInverse())) end = x + 1;
    }
    let out = '';
    let style = '';
    for (let x = 0; x < end; x++) {
      const c = line.getCell(x, cell);
      if (!c || c.getWidth() === 0) continue;
      const s = sgr(c);
      if (s !== style) out += `\x1b[0${s}m`;
      style = s;
      out += c.getChars() || ' ';
    }
    if (style) out += '\x1b[0m';
    rows.push(out);
    if (end > 0) lastRow = Math.max(lastRow, y);
  }
  const up = lastRow - buf.cursorY;
  return rows.slice(0, lastRow + 1).join('\r\n') + (up > 0 ? `\x1b[${up}A` : '') + '\r' + (buf.cursorX > 0 ? `\x1b[${buf.cursorX}C` : '');
}
