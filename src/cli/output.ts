import { CtuiError } from '../core/errors.js';
import { renderTemplate, unescapeFormat } from '../present/template.js';

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

/** Tab-separated cells (from a `table` --format) aligned like a docker table. */
function alignTabs(lines: string[]): string {
  const rows = lines.map((l) => l.split('\t'));
  const cols = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: cols }, (_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd((widths[i] ?? 0) + 3))).join('').trimEnd()).join('\n') + '\n';
}

/**
 * Prints objects with a --format template. `table ...` adds a header made of the field names in
 * upper case with words split (docker prints "CONTAINER ID" for .ID in ps: headers maps those).
 */
export function printFormatted(format: string, items: readonly unknown[], headers: Record<string, string> = {}): void {
  let f = unescapeFormat(format);
  if (f === 'json') f = '{{json .}}';
  const table = f.startsWith('table');
  if (table) f = f.slice(5).trimStart() || '{{json .}}';
  const lines: string[] = [];
  try {
    if (table) {
      lines.push(f.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (_, k: string) => headers[k] ?? k.replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase()));
    }
    for (const item of items) lines.push(renderTemplate(f, item));
  } catch (err) {
    throw new CtuiError(`template: ${(err as Error).message}`);
  }
  write(table ? alignTabs(lines) : lines.map((l) => l + '\n').join(''));
}

export function printJson(value: unknown): void {
  writeLine(JSON.stringify(value, null, 4));
}
