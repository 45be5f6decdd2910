import { volumeRow } from '../../present/rows.js';
import type { CommandDef } from '../command.js';
import { stringList } from '../flags.js';
import { formatTable, printFormatted, write } from '../output.js';

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
    const rows = engine.volumes.list({ filters: stringList(a.filter) }).map(volumeRow);
    if (a.quiet) return write(rows.map((r) => r.Name + '\n').join(''));
    if (typeof a.format === 'string' && a.format) {
      return printFormatted(a.format, rows, { Name: 'VOLUME NAME', CreatedAt: 'CREATED' });
    }
    write(formatTable(['DRIVER', 'VOLUME NAME'], rows.map((r) => [r.Driver, r.Name]), 10));
  },
};
