/**
 * Go's text/template as docker's --format and -f give it: the whole language (template/lex, parse,
 * exec), Go's fmt (template/gofmt), text/template's builtins and docker's functions (template/funcs),
 * docker's types for what a nil or missing value prints (template/types). One engine for the CLI's every
 * --format and the TUI's custom commands. Parse once, execute per row.
 */
import { BUILTINS, DOCKER_FUNCS, HEADER_FUNCS, type GoFunc } from './template/funcs.js';
import { execute, TemplateExecError, type ExecOptions } from './template/exec.js';
import { parse, TemplateParseError, type ParsedTemplate } from './template/parse.js';
import { dyn, formatValue, type GoType } from './template/value.js';

export { TemplateExecError, TemplateParseError };
export type { GoType };

const FUNCS: Readonly<Record<string, GoFunc>> = { ...BUILTINS, ...DOCKER_FUNCS };
const HEADER: Readonly<Record<string, GoFunc>> = { ...BUILTINS, ...DOCKER_FUNCS, ...HEADER_FUNCS };

export interface RunOptions {
  /** The data's Go type (template/types.ts); without one the data reads as decoded JSON. */
  type?: GoType;
  /** "error" as docker's inspect fallback: a missing map key is an error, not <no value>. */
  missingKey?: 'default' | 'error';
  /** json: numbers are json.Number (docker's raw inspect fallback decodes with UseNumber). */
  numbers?: 'go' | 'json';
  /** The `table` header pass: docker's header functions (json, upper ... return their argument). */
  header?: boolean;
}

/** A parsed template. */
export class Template {
  private constructor(private readonly tree: ParsedTemplate) {}

  /** Parses `text`; throws TemplateParseError (`template: :1: unclosed action`). `name` is Go's template name. */
  static parse(text: string, name = ''): Template {
    return new Template(parse(text, (f) => f in FUNCS, name));
  }

  /** Runs the template on data; throws TemplateExecError in Go's words. */
  execute(data: unknown, opts: RunOptions = {}): string {
    const o: ExecOptions = { funcs: opts.header ? HEADER : FUNCS, type: opts.type, missingKey: opts.missingKey ?? 'default', numbers: opts.numbers ?? 'go' };
    return execute(this.tree, data, o);
  }
}

const cache = new Map<string, Template>();

/** Parses (once per text) and runs a template on plain data; a missing key is an error. Throws with Go's message. */
export function renderTemplate(template: string, data: unknown): string {
  let t = cache.get(template);
  if (!t) {
    t = Template.parse(template);
    if (cache.size > 100) cache.clear();
    cache.set(template, t);
  }
  return t.execute(data, { missingKey: 'error' });
}

/** Go's default formatting (%v) of plain data. */
export function goString(v: unknown): string {
  const x = dyn(v, 'go');
  return x.t.kind === 'invalid' ? '<no value>' : formatValue(x);
}

/** docker's list formatters (not inspect, info or version) turn \t and \n in --format into tab and newline. */
export function unescapeFormat(f: string): string {
  return f.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
}
