/** text/template's builtin functions (Go 1.19) and docker's (cli/templates: json, split, join, ...). */
import { sprint, sprintf, sprintln } from './gofmt.js';
import {
  BOOL, IFACE, INT, STRING, STRINGS, VALUE, basicType, concrete, dyn, elemOf, indirect, lengthOf,
  typeName, type GoType, type GoValue,
} from './value.js';

/** A function a template can call. Parameters typed VALUE take anything (Go's reflect.Value). */
export interface GoFunc {
  params: GoType[];
  /** The type of each argument after the fixed ones (Go's ...T), when variadic. */
  variadic?: GoType;
  call: (args: GoValue[]) => GoValue;
}

/** What a function returns as its error: the executor reports "error calling NAME: MESSAGE". */
export class FuncError extends Error {}

const UINT8 = basicType('int', 'uint8');
const str = (v: string): GoValue => ({ t: STRING, v });
const bool = (v: boolean): GoValue => ({ t: BOOL, v });
const int = (v: number): GoValue => ({ t: INT, v });

type BasicKind = 'bool' | 'int' | 'float' | 'string' | 'invalid';
function basicKind(x: GoValue): BasicKind {
  switch (x.t.kind) {
    case 'bool': return 'bool';
    case 'int': return 'int';
    case 'float': return 'float';
    case 'string': case 'number': return 'string';
    default: return 'invalid';
  }
}

const ERR_BAD_COMPARISON_TYPE = 'invalid type for comparison';
const ERR_BAD_COMPARISON = 'incompatible types for comparison';

function comparable(x: GoValue): boolean {
  return !['slice', 'map', 'func'].includes(x.t.kind);
}

function eq(args: GoValue[]): GoValue {
  const a1 = concrete(args[0]!);
  if (args.length < 2) throw new FuncError('missing argument for comparison');
  const k1 = basicKind(a1);
  for (const raw of args.slice(1)) {
    const a = concrete(raw);
    const k2 = basicKind(a);
    let t = false;
    if (k1 !== k2) {
      if (a1.t.kind !== 'invalid' && a.t.kind !== 'invalid') throw new FuncError(ERR_BAD_COMPARISON);
    } else if (k1 === 'invalid') {
      if (a.t.kind === 'invalid' || a1.t.kind === 'invalid') t = (a1.t.kind === 'invalid') === (a.t.kind === 'invalid');
      else if (!comparable(a)) throw new FuncError(`non-comparable type ${sprint([a])}: ${typeName(a)}`);
      else t = a1.t === a.t && JSON.stringify(a1.v) === JSON.stringify(a.v);
    } else t = a1.v === a.v;
    if (t) return bool(true);
  }
  return bool(false);
}

function lt(a: GoValue, b: GoValue): boolean {
  const a1 = concrete(a);
  const b1 = concrete(b);
  const k1 = basicKind(a1);
  const k2 = basicKind(b1);
  if (k1 === 'invalid' || k2 === 'invalid') throw new FuncError(ERR_BAD_COMPARISON_TYPE);
  if (k1 !== k2) throw new FuncError(ERR_BAD_COMPARISON);
  if (k1 === 'bool') throw new FuncError(ERR_BAD_COMPARISON_TYPE);
  if (k1 === 'string') return Buffer.compare(Buffer.from(a1.v as string), Buffer.from(b1.v as string)) < 0;
  return (a1.v as number) < (b1.v as number);
}

/** An integer index argument (Go's indexArg: cap is where "out of range" starts; len == cap panics later). */
function indexArg(i: GoValue, cap: number): number {
  const x = concrete(i);
  if (x.t.kind === 'invalid') throw new FuncError('cannot index slice/array with nil');
  if (x.t.kind !== 'int') throw new FuncError(`cannot index slice/array with type ${typeName(x)}`);
  const n = x.v as number;
  if (n < 0 || n > cap) throw new FuncError(`index out of range: ${n}`);
  return n;
}

