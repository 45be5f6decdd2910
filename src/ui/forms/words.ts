/**
 * Splits a command line into words as a shell would for the simple cases people type into a form:
 * spaces separate, single and double quotes group, backslash escapes. No expansion of any kind
 * (the words go to the container as argv, never through a shell of ours).
 */
export function splitWords(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) cur += text[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else cur += c;
  }
  if (quote) throw new Error(`unterminated ${quote} quote`);
  if (has || cur) out.push(cur);
  return out;
}

/** KEY=VAL lists as typed in a form: separated by commas or spaces (quotes group a value with spaces). */
export function splitList(text: string): string[] {
  return splitWords(text.replace(/,/g, ' ')).filter(Boolean);
}
