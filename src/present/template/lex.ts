/**
 * The lexer of Go's text/template (Go 1.19, what docker 20.10 is built with), state for state, so that
 * positions and error texts come out as Go's do: a template error names the line (`template: :1:
 * unclosed action`) and an execution error the byte column of the item it happened at.
 */

export const enum T {
  Error, Bool, Char, CharConstant, Declare, Assign, EOF, Field, Identifier, LeftDelim, LeftParen, Number,
  Pipe, RawString, RightDelim, RightParen, Space, String, Text, Variable,
  // keywords
  Block, Break, Continue, Dot, Define, Else, End, If, Nil, Range, Template, With,
}

export interface Item {
  typ: T;
  pos: number;
  val: string;
  line: number;
}

const KEYWORDS: Record<string, T> = {
  '.': T.Dot, block: T.Block, break: T.Break, continue: T.Continue, define: T.Define, else: T.Else, end: T.End,
  if: T.If, range: T.Range, nil: T.Nil, template: T.Template, with: T.With,
};

const LEFT = '{{';
const RIGHT = '}}';
const COMMENT_OPEN = '/*';
const COMMENT_CLOSE = '*/';

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const LETTER_OR_DIGIT = /^[\p{L}\p{Nd}]$/u;
const isAlphaNumeric = (c: string): boolean => {
  const x = c.charCodeAt(0);
  // ASCII first (every docker field name): the Unicode test only for the rest.
  if (x < 0x80) return (x >= 0x61 && x <= 0x7a) || (x >= 0x41 && x <= 0x5a) || (x >= 0x30 && x <= 0x39) || x === 0x5f;
  return LETTER_OR_DIGIT.test(c);
};
const hasLeftTrim = (s: string, at: number): boolean => s[at] === '-' && isSpace(s[at + 1] ?? '');
const hasRightTrim = (s: string, at: number): boolean => isSpace(s[at] ?? '') && s[at + 1] === '-';

/** Go's %#U of a rune: U+0021 '!'. */
export function quoteRune(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${c}'`;
}

