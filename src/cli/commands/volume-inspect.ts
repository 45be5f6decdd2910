import { NotFoundError, oneLine } from '../../core/errors.js';
import type { CommandDef } from '../command.js';
import { stringList } from '../flags.js';
import { printFormatted, printJson } from '../output.js';
import { dockerVolumeJson } from '../../present/present.js';

export const volumeInspectCommand: CommandDef = {
  command: 'inspect <volumes..>',
  describe: 'Display detailed information on one or more volumes',
  flags: {
    format: { alias: 'f', type: 'string', describe: 'Format the output using the given Go template' },
  },
  async run(ctx, a) {
    const engine = await ctx.engine();
    const out: unknown[] = [];
    let status = 0;
    for (const name of stringList(a.volumes)) {
      try {
        out.push(dockerVolumeJson(engine.volumes.inspect(name)));
      } catch (err) {
        // docker's CLI words a missing one this way for inspect (rm says "get NAME: no such volume").
        process.stderr.write(`Error: ${err instanceof NotFoundError ? `No such volume: ${name}` : oneLine(err)}\n`);
        status = 1;
      }
    }
    if (typeof a.format === 'string' && a.format) printFormatted(a.format, out);
    else printJson(out);
    return status;
  },
};
