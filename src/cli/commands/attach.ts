import type { CommandDef } from '../command.js';
import { optionalString } from '../flags.js';
import { attachTerminal } from '../../term/attach.js';

export const attachCommand: CommandDef = {
  command: 'attach <container>',
  describe: "Attach local standard input, output, and error streams to a running container",
  flags: {
    'detach-keys': { type: 'string', describe: 'Override the key sequence for detaching a container' },
    'no-stdin': { type: 'boolean', describe: 'Do not attach STDIN' },
    'sig-proxy': { type: 'boolean', default: true, describe: 'Proxy all received signals to the process' },
  },
  async run(ctx, a) {
    const engine = await ctx.engine();
    const info = engine.containers.inspect(String(a.container));
    const tty = info.Record.Config.Tty;
    const end = await attachTerminal(engine, info.Record.Id, {
      tty,
      stdin: !a['no-stdin'] && (info.Record.Config.OpenStdin || tty),
      ...(optionalString(a['detach-keys']) ? { detachKeys: optionalString(a['detach-keys'])! } : {}),
      sigProxy: a['sig-proxy'] !== false && !tty,
    });
    if (end.kind === 'exit') return end.code;
    if (end.kind === 'closed') return engine.containers.wait(info.Record.Id);
    return 0;
  },
};
