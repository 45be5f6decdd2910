import { NotFoundError, oneLine } from '../../core/errors.js';
import type { CommandDef } from '../command.js';
import { stringList } from '../flags.js';
import { printInspect, printJson } from '../output.js';
import type { InspectItem } from '../format.js';
import { VOLUME } from '../../present/template/types.js';
import { dockerVolumeJson } from '../../present/present.js';

export const volumeInspectCommand: CommandDef = {
  command: 'inspect <volumes..>',
  describe: 'Display detailed information on one or more volumes',
  flags: {
    format: { alias: 'f', type: 'string', describe: 'Format the output using the given Go template' },
  },
  async run(ctx, a) {
    const engine = await ctx.engine();
    const items: Array<InspectItem | { error: string }> = [];
    for (const name of stringList(a.volumes)) {
      try {
        // types.Volume, and no raw JSON to fall back on (docker's volume inspect has none).
        items.push({ data: dockerVolumeJson(engine.volumes.inspect(name)), type: VOLUME, raw: false });
      } catch (err) {
        // docker's CLI words a missing one this way for inspect (rm says "get NAME: no such volume").
        items.push({ error: `Error: ${err instanceof NotFoundError ? `No such volume: ${name}` : oneLine(err)}` });
      }
    }
    if (typeof a.format === 'string' && a.format) return printInspect(a.format, items);
    for (const i of items) if ('error' in i) process.stderr.write(i.error + '\n');
    printJson(items.flatMap((i) => ('data' in i ? [i.data] : [])));
    return items.some((i) => 'error' in i) ? 1 : 0;
  },
};
