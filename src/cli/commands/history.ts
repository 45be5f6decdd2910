import { humanSize, timeAgo } from '../../core/util/humanize.js';
import type { CommandDef } from '../command.js';
import { formatTable, printFormatted, write } from '../output.js';
import { HISTORY_ROW } from '../../present/template/types.js';

export const historyCommand: CommandDef = {
  command: 'history <image>',
  describe: 'Show the history of an image',
  flags: {
    human: { alias: 'H', type: 'boolean', default: true, describe: 'Print sizes and dates in human readable format' },
    'no-trunc': { type: 'boolean', describe: "Don't truncate output" },
    quiet: { alias: 'q', type: 'boolean', describe: 'Only show image IDs' },
    format: { type: 'string', describe: 'Pretty-print history using a Go template' },
  },
  async run(ctx, a) {
    const engine = await ctx.engine();
    const items = engine.images.history(String(a.image));
    const trunc = !a['no-trunc'];
    const rows = items.map((h) => ({
      ID: h.Id === '<missing>' ? h.Id : trunc ? h.Id.slice(7, 19) : h.Id,
      CreatedSince: a.human === false ? h.Created : timeAgo(h.Created),
      CreatedAt: h.Created,
      CreatedBy: trunc && h.CreatedBy.length > 45 ? h.CreatedBy.slice(0, 44) + '…' : h.CreatedBy,
      Size: a.human === false ? String(h.Size) : humanSize(h.Size),
      Comment: h.Comment,
    }));
    if (a.quiet) return write(rows.map((r) => r.ID + '\n').join(''));
    if (typeof a.format === 'string' && a.format) return printFormatted(a.format, rows, { type: HISTORY_ROW, headers: { ID: 'IMAGE', CreatedSince: 'CREATED', CreatedBy: 'CREATED BY' }, defaultTable: '{{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}' });
    write(formatTable(['IMAGE', 'CREATED', 'CREATED BY', 'SIZE', 'COMMENT'], rows.map((r) => [r.ID, r.CreatedSince, r.CreatedBy, r.Size, r.Comment])));
  },
};
