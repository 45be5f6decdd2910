import type { CommandDef } from '../command.js';

export const renameCommand: CommandDef = {
  command: 'rename <container> <name>',
  describe: 'Rename a container',
  flags: {},
  async run(ctx, a) {
    const engine = await ctx.engine();
    await engine.containers.rename(String(a.container), String(a.name));
  },
};
