import { CtuiError } from '../../core/errors.js';
import type { CommandDef } from '../command.js';
import { optionalString, positional } from '../flags.js';
import { writeFileAtomically } from '../outfile.js';

export const exportCommand: CommandDef = {
  command: 'export <container>',
  describe: "Export a container's filesystem as a tar archive",
  flags: {
    output: { alias: 'o', type: 'string', describe: 'Write to a file, instead of STDOUT' },
  },
  async run(ctx, a) {
    const engine = await ctx.engine();
    const name = positional(a.container);
    const output = optionalString(a.output);
    const ac = new AbortController();
    process.once('SIGINT', () => ac.abort());
    if (output === undefined) {
      // An archive is binary: docker refuses to spill it onto a terminal.
      if (process.stdout.isTTY) throw new CtuiError('cowardly refusing to save to a terminal. Use the -o flag or redirect', 1);
      await engine.containers.export(name, process.stdout, ac.signal);
      return;
    }
    await writeFileAtomically(output, (out) => engine.containers.export(name, out, ac.signal));
  },
};