function index(args: GoValue[]): GoValue {
  let item = concrete(args[0]!);
  if (item.t.kind === 'invalid') throw new FuncError('index of untyped nil');
  for (const raw of args.slice(1)) {
    const ind = indirect(item);
    if (ind.isNil) throw new FuncError('index of nil pointer');
    item = ind.v;
    switch (item.t.kind) {
      case 'slice': {
        const arr = (item.v ?? []) as unknown[];
        const x = indexArg(raw, arr.length);
        if (x >= arr.length) throw new FuncError('reflect: slice index out of range');
        item = elemOf(item, arr[x], 'go');
        break;
      }
      case 'string': case 'number': {
        const b = Buffer.from(item.v as string);
        const x = indexArg(raw, b.length);
        if (x >= b.length) throw new FuncError('reflect: string index out of range');
        item = { t: UINT8, v: b[x]! };
        break;
      }
      case 'map': {
        const k = concrete(raw);
        if (k.t.kind === 'invalid') throw new FuncError('value is nil; should be of type string');
        if (k.t.kind !== 'string') throw new FuncError(`value has type ${typeName(k)}; should be string`);
        const m = (item.v ?? {}) as Record<string, unknown>;
        item = elemOf(item, Object.prototype.hasOwnProperty.call(m, k.v as string) ? m[k.v as string] : undefined, 'go');
        break;
      }
      default:
        throw new FuncError(`can't index item of type ${typeName(item)}`);
    }
  }
  return item;
}

function slice(args: GoValue[]): GoValue {
  const item = concrete(args[0]!);
  if (item.t.kind === 'invalid') throw new FuncError('slice of untyped nil');
  const idxs = args.slice(1);
  if (idxs.length > 3) throw new FuncError(`too many slice indexes: ${idxs.length}`);
  let len: number;
  if (item.t.kind === 'string' || item.t.kind === 'number') {
    if (idxs.length === 3) throw new FuncError('cannot 3-index slice a string');
    len = Buffer.byteLength(item.v as string);
  } else if (item.t.kind === 'slice') len = ((item.v ?? []) as unknown[]).length;
  else throw new FuncError(`can't slice item of type ${typeName(item)}`);
  const idx = [0, len, len];
  idxs.forEach((x, i) => {
    idx[i] = indexArg(x, len);
  });
  if (idx[0]! > idx[1]!) throw new FuncError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (idxs.length === 3 && idx[1]! > idx[2]!) throw new FuncError(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (item.t.kind === 'slice') return { t: item.t, v: ((item.v ?? []) as unknown[]).slice(idx[0], idx[1]) };
  return { t: item.t, v: Buffer.from(item.v as string).subarray(idx[0], idx[1]).toString() };
}

function length(x: GoValue): GoValue {
  // Go asks the zero Value for its type, which panics: that panic is the message.
  if (x.t.kind === 'invalid') throw new FuncError('reflect: call of reflect.Value.Type on zero Value');
  const ind = indirect(x);
  if (ind.isNil) throw new FuncError('len of nil pointer');
  const v = ind.v;
  if (['slice', 'map', 'string', 'number'].includes(v.t.kind)) return int(lengthOf(v));
  throw new FuncError(`len of type ${typeName(v)}`);
}

/** html/js/urlquery take any arguments: one string as it is, anything else through fmt.Sprint. */
function evalArgs(args: GoValue[]): string {
  if (args.length === 1) {
    const c = concrete(args[0]!);
    if (c.t.kind === 'string') return c.v as string;
  }
  return sprint(args);
}

function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => ({ '\0': '\uFFFD', '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}

function jsEscape(s: string): string {
  let out = '';
  for (const c of s) {
    switch (c) {
      case '\\': out += '\\\\'; break;
      case "'": out += "\\'"; break;
      case '"': out += '\\"'; break;
      case '<': out += '\\u003C'; break;
      case '>': out += '\\u003E'; break;
      case '&': out += '\\u0026'; break;
      case '=': out += '\\u003D'; break;
      default: {
        const cp = c.codePointAt(0)!;
        if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && !/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(c))) {
          out += '\\u' + cp.toString(16).toUpperCase().padStart(4, '0');
        } else out += c;
      }
    }
  }
  return out;
}

/** url.QueryEscape. */
function queryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** Go's json.Marshal as docker's `json` does it: no HTML escaping, maps by sorted key, nil as null. */
export function goJson(x: GoValue): string {
  const c = concrete(x);
  switch (c.t.kind) {
    case 'invalid': return 'null';
    case 'number': return c.v as string;
    case 'float': return jsonFloat(c.v as number);
    case 'ptr': return c.v === null ? 'null' : goJson({ t: c.t.elem!, v: c.v });
    case 'slice': case 'map': if (c.v === null || c.v === undefined) return 'null';
      break;
    case 'struct': {
      // docker's row contexts marshal as a map of their argument-less methods (so: sorted keys).
      const methods = Object.entries(c.t.fields ?? {}).filter(([, t]) => t.kind === 'func' && !t.params?.length);
      if (methods.length > 0) {
        const data = (c.v ?? {}) as Record<string, unknown>;
        const row: Record<string, string> = {};
        for (const [k] of methods.sort(([a], [b]) => (a < b ? -1 : 1))) row[k] = data[k] === undefined || data[k] === null ? '' : String(data[k]);
        return jsonText(row);
      }
    }
  }
  return jsonText(c.v);
}

function jsonFloat(f: number): string {
  const a = Math.abs(f);
  if (a !== 0 && (a < 1e-6 || a >= 1e21)) return f.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return String(f);
}

/** JSON.stringify with Go's escapes for U+2028/U+2029. */
function jsonText(v: unknown): string {
  return (JSON.stringify(v) ?? 'null').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** strings.Title: the first letter of every word in upper case. */
function title(s: string): string {
  return s.replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_, sep: string, c: string) => sep + c.toUpperCase());
}

