import type { ContainerSummary } from '../../core/engine.js';
import { CtuiError } from '../../core/errors.js';
import { humanSize } from '../../core/util/humanize.js';
import type { CommandDef } from '../command.js';
import { stringList } from '../flags.js';
import { formatTable, printFormatted, write } from '../output.js';
import { psRow } from '../../present/present.js';
import { PS_ROW } from '../../present/template/types.js';

const PS_HEADERS = { ID: 'CONTAINER ID', RunningFor: 'CREATED', CreatedAt: 'CREATED AT' };
const PS_DEFAULT = '{{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';
/** docker ps first runs the template on an empty row (to see whether it wants .Size): its errors are that run's. */
const PS_PROBE = { ...Object.fromEntries(Object.keys(PS_ROW.fields ?? {}).map((k) => [k, ''])), Label: () => '' };

const STATUSES = ['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead'];

/** docker ps --filter: status, name (substring/regex), id (prefix), ancestor, exited, label, health, volume (name, source or destination). */
function filterFn(list: string[]): (c: ContainerSummary) => boolean {
  const by = new Map<string, string[]>();
  for (const f of list) {
    const eq = f.indexOf('=');
    if (eq <= 0) throw new CtuiError(`invalid filter '${f}'`);
    const k = f.slice(0, eq);
    const v = f.slice(eq + 1);
    if (k === 'status' && !STATUSES.includes(v)) throw new CtuiError(`invalid filter 'status=${v}'`);
    if (!['status', 'name', 'id', 'ancestor', 'exited', 'label', 'health', 'volume'].includes(k)) throw new CtuiError(`invalid filter '${k}'`);
    by.set(k, [...(by.get(k) ?? []), v]);
  }
  return (c) => {
    for (const [k, vals] of by) {
      const ok = vals.some((v) => {
        switch (k) {
          case 'status': return c.State.Status === v;
          case 'name': return new RegExp(v).test(c.Name);
          case 'id': return c.Id.startsWith(v);
          case 'ancestor': return c.Image === v || c.Image === `${v}:latest` || c.ImageId.includes(v);
          case 'exited': return c.State.Status === 'exited' && String(c.State.ExitCode) === v;
          case 'health': return (c.State.Health?.Status ?? 'none') === v;
          case 'volume': return c.Mounts.some((m) => m.Name === v || m.Source === v || m.Destination === v);
          case 'label': {
            const [lk, lv] = v.split('=', 2);
            return c.Labels[lk!] !== undefined && (lv === undefined || c.Labels[lk!] === lv);
          }
          default: return false;
        }
      });
      if (!ok) return false;
    }
    return true;
  };
}

export const psCommand: CommandDef = {
  command: 'ps',
  describe: 'List containers',
  flags: {
    all: { alias: 'a', type: 'boolean', describe: 'Show all containers (default shows just running)' },
    quiet: { alias: 'q', type: 'boolean', describe: 'Only display container IDs' },
    'no-trunc': { type: 'boolean', describe: "Don't truncate output" },
    filter: { alias: 'f', type: 'string', array: true, describe: 'Filter output based on conditions provided (status, name, id, ancestor, exited, label, health, volume)' },
    format: { type: 'string', describe: 'Pretty-print containers using a Go template' },
    last: { alias: 'n', type: 'number', describe: 'Show n last created containers (includes all states)' },
    latest: { alias: 'l', type: 'boolean', describe: 'Show the latest created container (includes all states)' },
    size: { alias: 's', type: 'boolean', describe: 'Display total file sizes' },
  },
  async run(ctx, a) {
    const keep = filterFn(stringList(a.filter));
    const engine = await ctx.engine();
    const now = Date.now();
    const last = a.latest ? 1 : typeof a.last === 'number' && a.last > 0 ? a.last : undefined;
    // docker: -n/-l and a status filter imply all states.
    const all = Boolean(a.all) || last !== undefined || stringList(a.filter).some((f) => f.startsWith('status=') || f.startsWith('exited='));
    let list = engine.containers.list({ all }).filter(keep);
    if (last !== undefined) list = list.slice(0, last);
    const rows = list.map((c) => psRow(c, !a['no-trunc'], now));
    const format = typeof a.format === 'string' ? a.format : '';
    // docker computes sizes when the template asks for .Size.
    if (a.size || /\.Size\b/.test(format)) {
      for (let i = 0; i < rows.length; i++) {
        const c = list[i]!;
        const own = await engine.containers.size(c.Id);
        rows[i]!.Size = `${humanSize(own)} (virtual ${humanSize(own + c.ImageSize)})`;
      }
    }
    if (a.quiet) return write(rows.map((r) => r.ID + '\n').join(''));
    if (format) {
      // .Label "key" as docker's ContainerContext has it.
      const labelled = rows.map((r, i) => ({ ...r, Label: (k: string) => list[i]!.Labels[k] ?? '' }));
      return printFormatted(format, labelled, { type: PS_ROW, headers: PS_HEADERS, defaultTable: PS_DEFAULT, probe: PS_PROBE });
    }
    const header = ['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES', ...(a.size ? ['SIZE'] : [])];
    write(formatTable(header, rows.map((r) => [r.ID, r.Image, r.Command, r.RunningFor, r.Status, r.Ports, r.Names, ...(a.size ? [r.Size] : [])])));
  },
};
