/**
 * Go values for the template executor. Docker runs a template against typed Go structs (a nil slice
 * prints `[]`, a nil map `map[]`, a nil pointer `<nil>`, an unknown field is an error) and, for inspect,
 * falls back to the raw JSON decoded into map[string]interface{} with json.Number numbers. A GoType
 * describes the first (docker's struct shapes, see types.ts); plain JS data without one is the second.
 */

export type Kind = 'invalid' | 'bool' | 'int' | 'float' | 'string' | 'number' | 'slice' | 'map' | 'struct' | 'ptr' | 'iface' | 'func';

export interface GoType {
  kind: Kind;
  /** Go's spelling, for messages: types.ContainerJSON, *formatter.ContainerContext, []string. */
  name: string;
  /** struct: fields in Go's order (what %v prints). A field typed 'func' is a method. */
  fields?: Record<string, GoType>;
  /** struct: only some of Go's fields are described; data keys beyond them are taken as they are. */
  partial?: boolean;
  elem?: GoType;
  /** func (a method of a struct, a function value): parameter types and result. */
  params?: GoType[];
  result?: GoType;
}

/** A Go value: JS data and its type. An iface holds another GoValue (or null: a nil interface). */
export interface GoValue {
  t: GoType;
  v: unknown;
}

const basic = (kind: Kind, name: string): GoType => ({ kind, name });
export const basicType = basic;
export const INVALID: GoType = basic('invalid', '<invalid>');
export const BOOL = basic('bool', 'bool');
export const INT = basic('int', 'int');
export const FLOAT = basic('float', 'float64');
export const STRING = basic('string', 'string');
export const JSON_NUMBER = basic('number', 'json.Number');
export const IFACE = basic('iface', 'interface {}');
export const VALUE = basic('struct', 'reflect.Value');
export const STRINGS: GoType = { kind: 'slice', name: '[]string', elem: STRING };
export const ANY_SLICE: GoType = { kind: 'slice', name: '[]interface {}', elem: IFACE };
export const ANY_MAP: GoType = { kind: 'map', name: 'map[string]interface {}', elem: IFACE };
export const STR_MAP: GoType = { kind: 'map', name: 'map[string]string', elem: STRING };
export const NO_VALUE: GoValue = { t: INVALID, v: undefined };

export function sliceOf(elem: GoType): GoType {
  return { kind: 'slice', name: `[]${elem.name}`, elem };
}
export function mapOf(elem: GoType): GoType {
  return { kind: 'map', name: `map[string]${elem.name}`, elem };
}
export function ptrTo(elem: GoType): GoType {
  return { kind: 'ptr', name: `*${elem.name}`, elem };
}
export function struct(name: string, fields: Record<string, GoType>, partial = false): GoType {
  return { kind: 'struct', name, fields, partial };
}
export function method(params: GoType[] = [], result: GoType = STRING): GoType {
  return { kind: 'func', name: `func(${params.map((p) => p.name).join(', ')}) ${result.name}`, params, result };
}

/** A float constant of the template ({{1e6}}, {{1.5}}): JS numbers alone cannot say int or float64. */
export class GoFloat {
  constructor(readonly value: number) {}
}

/** How plain JS data reads: numbers as int/float64 (typed data) or as json.Number (docker's raw fallback). */
export type NumberMode = 'go' | 'json';

/** The concrete Go value of plain JS data (what reflect.ValueOf gives for decoded JSON). */
export function dyn(v: unknown, numbers: NumberMode): GoValue {
  switch (typeof v) {
    case 'string': return { t: STRING, v };
    case 'boolean': return { t: BOOL, v };
    case 'number':
      if (numbers === 'json') return { t: JSON_NUMBER, v: String(v) };
      return Number.isInteger(v) ? { t: INT, v } : { t: FLOAT, v };
    case 'bigint': return { t: INT, v: Number(v) };
    case 'function': return { t: method([], IFACE), v };
    case 'object':
      if (v === null) return NO_VALUE;
      if (v instanceof GoFloat) return { t: FLOAT, v: v.value };
      // Plain data of ctui's own (numbers 'go') reads its all-string lists and maps as []string and
      // map[string]string, as docker's typed structs have them; decoded JSON (numbers 'json', docker's
      // raw fallback) stays []interface {} and map[string]interface {}, as Go's decoder makes it.
      if (Array.isArray(v)) return { t: numbers === 'go' && v.every((e) => typeof e === 'string') ? STRINGS : ANY_SLICE, v };
      return { t: numbers === 'go' && Object.values(v).every((e) => typeof e === 'string') ? STR_MAP : ANY_MAP, v };
    default: return NO_VALUE;
  }
}

/** A value of type t made from JS data: the zero value of t where the data has nothing. */
export function valueOf(js: unknown, t: GoType, numbers: NumberMode): GoValue {
  switch (t.kind) {
    case 'iface': return { t, v: js === null || js === undefined ? null : dyn(js, numbers) };
    case 'ptr': return { t, v: js ?? null };
    case 'struct': return { t, v: js ?? {} };
    case 'slice': case 'map': return { t, v: js ?? null };
    case 'string': return { t, v: js ?? '' };
    case 'int': case 'float': return { t, v: typeof js === 'number' ? js : 0 };
    case 'bool': return { t, v: js ?? false };
    default: return dyn(js, numbers);
  }
}