export const BUILTINS: Record<string, GoFunc> = {
  and: { params: [VALUE], variadic: VALUE, call: (a) => a[a.length - 1]! },
  or: { params: [VALUE], variadic: VALUE, call: (a) => a[a.length - 1]! },
  not: { params: [VALUE], call: ([a]) => bool(!truthOf(a!)) },
  call: {
    params: [VALUE], variadic: VALUE,
    call: ([fn, ...rest]) => {
      const f = concrete(fn!);
      if (f.t.kind === 'invalid') throw new FuncError('call of nil');
      if (f.t.kind !== 'func') throw new FuncError(`non-function of type ${typeName(f)}`);
      return callMethod(f, rest);
    },
  },
  html: { params: [], variadic: IFACE, call: (a) => str(htmlEscape(evalArgs(a))) },
  js: { params: [], variadic: IFACE, call: (a) => str(jsEscape(evalArgs(a))) },
  urlquery: { params: [], variadic: IFACE, call: (a) => str(queryEscape(evalArgs(a))) },
  print: { params: [], variadic: IFACE, call: (a) => str(sprint(a)) },
  println: { params: [], variadic: IFACE, call: (a) => str(sprintln(a)) },
  printf: { params: [STRING], variadic: IFACE, call: ([f, ...a]) => str(sprintf(f!.v as string, a)) },
  index: { params: [VALUE], variadic: VALUE, call: index },
  slice: { params: [VALUE], variadic: VALUE, call: slice },
  len: { params: [VALUE], call: ([a]) => length(a!) },
  eq: { params: [VALUE], variadic: VALUE, call: eq },
  ne: { params: [VALUE, VALUE], call: (a) => bool(!eq(a).v) },
  lt: { params: [VALUE, VALUE], call: ([a, b]) => bool(lt(a!, b!)) },
  le: { params: [VALUE, VALUE], call: ([a, b]) => bool(lt(a!, b!) || (eq([a!, b!]).v as boolean)) },
  gt: { params: [VALUE, VALUE], call: ([a, b]) => bool(!(lt(a!, b!) || (eq([a!, b!]).v as boolean))) },
  ge: { params: [VALUE, VALUE], call: ([a, b]) => bool(!lt(a!, b!)) },
};

