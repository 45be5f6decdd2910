import type { CommandDef } from '../command.js';
import { positional, stringList } from '../flags.js';
import { writeLine } from '../output.js';

export const commitCommand: CommandDef = {
  command: 'commit <container> [repository]',
  describe: "Create a new image from a container's changes",
  flags: {
    author: { alias: 'a', type: 'string', describe: 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")' },
    change: { alias: 'c', type: 'string', array: true, describe: 'Apply Dockerfile instruction to the created image' },
    message: { alias: 'm', type: 'string', describe: 'Commit message' },
    pause: { alias: 'p', type: 'boolean', default: true, describe: 'Pause container during commit' },
  },
  async run(ctx, a) {
    const engine = await ctx.engine();
    const ac = new AbortController();
    process.once('SIGINT', () => ac.abort());
    const id = await engine.containers.commit(positional(a.container), {
      ...(a.repository !== undefined ? { reference: String(a.repository) } : {}),
      ...(typeof a.author === 'string' ? { author: a.author } : {}),
      ...(typeof a.message === 'string' ? { message: a.message } : {}),
      changes: stringList(a.change),
      pause: a.pause !== false,
      signal: ac.signal,
      onSkip: (p, why) => process.stderr.write(`ctui: left out /${p}: ${why}\n`),
    });
    writeLine(id);
  },
};
