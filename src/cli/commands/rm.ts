import { CtuiError } from '../../core/errors.js';
import { forEachName } from '../each.js';
import type { CommandDef } from '../command.js';
import { writeLine } from '../output.js';

export const rmCommand: CommandDef = {
  command: 'rm <containers..>',
  describe: 'Remove one or more containers',
  flags: {
    force: { alias: 'f', type: 'boolean', describe: 'Force the removal of a running container (uses SIGKILL)' },
    link: { alias: 'l', type: 'boolean', describe: 'Remove the specified link (ctui has no links)' },
    volumes: { alias: 'v', type: 'boolean', describe: 'Remove anonymous volumes associated with the container' },
  },
  async run(ctx, a) {
    if (a.link) throw new CtuiError('--link: ctui has no legacy container links, so there is no link to remove (leave out --link to remove the container)');
    const engine = await ctx.engine();
    return forEachName(a.containers, async (name) => {
      await engine.containers.remove(name, { force: Boolean(a.force), volumes: Boolean(a.volumes) });
      writeLine(name);
    });
  },
};
