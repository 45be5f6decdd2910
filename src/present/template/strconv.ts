/** Go's strconv quoting, as fmt's %q and the template parser use it. */

const ESC: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\\': '\\\\' };

/** Whether Go's unicode.IsPrint holds (letters, marks, numbers, punctuation, symbols and ASCII space). */
function isPrint(c: string): boolean {
  return c === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(c);
}

/** strconv.Quote: a double-quoted Go string literal. */
export function goQuote(s: string, quote = '"', asciiOnly = false): string {
  let out = quote;
  for (const c of s) {
    if (c === quote || c === '\\') out += '\\' + c;
    else if (ESC[c]) out += ESC[c];
    else if (isPrint(c) && (!asciiOnly || c.codePointAt(0)! < 0x80)) out += c;
    else {
      const cp = c.codePointAt(0)!;
      if (cp < 0x80) out += '\\x' + cp.toString(16).padStart(2, '0');
      else if (cp === 0xfffd) out += '\\ufffd';
      else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
      else out += '\\U' + cp.toString(16).padStart(8, '0');
    }
  }
  return out + quote;
}

/** strconv.UnquoteChar on the start of s: the code (a rune, or a byte for \x and octal) and the rest. */
export function unquoteChar(s: string, quote: string): { code: number; byte: boolean; tail: string } | undefined {
  const c = s[0];
  if (c === undefined || c === quote && (quote === "'" || quote === '"')) return undefined;
  if (c !== '\\') {
    const cp = s.codePointAt(0)!;
    return { code: cp, byte: false, tail: s.slice(cp > 0xffff ? 2 : 1) };
  }
  const e = s[1];
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };
  if (e !== undefined && simple[e] !== undefined) return { code: simple[e]!, byte: false, tail: s.slice(2) };
  if (e === "'" || e === '"') return e === quote ? { code: e.charCodeAt(0), byte: false, tail: s.slice(2) } : undefined;
  const hex = (n: number, byte: boolean) => {
    const h = s.slice(2, 2 + n);
    if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(h)) return undefined;
    const code = parseInt(h, 16);
    if (!byte && (code > 0x10ffff || (code >= 0xd800 && code < 0xe000))) return undefined;
    return { code, byte, tail: s.slice(2 + n) };
  };
  if (e === 'x') return hex(2, true);
  if (e === 'u') return hex(4, false);
  if (e === 'U') return hex(8, false);
  if (e !== undefined && e >= '0' && e <= '7') {
    const o = s.slice(1, 4);
    if (!/^[0-7]{3}$/.test(o) || parseInt(o, 8) > 255) return undefined;
    return { code: parseInt(o, 8), byte: true, tail: s.slice(4) };
  }
  return undefined;
}

/** strconv.Unquote of a "..." or `...` literal; undefined when it is not valid Go. */
export function unquoteGo(lit: string): string | undefined {
  if (lit.startsWith('`')) return lit.endsWith('`') && lit.length >= 2 ? lit.slice(1, -1).replace(/\r/g, '') : undefined;
  if (!lit.startsWith('"') || !lit.endsWith('"') || lit.length < 2) return undefined;
  let s = lit.slice(1, -1);
  if (!s.includes('\\')) return s.includes('"') || s.includes('\n') ? undefined : s;
  const bytes: number[] = [];
  while (s.length > 0) {
    const r = unquoteChar(s, '"');
    if (!r) return undefined;
    if (r.byte) bytes.push(r.code);
    else bytes.push(...Buffer.from(String.fromCodePoint(r.code), 'utf8'));
    s = r.tail;
  }
  return Buffer.from(bytes).toString('utf8');
}
