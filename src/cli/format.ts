/**
 * --format and -f as docker's CLI runs them, without printing (the caller prints; tests call these
 * directly). Three shapes, as docker/cli has them:
 * - list (ps, images, volume ls, stats, history, system df, events): formatter.Context — `table` and
 *   `json`, spaces trimmed, \t and \n unescaped, a header from the same template, tabwriter columns;
 *   errors exit 1.
 * - inspect: cli/command/inspect — the template as given, run on docker's typed struct and, when that
 *   fails, on the raw JSON with missingkey=error; a parse error exits 64, an execution error 1 after
 *   the other objects' output.
 * - plain (info, version): one struct, parse error 64, execution error 1 after what was written.
 */
import { Template, TemplateExecError, TemplateParseError, unescapeFormat, type GoType } from '../present/template.js';
import { tabwrite } from '../present/template/tabwriter.js';

export interface Rendered {
  stdout: string;
  /** Error lines for stderr (docker's words), and the exit code. */
  stderr: string;
  code: number;
}

export interface ListContext {
  /** Go's type of a row (template/types.ts rowContext), for field checks and messages. */
  type: GoType;
  /** Column headers by field, where docker's differ from the field name in upper case with words split. */
  headers?: Record<string, string>;
  /** What `table` alone prints: the command's default row format (without the `table` keyword). */
  defaultTable?: string;
  /**
   * docker ps runs the template once on an empty row before listing (to see whether .Size is used) and
   * reports that run's errors as "failed to execute template"; this is that empty row.
   */
  probe?: object;
}

/** docker's header of a field: RunningFor -> RUNNING FOR unless the command names it. */
function headerText(field: string, headers: Record<string, string>): string {
  return headers[field] ?? field.replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
}

/** ps's .Label "com.example.some-label": the header is the last dotted part, - and _ as spaces. */
function labelHeader(name: string): string {
  return (name.split('.').pop() ?? '').replace(/[-_]/g, ' ');
}

function message(err: unknown): string {
  if (err instanceof TemplateParseError || err instanceof TemplateExecError) return err.message;
  throw err;
}

/** A list command's --format (docker's formatter.Context.Write). */
export function renderList(format: string, rows: readonly object[], ctx: ListContext): Rendered {
  let f = format === 'json' ? '{{json .}}' : format;
  const table = f.startsWith('table');
  if (table) f = f.slice(5);
  f = unescapeFormat(f.replace(/^ +| +$/g, ''));
  if (table && f === '') f = ctx.defaultTable ?? '{{json .}}';
  const ps = ctx.probe !== undefined;
  let tmpl: Template;
  try {
    tmpl = Template.parse(f);
  } catch (err) {
    return { stdout: '', stderr: `${ps ? 'failed to parse template' : 'template parsing error'}: ${message(err)}\n`, code: 1 };
  }
  if (ctx.probe) {
    try {
      tmpl.execute(ctx.probe, { type: ctx.type });
    } catch (err) {
      return { stdout: '', stderr: `failed to execute template: ${message(err)}\n`, code: 1 };
    }
  }
  let body = '';
  for (const row of rows) {
    try {
      body += tmpl.execute(row, { type: ctx.type }) + '\n';
    } catch (err) {
      return { stdout: '', stderr: `template parsing error: ${message(err)}\n`, code: 1 };
    }
  }
  if (!table) return { stdout: body, stderr: '', code: 0 };
  // The header: the same template on the column names, docker's header functions, errors ignored.
  const names: Record<string, unknown> = {};
  for (const [k, t] of Object.entries(ctx.type.fields ?? {})) names[k] = t.params?.length ? labelHeader : headerText(k, ctx.headers ?? {});
  let header: string;
  try {
    header = tmpl.execute(names, { type: ctx.type, header: true });
  } catch (err) {
    header = err instanceof TemplateExecError ? err.partial : '';
  }
  return { stdout: tabwrite(header + '\n' + body), stderr: '', code: 0 };
}

export interface InspectItem {
  data: unknown;
  /** docker's typed struct; the raw fallback runs on the same data as decoded JSON. */
  type: GoType;
  /** False where docker has no raw JSON to fall back on (volume inspect). */
  raw: boolean;
}

/** inspect -f (docker's cli/command/inspect): items in order; `errors` are the lines for the end. */
export function renderInspect(format: string, items: ReadonlyArray<InspectItem | { error: string }>): Rendered {
  let tmpl: Template;
  try {
    tmpl = Template.parse(format);
  } catch (err) {
    return { stdout: '', stderr: `template parsing error: ${message(err)}\n`, code: 64 };
  }
  let out = '';
  const errors: string[] = [];
  for (const item of items) {
    if ('error' in item) {
      errors.push(item.error);
      continue;
    }
    try {
      out += tmpl.execute(item.data, { type: item.type }) + '\n';
    } catch (err) {
      const typedError = message(err);
      if (!item.raw) {
        errors.push(`template parsing error: ${typedError}`);
        continue;
      }
      try {
        out += tmpl.execute(item.data, { missingKey: 'error', numbers: 'json' }) + '\n';
      } catch (rawErr) {
        errors.push(`template parsing error: ${message(rawErr)}`);
      }
    }
  }
  return { stdout: out === '' ? '\n' : out, stderr: errors.map((e) => e + '\n').join(''), code: errors.length ? 1 : 0 };
}

/** info -f / version -f: one value; `name` is the template's name (docker's version uses "version"). */
export function renderPlain(format: string, data: unknown, type: GoType, name = ''): Rendered {
  let tmpl: Template;
  try {
    tmpl = Template.parse(format, name);
  } catch (err) {
    return { stdout: '', stderr: `template parsing error: ${message(err)}\n`, code: 64 };
  }
  try {
    return { stdout: tmpl.execute(data, { type }) + '\n', stderr: '', code: 0 };
  } catch (err) {
    const partial = err instanceof TemplateExecError ? err.partial : '';
    return { stdout: partial + '\n', stderr: message(err) + '\n', code: 1 };
  }
}
