import { forEachName } from '../each.js';
import type { CommandDef } from '../command.js';
import { writeLine } from '../output.js';

export const rmCommand: CommandDef = {
  command: 'rm <containers..>',
  describe: 'Remove one or more containers',
  flags: {
    force: { alias: 'f', type: 'boolean', describe: 'Force the removal of a running container (uses SIGKILL)' },
    volumes: { alias: 'v', type: 'boolean', describe: 'Remove anonymous volumes associated with the container' },
  },
  async run(ctx, a) {
    const engine = await ctx.engine();
    return forEachName(a.containers, async (name) => {
      await engine.containers.remove(name, { force: Boolean(a.force), volumes: Boolean(a.volumes) });
      writeLine(name);
    });
  },
};
