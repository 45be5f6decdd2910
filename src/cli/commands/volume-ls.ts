import { volumeRow } from '../../present/rows.js';
import type { CommandDef } from '../command.js';
import { stringList } from '../flags.js';
import { formatTable, printFormatted, write } from '../output.js';
import { VOLUME_ROW } from '../../present/template/types.js';

export const volumeLsCommand: CommandDef = {
  command: 'ls',
  aliases: ['list'],
  describe: 'List volumes',
  flags: {
    quiet: { alias: 'q', type: 'boolean', describe: 'Only display volume names' },
    filter: { alias: 'f', type: 'string', array: true, describe: "Provide filter values (e.g. 'dangling=true', 'label=k[=v]', 'name=x', 'driver=local')" },
    format: { type: 'string', describe: 'Pretty-print volumes using a Go template' },
  },
  async run(ctx, a) {
    const engine = await ctx.engine();
    const vols = engine.volumes.list({ filters: stringList(a.filter) });
    const rows = vols.map(volumeRow);
    if (a.quiet) return write(rows.map((r) => r.Name + '\n').join(''));
    if (typeof a.format === 'string' && a.format) {
      // .Label "key" as docker's volume context has it.
      const labelled = rows.map((r, i) => ({ ...r, Label: (k: string) => vols[i]!.Labels?.[k] ?? '' }));
      return printFormatted(a.format, labelled, { type: VOLUME_ROW, headers: { Name: 'VOLUME NAME', CreatedAt: 'CREATED' }, defaultTable: '{{.Driver}}\t{{.Name}}' });
    }
    write(formatTable(['DRIVER', 'VOLUME NAME'], rows.map((r) => [r.Driver, r.Name]), 10));
  },
};