/** docker/cli templates.basicFunctions. */
export const DOCKER_FUNCS: Record<string, GoFunc> = {
  json: { params: [IFACE], call: ([a]) => str(goJson(a!)) },
  split: { params: [STRING, STRING], call: ([s, sep]) => ({ t: STRINGS, v: goSplit(s!.v as string, sep!.v as string) }) },
  join: { params: [STRINGS, STRING], call: ([l, sep]) => str(((l!.v ?? []) as string[]).join(sep!.v as string)) },
  title: { params: [STRING], call: ([s]) => str(title(s!.v as string)) },
  lower: { params: [STRING], call: ([s]) => str((s!.v as string).toLowerCase()) },
  upper: { params: [STRING], call: ([s]) => str((s!.v as string).toUpperCase()) },
  pad: {
    params: [STRING, INT, INT],
    call: ([s, p, q]) => str(s!.v === '' ? '' : ' '.repeat(Math.max(0, p!.v as number)) + (s!.v as string) + ' '.repeat(Math.max(0, q!.v as number))),
  },
  truncate: {
    params: [STRING, INT],
    call: ([s, n]) => {
      const b = Buffer.from(s!.v as string);
      return str(b.length < (n!.v as number) ? (s!.v as string) : b.subarray(0, Math.max(0, n!.v as number)).toString());
    },
  },
};

/**
 * docker/cli templates.HeaderFunctions: a `table` header runs the same template on the column names,
 * where these pass their first argument through unchanged (20.10 has no header `pad`: it pads the header too).
 */
export const HEADER_FUNCS: Record<string, GoFunc> = {
  json: { params: [STRING], call: ([a]) => a! },
  split: { params: [STRING, STRING], call: ([a]) => a! },
  join: { params: [STRING, STRING], call: ([a]) => a! },
  title: { params: [STRING], call: ([a]) => a! },
  lower: { params: [STRING], call: ([a]) => a! },
  upper: { params: [STRING], call: ([a]) => a! },
  truncate: { params: [STRING, INT], call: ([a]) => a! },
};

/** strings.Split. */
function goSplit(s: string, sep: string): string[] {
  if (sep === '') return [...s];
  return s.split(sep);
}

/** template's truth: false, 0, "", nil and empty collections are false; structs are true. */
export function truthOf(x: GoValue): boolean {
  const c = concrete(x);
  switch (c.t.kind) {
    case 'invalid': return false;
    case 'bool': return c.v === true;
    case 'int': case 'float': return c.v !== 0;
    case 'string': case 'number': return (c.v as string).length > 0;
    case 'slice': case 'map': return lengthOf(c) > 0;
    case 'ptr': case 'func': return c.v !== null && c.v !== undefined;
    default: return true;
  }
}

/**
 * Calls a method or function value. A method of docker's row contexts is JS data: a function (called
 * with the arguments' JS values) or a plain value (a method without arguments, e.g. ps's .Names).
 */
export function callMethod(f: GoValue, args: GoValue[]): GoValue {
  const result = f.t.result ?? IFACE;
  const fn = f.v;
  const out = typeof fn === 'function' ? (fn as (...a: unknown[]) => unknown)(...args.map((a) => concrete(a).v)) : fn;
  if (result === IFACE) return dyn(out, 'go');
  if (result === STRING) return { t: STRING, v: out === undefined || out === null ? '' : String(out) };
  return { t: result, v: out ?? (result.kind === 'int' || result.kind === 'float' ? 0 : null) };
}

