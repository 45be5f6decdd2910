/** Go's fmt as templates reach it: Sprint, Sprintln and Sprintf with Go's verbs, flags and %!verb errors. */
import { goQuote } from './strconv.js';
import { concrete, formatFloat, formatValue, IFACE, sortedKeys, structFields, toPlain, typeName, valueOf, type GoValue } from './value.js';

const isString = (x: GoValue): boolean => x.t.kind === 'string' || x.t.kind === 'number';

/** fmt.Sprint: operands as %v, a space between two operands when neither is a string. */
export function sprint(args: GoValue[]): string {
  let out = '';
  args.forEach((a, i) => {
    const c = concrete(a);
    if (i > 0 && !isString(c) && !isString(concrete(args[i - 1]!))) out += ' ';
    out += formatValue(a);
  });
  return out;
}

/** fmt.Sprintln: always a space between operands, and a newline. */
export function sprintln(args: GoValue[]): string {
  return args.map((a) => formatValue(a)).join(' ') + '\n';
}

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  /** %+v: struct field names (the plus is no sign then). */
  plusV: boolean;
  width: number | undefined;
  prec: number | undefined;
}

function pad(s: string, f: Spec, numeric = false): string {
  if (f.width === undefined || [...s].length >= f.width) return s;
  const n = f.width - [...s].length;
  if (f.minus) return s + ' '.repeat(n);
  if (f.zero && numeric) {
    const sign = /^[+\- ]/.test(s) ? s[0]! : '';
    return sign + '0'.repeat(n) + s.slice(sign.length);
  }
  return ' '.repeat(n) + s;
}

function signed(s: string, neg: boolean, f: Spec): string {
  if (neg) return '-' + s;
  if (f.plus) return '+' + s;
  if (f.space) return ' ' + s;
  return s;
}

function fmtInt(n: number, verb: string, f: Spec): string | undefined {
  const neg = n < 0;
  const a = Math.abs(n);
  let digits: string;
  switch (verb) {
    case 'd': case 'v': digits = String(a); break;
    case 'b': digits = a.toString(2); break;
    case 'o': case 'O': digits = a.toString(8); break;
    case 'x': digits = a.toString(16); break;
    case 'X': digits = a.toString(16).toUpperCase(); break;
    case 'c': return pad(String.fromCodePoint(n), f);
    case 'q': return pad(goQuote(String.fromCodePoint(n), "'"), f);
    case 'U': {
      const u = 'U+' + a.toString(16).toUpperCase().padStart(4, '0');
      return pad(f.sharp ? `${u} '${String.fromCodePoint(n)}'` : u, f);
    }
    default: return undefined;
  }
  if (f.prec !== undefined) digits = f.prec === 0 && a === 0 ? '' : digits.padStart(f.prec, '0');
  if (f.sharp || verb === 'O') {
    if (verb === 'x') digits = '0x' + digits;
    else if (verb === 'X') digits = '0X' + digits;
    else if (verb === 'o' && !digits.startsWith('0')) digits = '0' + digits;
    else if (verb === 'O') digits = '0o' + digits;
    else if (verb === 'b') digits = '0b' + digits;
  }
  return pad(signed(digits, neg, f), f, f.prec === undefined);
}