/** Every item of a template, ending with EOF or an Error item (Go's lexer stops at the first error). */
export function lex(input: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  let start = 0;
  let parenDepth = 0;
  let insideAction = false;

  // The line an item starts on (Go counts them as it goes; templates are short, counting is cheap).
  const lineAt = (at: number): number => 1 + count(input.slice(0, at), '\n');
  const emit = (typ: T): void => {
    items.push({ typ, pos: start, val: input.slice(start, pos), line: lineAt(start) });
    start = pos;
  };
  const ignore = (): void => {
    start = pos;
  };
  const next = (): string => {
    if (pos >= input.length) return '';
    const c = String.fromCodePoint(input.codePointAt(pos)!);
    pos += c.length;
    return c;
  };
  const peek = (): string => (pos >= input.length ? '' : String.fromCodePoint(input.codePointAt(pos)!));
  const backup = (c: string): void => {
    pos -= c.length;
  };
  const error = (msg: string): false => {
    items.push({ typ: T.Error, pos: start, val: msg, line: lineAt(start) });
    return false;
  };

  /** Text up to the next action; trims its trailing space when the action opens with `{{- `. */
  const lexText = (): boolean => {
    const x = input.indexOf(LEFT, pos);
    if (x < 0) {
      pos = input.length;
      if (pos > start) emit(T.Text);
      items.push({ typ: T.EOF, pos, val: '', line: lineAt(pos) });
      return false;
    }
    pos = x;
    const trim = hasLeftTrim(input, x + LEFT.length) ? rightTrimLength(input.slice(start, pos)) : 0;
    pos -= trim;
    if (pos > start) emit(T.Text);
    pos += trim;
    ignore();
    return lexLeftDelim();
  };

  const lexLeftDelim = (): boolean => {
    pos += LEFT.length;
    const trim = hasLeftTrim(input, pos);
    const afterMarker = trim ? 2 : 0;
    if (input.startsWith(COMMENT_OPEN, pos + afterMarker)) {
      pos += afterMarker;
      ignore();
      return lexComment();
    }
    emit(T.LeftDelim);
    pos += afterMarker;
    ignore();
    parenDepth = 0;
    insideAction = true;
    return true;
  };

  const lexComment = (): boolean => {
    pos += COMMENT_OPEN.length;
    const x = input.indexOf(COMMENT_CLOSE, pos);
    if (x < 0) return error('unclosed comment');
    pos = x + COMMENT_CLOSE.length;
    const [delim, trimSpace] = atRightDelim();
    if (!delim) return error('comment ends before closing delimiter');
    pos += trimSpace ? 2 : 0;
    pos += RIGHT.length;
    if (trimSpace) pos += leftTrimLength(input.slice(pos));
    ignore();
    return true;
  };

  const atRightDelim = (): [boolean, boolean] => {
    if (hasRightTrim(input, pos) && input.startsWith(RIGHT, pos + 2)) return [true, true];
    if (input.startsWith(RIGHT, pos)) return [true, false];
    return [false, false];
  };

  const lexRightDelim = (trimSpace: boolean): boolean => {
    if (trimSpace) {
      pos += 2;
      ignore();
    }
    pos += RIGHT.length;
    emit(T.RightDelim);
    if (trimSpace) {
      pos += leftTrimLength(input.slice(pos));
      ignore();
    }
    insideAction = false;
    return true;
  };

  const lexInsideAction = (): boolean => {
    const [delim, trimSpace] = atRightDelim();
    if (delim) {
      if (parenDepth === 0) return lexRightDelim(trimSpace);
      return error('unclosed left paren');
    }
    const r = next();
    if (r === '') return error('unclosed action');
    if (isSpace(r)) {
      backup(r);
      return lexSpace();
    }
    switch (r) {
      case '=':
        emit(T.Assign);
        return true;
      case ':':
        if (next() !== '=') return error('expected :=');
        emit(T.Declare);
        return true;
      case '|':
        emit(T.Pipe);
        return true;
      case '"':
        return lexQuoted('"', T.String, 'unterminated quoted string');
      case '`':
        return lexRawQuote();
      case '$':
        return lexFieldOrVariable(T.Variable);
      case "'":
        return lexQuoted("'", T.CharConstant, 'unterminated character constant');
      case '.':
        if (pos < input.length && input[pos]! >= '0' && input[pos]! <= '9') {
          backup(r);
          return lexNumber();
        }
        return lexFieldOrVariable(T.Field);
      case '(':
        emit(T.LeftParen);
        parenDepth++;
        return true;
      case ')':
        // Go emits the paren before it reports the error: the parser, one item behind, speaks first.
        emit(T.RightParen);
        parenDepth--;
        if (parenDepth < 0) return error(`unexpected right paren ${quoteRune(r)}`);
        return true;
    }
    if (r === '+' || r === '-' || (r >= '0' && r <= '9')) {
      backup(r);
      return lexNumber();
    }
    if (isAlphaNumeric(r)) {
      backup(r);
      return lexIdentifier();
    }
    if (r.codePointAt(0)! <= 0x7f && r >= ' ' && r !== '\x7f') {
      emit(T.Char);
      return true;
    }
    return error(`unrecognized character in action: ${quoteRune(r)}`);
  };

  const lexSpace = (): boolean => {
    let n = 0;
    while (isSpace(peek())) {
      next();
      n++;
    }
    // A space that starts a trim-marked right delimiter (" -}}") belongs to the delimiter.
    if (hasRightTrim(input, pos - 1) && input.startsWith(RIGHT, pos + 1)) {
      backup(' ');
      if (n === 1) return true;
    }
    emit(T.Space);
    return true;
  };

  const lexIdentifier = (): boolean => {
    for (;;) {
      const r = next();
      if (r !== '' && isAlphaNumeric(r)) continue;
      backup(r);
      const word = input.slice(start, pos);
      if (!atTerminator()) return error(`bad character ${quoteRune(peek())}`);
      if (KEYWORDS[word] !== undefined && word !== '.') emit(KEYWORDS[word]!);
      else if (word[0] === '.') emit(T.Field);
      else if (word === 'true' || word === 'false') emit(T.Bool);
      else emit(T.Identifier);
      return true;
    }
  };

  const lexFieldOrVariable = (typ: T.Field | T.Variable): boolean => {
    if (atTerminator()) {
      if (typ === T.Variable) emit(T.Variable);
      else emit(T.Dot);
      return true;
    }
    for (;;) {
      const r = next();
      if (r !== '' && isAlphaNumeric(r)) continue;
      backup(r);
      break;
    }
    if (!atTerminator()) return error(`bad character ${quoteRune(peek())}`);
    emit(typ);
    return true;
  };

  const atTerminator = (): boolean => {
    const r = peek();
    if (r === '' || isSpace(r)) return true;
    if ('.,|:()'.includes(r)) return true;
    return input.startsWith(RIGHT, pos);
  };

  /** A quoted string or character constant: up to the closing quote, backslash escapes skipped. */
  const lexQuoted = (quote: string, typ: T, unterminated: string): boolean => {
    for (;;) {
      let r = next();
      if (r === '\\') {
        r = next();
        if (r !== '' && r !== '\n') continue;
      }
      if (r === '' || r === '\n') return error(unterminated);
      if (r === quote) break;
    }
    emit(typ);
    return true;
  };

  const lexNumber = (): boolean => {
    if (!scanNumber()) return error(`bad number syntax: ${JSON.stringify(input.slice(start, pos))}`);
    const sign = peek();
    if (sign === '+' || sign === '-') {
      // complex: 1+2i
      if (!scanNumber() || input[pos - 1] !== 'i') return error(`bad number syntax: ${JSON.stringify(input.slice(start, pos))}`);
    }
    emit(T.Number);
    return true;
  };

  const scanNumber = (): boolean => {
    const accept = (set: string): boolean => {
      if (pos < input.length && set.includes(input[pos]!)) {
        pos++;
        return true;
      }
      return false;
    };
    const acceptRun = (set: string): void => {
      while (accept(set));
    };
    accept('+-');
    let digits = '0123456789_';
    if (accept('0')) {
      if (accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (accept('oO')) digits = '01234567_';
      else if (accept('bB')) digits = '01_';
    }
    acceptRun(digits);
    if (accept('.')) acceptRun(digits);
    if (digits.length === 11 && accept('eE')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    if (digits.length === 23 && accept('pP')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    accept('i');
    if (pos < input.length && isAlphaNumeric(input[pos]!)) {
      pos++;
      return false;
    }
    return true;
  };

  const lexRawQuote = (): boolean => {
    for (;;) {
      const r = next();
      if (r === '') return error('unterminated raw quoted string');
      if (r === '`') break;
    }
    emit(T.RawString);
    return true;
  };

  for (;;) {
    const go = insideAction ? lexInsideAction() : lexText();
    if (!go) break;
  }
  return items;
}

function count(s: string, c: string): number {
  let n = 0;
  for (let i = s.indexOf(c); i >= 0; i = s.indexOf(c, i + 1)) n++;
  return n;
}

function rightTrimLength(s: string): number {
  let n = 0;
  while (n < s.length && isSpace(s[s.length - 1 - n]!)) n++;
  return n;
}

function leftTrimLength(s: string): number {
  let n = 0;
  while (n < s.length && isSpace(s[n]!)) n++;
  return n;
}
