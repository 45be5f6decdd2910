import type { ArchiveFormat } from '../../core/engine.js';
import { CtuiError } from '../../core/errors.js';
import type { CommandDef } from '../command.js';
import { optionalString, stringList } from '../flags.js';
import { withExitCode } from './archive-exit.js';
import { writeFileAtomically } from '../outfile.js';

const FORMATS: readonly ArchiveFormat[] = ['docker-archive', 'oci-archive'];

export const saveCommand: CommandDef = {
  command: 'save <images..>',
  describe: 'Save one or more images to a tar archive (streamed to STDOUT by default)',
  flags: {
    output: { alias: 'o', type: 'string', describe: 'Write to a file, instead of STDOUT' },
    format: { type: 'string', describe: 'Archive format: docker-archive (default) or oci-archive' },
  },
  async run(ctx, a) {
    return withExitCode(1, async () => {
      const format = (optionalString(a.format) ?? 'docker-archive') as ArchiveFormat;
      if (!FORMATS.includes(format)) throw new CtuiError(`unknown --format ${format}: docker-archive or oci-archive`);
      const names = stringList(a.images);
      const output = optionalString(a.output);
      // An archive is binary: docker refuses to spill it onto a terminal.
      if (output === undefined && process.stdout.isTTY) throw new CtuiError('cowardly refusing to save to a terminal. Use the -o flag or redirect');
      const engine = await ctx.engine();
      const ac = new AbortController();
      const stop = () => ac.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        if (output === undefined) {
          await engine.images.save(names, { format, output: process.stdout, signal: ac.signal });
          return;
        }
        await writeFileAtomically(output, (out) => engine.images.save(names, { format, output: out, signal: ac.signal }));
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    });
  },
};
