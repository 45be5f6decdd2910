import { CtuiError } from '../../core/errors.js';
import type { UpdateOptions } from '../../core/engine.js';
import type { CommandDef } from '../command.js';
import { forEachName } from '../each.js';
import { optionalString } from '../flags.js';
import { writeLine } from '../output.js';

const num = (v: unknown): number | undefined => (v === undefined ? undefined : Number(v));

export const updateCommand: CommandDef = {
  command: 'update <containers..>',
  describe: 'Update configuration of one or more containers',
  flags: {
    'blkio-weight': { type: 'number', describe: 'Block IO (relative weight), between 10 and 1000, or 0 to disable' },
    'cpu-period': { type: 'number', describe: 'Limit CPU CFS (Completely Fair Scheduler) period' },
    'cpu-quota': { type: 'number', describe: 'Limit CPU CFS (Completely Fair Scheduler) quota' },
    'cpu-rt-period': { type: 'number', describe: 'Limit the CPU real-time period in microseconds (not supported)' },
    'cpu-rt-runtime': { type: 'number', describe: 'Limit the CPU real-time runtime in microseconds (not supported)' },
    'cpu-shares': { alias: 'c', type: 'number', describe: 'CPU shares (relative weight)' },
    cpus: { type: 'string', describe: 'Number of CPUs' },
    'cpuset-cpus': { type: 'string', describe: 'CPUs in which to allow execution (0-3, 0,1)' },
    'cpuset-mems': { type: 'string', describe: 'MEMs in which to allow execution (0-3, 0,1)' },
    'kernel-memory': { type: 'string', describe: 'Kernel memory limit (deprecated: ignored)' },
    memory: { alias: 'm', type: 'string', describe: 'Memory limit' },
    'memory-reservation': { type: 'string', describe: 'Memory soft limit' },
    'memory-swap': { type: 'string', describe: "Swap limit equal to memory plus swap: '-1' to enable unlimited swap" },
    'pids-limit': { type: 'number', describe: 'Tune container pids limit (set -1 for unlimited)' },
    restart: { type: 'string', describe: 'Restart policy to apply when a container exits' },
  },
  async run(ctx, a) {
    for (const rt of ['cpu-rt-period', 'cpu-rt-runtime']) {
      if (a[rt] !== undefined) throw new CtuiError(`--${rt}: real-time CPU limits are not supported (the kernel here has no RT group scheduling)`);
    }
    const opts: UpdateOptions = {
      ...(optionalString(a.memory) !== undefined ? { memory: String(a.memory) } : {}),
      ...(optionalString(a['memory-swap']) !== undefined ? { memorySwap: String(a['memory-swap']) } : {}),
      ...(optionalString(a['memory-reservation']) !== undefined ? { memoryReservation: String(a['memory-reservation']) } : {}),
      ...(optionalString(a.cpus) !== undefined ? { cpus: String(a.cpus) } : {}),
      ...(a['cpu-shares'] !== undefined ? { cpuShares: num(a['cpu-shares'])! } : {}),
      ...(a['cpu-period'] !== undefined ? { cpuPeriod: num(a['cpu-period'])! } : {}),
      ...(a['cpu-quota'] !== undefined ? { cpuQuota: num(a['cpu-quota'])! } : {}),
      ...(optionalString(a['cpuset-cpus']) !== undefined ? { cpusetCpus: String(a['cpuset-cpus']) } : {}),
      ...(optionalString(a['cpuset-mems']) !== undefined ? { cpusetMems: String(a['cpuset-mems']) } : {}),
      ...(a['pids-limit'] !== undefined ? { pidsLimit: num(a['pids-limit'])! } : {}),
      ...(a['blkio-weight'] !== undefined ? { blkioWeight: num(a['blkio-weight'])! } : {}),
      ...(optionalString(a.restart) !== undefined ? { restart: String(a.restart) } : {}),
    };
    if (a['kernel-memory'] !== undefined) {
      process.stderr.write('Specifying a kernel memory limit is deprecated and will be removed in a future release (ctui ignores it).\n');
    } else if (Object.keys(opts).length === 0) {
      throw new CtuiError('you must provide one or more flags when using this command', 1);
    }
    const engine = await ctx.engine();
    return forEachName(a.containers, async (name) => {
      await engine.containers.update(name, opts);
      writeLine(name);
    });
  },
};
