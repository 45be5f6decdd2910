import { renderTemplate } from '../present/template.js';
import { isKeyName } from './keymap.js';
import { TERMINAL_SEQUENCES } from './state/logs.js';
import type { Data, Row } from './state/rows.js';
import type { PaneKind } from './state/ui.js';

/**
 * The user's own commands, lazydocker's customCommands: in keys.json,
 *
 *   "customCommands": [{ "key": "ctrl-d", "name": "compose down", "context": "containers",
 *                        "command": "docker-compose -p {{.Labels.project}} down", "output": "terminal" }]
 *
 * `command` is a docker --format template over the selection (`{{.ID}}`, `{{.Name}}`, `{{.Image}}`,
 * `{{.Container.ID}}` as lazydocker writes it, `{{.IDs}}` for the marked rows); it runs with `sh -c` on
 * this host with CTUI_ROOT set, so `ctui` inside it reaches the same store. `output` says where it
 * runs: `terminal` (the whole terminal, then Enter returns; lazydocker's attach: true), `pane` (its
 * output in an overlay, live) or `background` (one status line when it ends).
 */
export type CustomContext = PaneKind | 'global';
export type CustomOutput = 'terminal' | 'pane' | 'background';

export interface CustomCommand {
  readonly key: string;
  readonly name: string;
  readonly command: string;
  readonly context: CustomContext;
  readonly output: CustomOutput;
  readonly description?: string;
}

const CONTEXTS: readonly CustomContext[] = ['containers', 'images', 'volumes', 'global'];
const OUTPUTS: readonly CustomOutput[] = ['terminal', 'pane', 'background'];

/** Reads keys.json's customCommands; returns the commands or the reason the list is refused. */
export function parseCustomCommands(v: unknown): { commands: CustomCommand[] } | { error: string } {
  if (!Array.isArray(v)) return { error: "'customCommands' needs a list like [{\"key\": \"ctrl-d\", \"name\": \"down\", \"command\": \"...\"}]" };
  const out: CustomCommand[] = [];
  for (const [i, c] of v.entries()) {
    const at = `customCommands[${i}]`;
    if (typeof c !== 'object' || c === null || Array.isArray(c)) return { error: `${at} needs an object with key, name and command` };
    const o = c as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!['key', 'name', 'command', 'context', 'output', 'attach', 'description'].includes(k)) return { error: `${at}: unknown field '${k}'` };
    if (typeof o.key !== 'string' || !isKeyName(o.key)) return { error: `${at}: 'key' needs a key like "ctrl-d" or "D"` };
    if (typeof o.command !== 'string' || !o.command.trim()) return { error: `${at}: 'command' needs the command to run` };
    if (o.name !== undefined && typeof o.name !== 'string') return { error: `${at}: 'name' needs a string` };
    const context = o.context ?? 'containers';
    if (!CONTEXTS.includes(context as CustomContext)) return { error: `${at}: 'context' is one of ${CONTEXTS.join(', ')}` };
    // lazydocker's "attach": true is our output "terminal".
    const output = o.output ?? (o.attach === true ? 'terminal' : 'pane');
    if (!OUTPUTS.includes(output as CustomOutput)) return { error: `${at}: 'output' is one of ${OUTPUTS.join(', ')}` };
    if (o.attach !== undefined && typeof o.attach !== 'boolean') return { error: `${at}: 'attach' is true or false` };
    if (o.description !== undefined && typeof o.description !== 'string') return { error: `${at}: 'description' needs a string` };
    const dup = out.find((x) => x.key === o.key && (x.context === context || x.context === 'global' || context === 'global'));
    if (dup) return { error: `${at}: ${o.key} is bound to both '${dup.name}' and '${(o.name as string | undefined) ?? o.command}'` };
    out.push({
      key: o.key,
      name: (o.name as string | undefined) || (o.command as string),
      command: o.command,
      context: context as CustomContext,
      output: output as CustomOutput,
      ...(typeof o.description === 'string' ? { description: o.description } : {}),
    });
  }
  return { commands: out };
}

/** The command bound to a key on a pane (a pane's own command before a global one). */
export function customFor(commands: readonly CustomCommand[], key: string, pane: PaneKind): CustomCommand | undefined {
  return commands.find((c) => c.key === key && c.context === pane) ?? commands.find((c) => c.key === key && c.context === 'global');
}

/** A value as one shell word: plain words as they are, anything else single-quoted. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function quoted(v: unknown): unknown {
  if (typeof v === 'string') return shellWord(v);
  if (Array.isArray(v)) return v.map(quoted);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, quoted(x)]));
  return v;
}

/**
 * What a template sees for the selection: docker's field names, every string already one shell word
 * (a label with a space or a quote cannot break out of the command). `targets` are the marked rows'
 * (or the selection's) ids for `{{.IDs}}`.
 */
export function templateData(pane: PaneKind, row: Row | undefined, data: Data, targets: readonly string[]): Record<string, unknown> {
  const base: Record<string, unknown> = { IDs: targets.map(shellWord).join(' ') };
  if (!row) return base;
  if (pane === 'containers') {
    const c = data.containers.find((x) => x.Id === row.objectId);
    const o = { ID: row.objectId, Name: row.name ?? '', Names: row.name ?? '', Image: c?.Image ?? '', Command: c?.Command ?? '', State: c?.State.Status ?? '', Labels: c?.Labels ?? {} };
    return { ...base, ...(quoted(o) as object), Container: quoted(o) };
  }
  if (pane === 'images') {
    const ref = row.target;
    const colon = ref.lastIndexOf(':');
    const repo = colon > ref.lastIndexOf('/') ? ref.slice(0, colon) : ref;
    const o = { ID: row.objectId, Name: ref, Repository: repo, Tag: colon > ref.lastIndexOf('/') ? ref.slice(colon + 1) : '' };
    return { ...base, ...(quoted(o) as object), Image: quoted(o) };
  }
  const v = data.volumes.find((x) => x.Name === row.objectId);
  const o = { Name: row.objectId, ID: row.objectId, Driver: v?.Driver ?? 'local', Mountpoint: v?.Mountpoint ?? '', Labels: v?.Labels ?? {} };
  return { ...base, ...(quoted(o) as object), Volume: quoted(o) };
}

/** The command line to run, or the template's error. */
export function expandCommand(cmd: CustomCommand, data: Record<string, unknown>): { line: string } | { error: string } {
  try {
    return { line: renderTemplate(cmd.command, data) };
  } catch (err) {
    return { error: `${cmd.name}: ${(err as Error).message}` };
  }
}

/** A command's output as text for the overlay: terminal sequences and control characters go, lines stay. */
export function outputText(chunk: string): string {
  return chunk.replace(TERMINAL_SEQUENCES, '').replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, '');
}