/** The element type of a slice/map, or how an untyped element reads. */
export function elemOf(c: GoValue, js: unknown, numbers: NumberMode): GoValue {
  return valueOf(js, c.t.elem ?? IFACE, numbers);
}

/** The value inside an interface (reflect.ValueOf(v.Interface())): a nil interface is no value. */
export function concrete(x: GoValue): GoValue {
  return x.t.kind === 'iface' ? ((x.v as GoValue | null) ?? NO_VALUE) : x;
}

/** Go's indirect: through pointers and interfaces to the value, stopping at a nil one. */
export function indirect(x: GoValue): { v: GoValue; isNil: boolean } {
  let cur = x;
  for (;;) {
    if (cur.t.kind === 'iface') {
      if (cur.v === null) return { v: cur, isNil: true };
      cur = cur.v as GoValue;
    } else if (cur.t.kind === 'ptr') {
      if (cur.v === null) return { v: cur, isNil: true };
      cur = { t: cur.t.elem!, v: cur.v };
    } else return { v: cur, isNil: false };
  }
}

export function isNilable(t: GoType): boolean {
  return ['slice', 'map', 'ptr', 'iface', 'func'].includes(t.kind);
}

export function lengthOf(x: GoValue): number {
  if (x.v === null || x.v === undefined) return 0;
  switch (x.t.kind) {
    case 'slice': return (x.v as unknown[]).length;
    case 'map': return Object.keys(x.v as object).length;
    case 'string': case 'number': return Buffer.byteLength(x.v as string);
    default: return 0;
  }
}

/** The keys of a map in Go's sorted order (fmt and range both sort them). */
export function sortedKeys(m: object): string[] {
  return Object.keys(m).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/** The fields a struct value prints, in Go's order. */
export function structFields(x: GoValue): Array<[string, GoValue]> {
  const data = (x.v ?? {}) as Record<string, unknown>;
  const out: Array<[string, GoValue]> = [];
  const fields = x.t.fields ?? {};
  for (const [k, ft] of Object.entries(fields)) {
    if (ft.kind === 'func') continue;
    out.push([k, valueOf(data[k], ft, 'go')]);
  }
  if (x.t.partial) for (const k of Object.keys(data)) if (!(k in fields)) out.push([k, dyn(data[k], 'go')]);
  return out;
}

/** Go's %v of a float64: strconv 'g' with the shortest digits, exponent form from 1e6 (1e+06) or below 1e-4. */
export function formatFloat(f: number, verb: 'g' | 'G' = 'g'): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mant, expStr] = f.toExponential().split('e') as [string, string];
  const exp = Number(expStr);
  if (exp < -4 || exp >= 6) {
    const e = `${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
    return `${mant}${verb === 'G' ? 'E' : 'e'}${e}`;
  }
  return toPlain(f);
}

/** A float without an exponent, all its shortest digits. */
export function toPlain(f: number): string {
  const s = String(f);
  if (!/e/.test(s)) return s;
  const [m, e] = s.split('e') as [string, string];
  const neg = m.startsWith('-');
  const digits = m.replace(/^-/, '').replace('.', '');
  const intLen = (m.replace(/^-/, '').indexOf('.') < 0 ? m.replace(/^-/, '').length : m.replace(/^-/, '').indexOf('.')) + Number(e);
  let out: string;
  if (intLen <= 0) out = '0.' + '0'.repeat(-intLen) + digits;
  else if (intLen >= digits.length) out = digits + '0'.repeat(intLen - digits.length);
  else out = digits.slice(0, intLen) + '.' + digits.slice(intLen);
  return (neg ? '-' : '') + out;
}

/**
 * fmt's %v (plus: %+v with field names). depth > 0 is inside a composite: a pointer there prints as an
 * address, as Go's does (the address itself is Go's business; this one is fixed).
 */
export function formatValue(x: GoValue, plus = false, depth = 0): string {
  switch (x.t.kind) {
    case 'invalid': return '<nil>';
    case 'bool': return x.v ? 'true' : 'false';
    case 'int': return String(x.v);
    case 'float': return formatFloat(x.v as number);
    case 'string': case 'number': return x.v as string;
    case 'iface': return x.v === null ? '<nil>' : formatValue(x.v as GoValue, plus, depth);
    case 'func': return x.v === null ? '<nil>' : '0x47b0e0';
    case 'ptr': {
      if (x.v === null) return '<nil>';
      const inner: GoValue = { t: x.t.elem!, v: x.v };
      if (depth === 0 && ['struct', 'slice', 'map'].includes(inner.t.kind)) return '&' + formatValue(inner, plus, depth + 1);
      return '0xc000010000';
    }
    case 'slice': {
      const arr = (x.v ?? []) as unknown[];
      return `[${arr.map((e) => formatValue(valueOf(e, x.t.elem ?? IFACE, 'go'), plus, depth + 1)).join(' ')}]`;
    }
    case 'map': {
      const m = (x.v ?? {}) as Record<string, unknown>;
      return `map[${sortedKeys(m).map((k) => `${k}:${formatValue(valueOf(m[k], x.t.elem ?? IFACE, 'go'), plus, depth + 1)}`).join(' ')}]`;
    }
    case 'struct':
      return `{${structFields(x).map(([k, f]) => (plus ? `${k}:` : '') + formatValue(f, plus, depth + 1)).join(' ')}}`;
  }
}

/** The Go type name of a value, as %T and error messages spell it. */
export function typeName(x: GoValue): string {
  return x.t.kind === 'invalid' ? '<nil>' : x.t.name;
}
