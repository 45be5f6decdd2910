import { humanSize } from '../../core/util/humanize.js';
import type { CommandDef } from '../command.js';
import { printPlain, write } from '../output.js';
import { plainStruct } from '../../present/template/types.js';

/** docker info runs -f on its system.info (types.Info and the client's part). */
const INFO = plainStruct('system.info', {});
import { dockerInfoJson } from '../../present/present.js';

export const infoCommand: CommandDef = {
  command: 'info',
  describe: 'Display system-wide information',
  flags: { format: { alias: 'f', type: 'string', describe: 'Format the output using the given Go template' } },
  async run(ctx, a) {
    const engine = await ctx.engine();
    const i = engine.info();
    if (typeof a.format === 'string' && a.format) return printPlain(a.format, dockerInfoJson(i), INFO);
    write([
      'Server:',
      ` Containers: ${i.containers.total}`,
      `  Running: ${i.containers.running}`,
      `  Paused: ${i.containers.paused}`,
      `  Stopped: ${i.containers.stopped}`,
      ` Images: ${i.images}`,
      ' Storage Driver: overlay',
      ' Logging Driver: ctui-monitor',
      ` Cgroup Version: ${i.cgroupVersion}`,
      ` Runtimes: ${i.runtimes.join(' ')}`,
      ` Default Runtime: ${i.defaultRuntime}`,
      ' Security Options:',
      '  seccomp',
      `   Profile: ${i.seccomp.name} (${i.seccomp.path ?? 'not installed: rerun scripts/setup.sh'})`,
      ` Kernel Version: ${i.kernel}`,
      ` Operating System: ${i.os}`,
      ` Architecture: ${i.arch}`,
      ` CPUs: ${i.cpus}`,
      ` Total Memory: ${humanSize(i.memory)}`,
      ` Root Dir: ${i.root}`,
      ' Daemon: none (ctui is daemonless)',
      '',
    ].join('\n'));
  },
};
