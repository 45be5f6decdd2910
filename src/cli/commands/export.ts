import * as fs from 'node:fs';
import * as path from 'node:path';
import { CtuiError } from '../../core/errors.js';
import type { CommandDef } from '../command.js';
import { positional } from '../flags.js';

export const exportCommand: CommandDef = {
  command: 'export <container>',
  describe: "Export a container's filesystem as a tar archive",
  flags: {
    output: { alias: 'o', type: 'string', describe: 'Write to a file, instead of STDOUT' },
  },
  async run(ctx, a) {
    const engine = await ctx.engine();
    const name = positional(a.container);
    const ac = new AbortController();
    process.once('SIGINT', () => ac.abort());
    if (typeof a.output !== 'string') {
      if (process.stdout.isTTY) throw new CtuiError('cowardly refusing to save to a terminal. Use the -o flag or redirect', 1);
      await engine.containers.export(name, process.stdout, ac.signal);
      return;
    }
    // A temp file beside the target, renamed when complete: a failure never leaves half an archive.
    const target = path.resolve(a.output);
    const tmp = path.join(path.dirname(target), `.${path.basename(target)}.ctui-${process.pid}`);
    const out = fs.createWriteStream(tmp, { mode: 0o644 });
    try {
      await engine.containers.export(name, out, ac.signal);
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
      fs.renameSync(tmp, target);
    } catch (err) {
      out.destroy();
      fs.rmSync(tmp, { force: true });
      throw err;
    }
  },
};
