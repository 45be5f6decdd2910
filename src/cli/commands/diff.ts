import { ChangeKind } from '../../core/engine.js';
import type { CommandDef } from '../command.js';
import { positional } from '../flags.js';
import { write } from '../output.js';

const LETTER: Record<ChangeKind, string> = { [ChangeKind.Modified]: 'C', [ChangeKind.Added]: 'A', [ChangeKind.Deleted]: 'D' };

export const diffCommand: CommandDef = {
  command: 'diff <container>',
  describe: "Inspect changes to files or directories on a container's filesystem",
  flags: {},
  async run(ctx, a) {
    const engine = await ctx.engine();
    const { changes } = engine.containers.diff(positional(a.container));
    write(changes.map((c) => `${LETTER[c.Kind]} ${c.Path}\n`).join(''));
  },
};
