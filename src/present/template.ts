/**
 * A small subset of Go's text/template, as docker's --format uses it: {{.Field.Sub}}, {{json .}},
 * {{json .Field}}, {{index .Map "key"}}, {{join .List ","}}, {{upper .X}}, {{lower .X}}, {{len .X}},
 * {{printf "%s" .X}} (only %s/%d/%v). `table` prefix and \t \n escapes are handled by the caller.
 */

type Value = unknown;

function tokenize(expr: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(expr)) !== null) out.push(m[1] !== undefined ? JSON.stringify(JSON.parse(`"${m[1]}"`)) : m[2]!);
  return out;
}

function lookup(data: Value, pathExpr: string): Value {
  if (pathExpr === '.') return data;
  let cur: Value = data;
  for (const part of pathExpr.split('.').slice(1)) {
    if (cur === null || cur === undefined) return undefined;
    if (typeof cur !== 'object') throw new Error(`can't evaluate field ${part} in type ${typeof cur}`);
    const rec = cur as Record<string, Value>;
    if (!(part in rec)) throw new Error(`can't evaluate field ${part}`);
    cur = rec[part];
  }
  return cur;
}

function arg(token: string, data: Value): Value {
  if (token.startsWith('"')) return JSON.parse(token) as string;
  if (token.startsWith('.')) return lookup(data, token);
  if (/^-?\d+$/.test(token)) return Number(token);
  throw new Error(`function "${token}" not defined`);
}

/** Go's default formatting of a value (%v). */
export function goString(v: Value): string {
  if (v === null || v === undefined) return '<no value>';
  if (Array.isArray(v)) return `[${v.map(goString).join(' ')}]`;
  if (typeof v === 'object') {
    return `map[${Object.entries(v as Record<string, Value>).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => `${k}:${goString(x)}`).join(' ')}]`;
  }
  return String(v);
}

function evalAction(expr: string, data: Value): string {
  const t = tokenize(expr.trim());
  if (t.length === 0) return '';
  const [fn, ...rest] = t as [string, ...string[]];
  const args = () => rest.map((x) => arg(x, data));
  switch (fn) {
    case 'json':
      return JSON.stringify(args()[0] ?? null);
    case 'index': {
      const [obj, ...keys] = args();
      let cur: Value = obj;
      for (const k of keys) cur = cur == null ? undefined : (cur as Record<string, Value>)[String(k)];
      return goString(cur);
    }
    case 'join': {
      const [list, sep] = args();
      return Array.isArray(list) ? list.map(goString).join(String(sep ?? '')) : goString(list);
    }
    case 'upper':
      return goString(args()[0]).toUpperCase();
    case 'lower':
      return goString(args()[0]).toLowerCase();
    case 'title': {
      const s = goString(args()[0]);
      return s.charAt(0).toUpperCase() + s.slice(1);
    }
    case 'len': {
      const v = args()[0];
      if (Array.isArray(v) || typeof v === 'string') return String(v.length);
      return String(v && typeof v === 'object' ? Object.keys(v).length : 0);
    }
    case 'printf': {
      const [fmt, ...vals] = args();
      let i = 0;
      return String(fmt).replace(/%[sdvq%]/g, (m) => (m === '%%' ? '%' : m === '%q' ? JSON.stringify(goString(vals[i++])) : goString(vals[i++])));
    }
    default:
      if (rest.length > 0) throw new Error(`function "${fn}" not defined`);
      return goString(arg(fn, data));
  }
}

/** Renders one value through the template. Throws with a one-line message on a bad template. */
export function renderTemplate(template: string, data: Value): string {
  return template.replace(/\{\{-?\s*(.*?)\s*-?\}\}/g, (_, expr: string) => evalAction(expr, data));
}

/** docker unescapes \t and \n in --format strings given on the command line. */
export function unescapeFormat(f: string): string {
  return f.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
}
