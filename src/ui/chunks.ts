import type { InkKey } from './keymap.js';

const NO_KEY: InkKey = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
};

/**
 * Ink hands over whatever one read of the terminal returned as a single key: typed fast, or pasted,
 * "\tweb\r" arrives as one "key" that is neither tab, text nor enter, and was lost. This splits such
 * a chunk into the keys it holds: runs of printable text, and tab, enter, backspace and lone escape
 * as keys of their own. Returns undefined when the chunk is one key already (a single key, plain
 * text, or an escape sequence Ink has decoded: arrows and the like arrive with an empty input).
 */
export function splitChunk(input: string, k: InkKey): Array<[string, InkKey]> | undefined {
  if (input.length < 2 || k.ctrl || k.meta) return undefined;
  if (![...input].some((c) => c < ' ' || c === '\x7f')) return undefined; // plain text: one "type" of it all
  if (input.startsWith('\x1b') && input.length > 1 && input[1] !== '\x1b') return undefined; // an escape sequence
  const out: Array<[string, InkKey]> = [];
  let text = '';
  const flush = () => {
    if (text) out.push([text, NO_KEY]);
    text = '';
  };
  for (const c of input) {
    if (c >= ' ' && c !== '\x7f') {
      text += c;
      continue;
    }
    flush();
    if (c === '\t') out.push(['', { ...NO_KEY, tab: true }]);
    else if (c === '\r' || c === '\n') out.push(['', { ...NO_KEY, return: true }]);
    else if (c === '\x7f' || c === '\b') out.push(['', { ...NO_KEY, backspace: true }]);
    else if (c === '\x1b') out.push(['', { ...NO_KEY, escape: true }]);
    else out.push([String.fromCharCode(c.charCodeAt(0) + 96), { ...NO_KEY, ctrl: true }]); // ctrl-a..ctrl-z
  }
  flush();
  return out;
}
