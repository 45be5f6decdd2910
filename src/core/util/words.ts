import { CtuiError } from '../errors.js';

/**
 * Splits a command line into words as a shell would for the simple cases people type: spaces
 * separate, single and double quotes group (`a=b "c d"=e`), backslash escapes. No expansion of any
 * kind: the words become argv, never input to a shell of ours. Used by docker's `--change`
 * instructions and by the TUI's forms and exec prompt.
 */
export function splitWords(input: string): string[] {
  const words: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let inWord = false;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"' && i + 1 < input.length) cur += input[++i];
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < input.length) {
      cur += input[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (quote) throw new CtuiError(`unterminated ${quote} quote in: ${input}`);
  if (inWord) words.push(cur);
  return words;
}