function expForm(f: number, prec: number | undefined, upper: boolean): string {
  const s = prec === undefined ? f.toExponential() : f.toExponential(Math.min(prec, 100));
  const [m, e] = s.split('e') as [string, string];
  const exp = Number(e);
  return `${m}${upper ? 'E' : 'e'}${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

function fmtFloat(x: number, verb: string, f: Spec): string | undefined {
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  let body: string;
  switch (verb) {
    case 'v': case 'g': case 'G':
      if (f.prec === undefined) body = formatFloat(a, verb === 'G' ? 'G' : 'g');
      else {
        const p = f.prec === 0 ? 1 : f.prec;
        const [, e] = a.toExponential(p - 1).split('e') as [string, string];
        const exp = Number(e);
        if (exp < -4 || exp >= p) body = expForm(a, p - 1, verb === 'G').replace(/\.?0+(?=[eE])/, f.sharp ? '' : '');
        else body = a.toFixed(Math.max(p - 1 - exp, 0));
        if (!f.sharp) body = body.replace(/(\.\d*?)0+(?=$|[eE])/, '$1').replace(/\.(?=$|[eE])/, '');
      }
      break;
    case 'e': case 'E': body = expForm(a, f.prec ?? 6, verb === 'E'); break;
    case 'f': case 'F': body = a >= 1e21 ? toPlain(a) : a.toFixed(Math.min(f.prec ?? 6, 100)); break;
    case 'x': case 'X': body = hexFloat(a, f.prec, verb === 'X'); break;
    default: return undefined;
  }
  if (!Number.isFinite(a)) body = Number.isNaN(a) ? 'NaN' : 'Inf';
  return pad(signed(body, neg && !Number.isNaN(a), f), f, Number.isFinite(a));
}

/** strconv's 'x' format of a float: 0x1.cp+01 (shortest digits unless a precision is given). */
function hexFloat(a: number, prec: number | undefined, upper: boolean): string {
  let exp = 0;
  let m = a;
  if (m !== 0) {
    exp = Math.floor(Math.log2(m));
    m = m / 2 ** exp;
    if (m >= 2) { m /= 2; exp++; }
    if (m < 1) { m *= 2; exp--; }
  }
  let digits = '';
  let frac = m - Math.floor(m);
  const max = prec ?? 13;
  for (let i = 0; i < max && (prec !== undefined || frac > 0); i++) {
    frac *= 16;
    const d = Math.floor(frac);
    digits += d.toString(16);
    frac -= d;
  }
  const out = `0x${Math.floor(m)}${digits ? '.' + digits : ''}p${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return upper ? out.toUpperCase() : out;
}

function fmtString(s: string, verb: string, f: Spec): string | undefined {
  const cut = f.prec === undefined ? s : [...s].slice(0, f.prec).join('');
  switch (verb) {
    case 's': case 'v': return pad(cut, f);
    case 'q': return pad(f.sharp && !s.includes('`') ? '`' + cut + '`' : goQuote(cut, '"', f.plus), f);
    case 'x': case 'X': {
      const hex = [...Buffer.from(cut)].map((b) => b.toString(16).padStart(2, '0'));
      const out = (f.space ? hex.join(' ') : hex.join(''));
      return pad(verb === 'X' ? out.toUpperCase() : out, f);
    }
    default: return undefined;
  }
}

/** One operand under one verb; undefined when the verb does not apply to its type (%!d(string=x)). */
function fmtOne(arg: GoValue, verb: string, f: Spec, depth: number): string | undefined {
  const x = concrete(arg);
  if (verb === 'T') return pad(typeName(x), f);
  if (verb === 'p') return x.t.kind === 'ptr' || x.t.kind === 'map' || x.t.kind === 'slice' ? pad('0xc000010000', f) : undefined;
  switch (x.t.kind) {
    case 'invalid': return verb === 'v' ? pad('<nil>', f) : undefined;
    case 'bool': return verb === 't' || verb === 'v' ? pad(x.v ? 'true' : 'false', f) : undefined;
    case 'int': return fmtInt(x.v as number, verb, f);
    case 'float': return fmtFloat(x.v as number, verb, f);
    case 'string': case 'number': return fmtString(x.v as string, verb, f);
    case 'slice': {
      if (x.v === null && verb === 'v') return pad('[]', f);
      const parts = ((x.v ?? []) as unknown[]).map((e) => fmtOne(valueOf(e, x.t.elem ?? IFACE, 'go'), verb, { ...f, width: undefined }, depth + 1) ?? badVerb(verb, valueOf(e, x.t.elem ?? IFACE, 'go')));
      return pad(`[${parts.join(' ')}]`, f);
    }
    case 'map': {
      const m = (x.v ?? {}) as Record<string, unknown>;
      const parts = sortedKeys(m).map((k) => `${fmtString(k, verb, { ...f, width: undefined }) ?? k}:${fmtOne(valueOf(m[k], x.t.elem ?? IFACE, 'go'), verb, { ...f, width: undefined }, depth + 1) ?? ''}`);
      return pad(`map[${parts.join(' ')}]`, f);
    }
    case 'struct': {
      const parts = structFields(x).map(([k, v]) => (f.plusV ? `${k}:` : '') + (fmtOne(v, verb, { ...f, width: undefined }, depth + 1) ?? badVerb(verb, v)));
      return pad(`{${parts.join(' ')}}`, f);
    }
    case 'ptr':
      // A nil pointer: <nil> for %v, its address (0) for the integer verbs, %!verb otherwise.
      if (x.v === null) return verb === 'v' ? pad('<nil>', f) : 'bdoxX'.includes(verb) ? fmtInt(0, verb, f) : undefined;
      if (depth === 0) {
        const inner = fmtOne({ t: x.t.elem!, v: x.v }, verb, { ...f, width: undefined }, depth + 1);
        return inner === undefined ? undefined : pad('&' + inner, f);
      }
      return pad('0xc000010000', f);
    default:
      return verb === 'v' ? pad(formatValue(x, f.plusV, depth), f) : undefined;
  }
}

function badVerb(verb: string, x: GoValue): string {
  const c = concrete(x);
  if (c.t.kind === 'invalid') return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(c)}=${formatValue(c)})`;
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: GoValue[]): string {
  let out = '';
  let argi = 0;
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const f: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false, plusV: false, width: undefined, prec: undefined };
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === '-') f.minus = true;
      else if (c === '+') f.plus = true;
      else if (c === '#') f.sharp = true;
      else if (c === ' ') f.space = true;
      else if (c === '0') f.zero = !f.minus;
      else break;
    }
    const num = (): number | undefined => {
      if (format[i] === '*') {
        i++;
        const a = args[argi++];
        const c = a ? concrete(a) : undefined;
        return c && c.t.kind === 'int' ? (c.v as number) : undefined;
      }
      const m = /^\d+/.exec(format.slice(i));
      if (!m) return undefined;
      i += m[0].length;
      return Number(m[0]);
    };
    f.width = num();
    if (format[i] === '.') {
      i++;
      f.prec = num() ?? 0;
    }
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const arg = args[argi++]!;
    if (verb === 'v' && f.plus) {
      f.plus = false;
      f.plusV = true;
    }
    out += fmtOne(arg, verb, f, 0) ?? badVerb(verb, arg);
  }
  if (argi < args.length) {
    out += '%!(EXTRA ' + args.slice(argi).map((a) => {
      const c = concrete(a);
      return c.t.kind === 'invalid' ? '<nil>' : `${typeName(c)}=${formatValue(c)}`;
    }).join(', ') + ')';
  }
  return out;
}
