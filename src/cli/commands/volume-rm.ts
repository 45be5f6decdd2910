import type { CommandDef } from '../command.js';
import { forEachName } from '../each.js';
import { writeLine } from '../output.js';

export const volumeRmCommand: CommandDef = {
  command: 'rm <volumes..>',
  aliases: ['remove'],
  describe: 'Remove one or more volumes',
  flags: {
    force: { alias: 'f', type: 'boolean', describe: 'Do not error when a volume does not exist' },
  },
  async run(ctx, a) {
    const engine = await ctx.engine();
    return forEachName(a.volumes, async (name) => {
      await engine.volumes.remove(name, { force: Boolean(a.force) });
      writeLine(name);
    });
  },
};
