import { CtuiError } from '../core/errors.js';
import type { GoType } from '../present/template.js';
import type { InspectItem, ListContext } from './format.js';

// The template engine loads only when a --format asks for it (start-up time is a budget).
const engine = () => import('./format.js');

/** Everything the CLI prints goes through here: tables as docker aligns them, --format, JSON. */

export function write(text: string): void {
  process.stdout.write(text);
}

export function writeLine(text = ''): void {
  process.stdout.write(text + '\n');
}

/**
 * Columns padded to the widest cell plus 3 spaces (docker's tabwriter settings). minWidth is
 * tabwriter's minimal cell width (docker's formatter uses 10: "DRIVER    VOLUME NAME").
 */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, minWidth = 0): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(minWidth - 3, ...all.map((r) => (r[i] ?? '').length)));
  return all
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd((widths[i] ?? 0) + 3))).join('').trimEnd())
    .join('\n') + '\n';
}

/**
 * A list command's --format (ps, images, volume ls, stats, history, system df, events): docker's
 * formatter, `table` with a header and columns. A bad template is one line and exit 1, as docker's.
 */
export async function printFormatted(format: string, rows: readonly object[], ctx: ListContext): Promise<void> {
  const r = (await engine()).renderList(format, rows, ctx);
  if (r.code !== 0) throw new CtuiError(r.stderr.trimEnd(), r.code);
  write(r.stdout);
}

/**
 * inspect -f: every object's output, then every error (a missing object, a template that failed on one)
 * on stderr; returns the exit code (64 for a template that does not parse, as docker's).
 */
export async function printInspect(format: string, items: ReadonlyArray<InspectItem | { error: string }>): Promise<number> {
  const r = (await engine()).renderInspect(format, items);
  write(r.stdout);
  process.stderr.write(r.stderr);
  return r.code;
}

/** info -f / version -f: one struct; exit 64 for a template that does not parse, 1 for one that fails. */
export async function printPlain(format: string, data: unknown, type: GoType, name = ''): Promise<number> {
  const r = (await engine()).renderPlain(format, data, type, name);
  write(r.stdout);
  process.stderr.write(r.stderr);
  return r.code;
}

export function printJson(value: unknown): void {
  writeLine(JSON.stringify(value, null, 4));
}
