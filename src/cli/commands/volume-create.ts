import { CtuiError } from '../../core/errors.js';
import type { CommandDef } from '../command.js';
import { keyValues, optionalString, stringList } from '../flags.js';
import { writeLine } from '../output.js';

export const volumeCreateCommand: CommandDef = {
  command: 'create [volume]',
  describe: 'Create a volume',
  flags: {
    driver: { alias: 'd', type: 'string', describe: 'Specify volume driver name (only "local")' },
    label: { type: 'string', array: true, describe: 'Set metadata for a volume' },
    opt: { alias: 'o', type: 'string', array: true, describe: 'Set driver specific options (type=tmpfs, o=size=..., or type=none,o=bind,device=PATH)' },
    name: { type: 'string', describe: 'Specify volume name' },
  },
  async run(ctx, a) {
    const positional = optionalString(a.volume);
    const flag = optionalString(a.name);
    if (positional !== undefined && flag !== undefined && positional !== flag) {
      throw new CtuiError('conflicting options: either specify --name or provide positional arg, not both');
    }
    const name = positional ?? flag;
    const driver = optionalString(a.driver);
    const labels = keyValues(stringList(a.label), '--label', false);
    const options = keyValues(stringList(a.opt), '--opt', true);
    const engine = await ctx.engine();
    const v = await engine.volumes.create({ ...(name ? { name } : {}), ...(driver ? { driver } : {}), labels, options });
    writeLine(v.Name);
  },
};
