import * as fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { LoadProgress } from '../../core/engine.js';
import { CtuiError, systemReason } from '../../core/errors.js';
import { humanSize } from '../../core/util/humanize.js';
import type { CommandDef } from '../command.js';
import { optionalString } from '../flags.js';
import { writeLine } from '../output.js';
import { withExitCode } from './archive-exit.js';

export const loadCommand: CommandDef = {
  command: 'load',
  describe: 'Load an image from a tar archive or STDIN (docker-archive or OCI layout, compressed or not)',
  flags: {
    input: { alias: 'i', type: 'string', describe: 'Read from tar archive file, instead of STDIN' },
    quiet: { alias: 'q', type: 'boolean', describe: 'Suppress the load output' },
  },
  async run(ctx, a) {
    return withExitCode(1, async () => {
      const file = optionalString(a.input);
      let input: Readable;
      if (file === undefined) {
        if (process.stdin.isTTY) throw new CtuiError('requested load from stdin, but stdin is empty');
        input = process.stdin;
      } else {
        try {
          const fd = fs.openSync(file, 'r');
          input = fs.createReadStream('', { fd, highWaterMark: 1 << 20 });
        } catch (err) {
          throw new CtuiError(`open ${file}: ${systemReason(err)}`);
        }
      }
      const engine = await ctx.engine();
      const ac = new AbortController();
      const stop = () => ac.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      // Progress only for a person watching (docker -q keeps the "Loaded image" lines, drops the bars).
      const show = !a.quiet && process.stderr.isTTY;
      const onProgress = show
        ? (p: LoadProgress) => process.stderr.write(`\rLoading layers: ${p.layers} (${humanSize(p.bytes)})\x1b[K`)
        : undefined;
      try {
        const loaded = await engine.images.load(input, { signal: ac.signal, ...(onProgress ? { onProgress } : {}) });
        if (show) process.stderr.write('\r\x1b[K');
        for (const img of loaded) {
          if (img.RepoTags.length === 0) writeLine(`Loaded image ID: ${img.Id}`);
          for (const t of img.RepoTags) writeLine(`Loaded image: ${t}`);
        }
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        input.destroy();
      }
    });
  },
};
