import { CtuiError } from '../../core/errors.js';
import { forEachName } from '../each.js';
import type { Engine } from '../../core/engine.js';
import type { CommandDef } from '../command.js';
import { optionalString, stringList } from '../flags.js';
import { writeLine } from '../output.js';
import { runInForeground } from './run.js';

export const startCommand: CommandDef = {
  command: 'start <containers..>',
  describe: 'Start one or more stopped containers',
  flags: {
    attach: { alias: 'a', type: 'boolean', describe: "Attach STDOUT/STDERR and forward signals" },
    interactive: { alias: 'i', type: 'boolean', describe: "Attach container's STDIN" },
    'detach-keys': { type: 'string', describe: 'Override the key sequence for detaching a container' },
  },
  async run(ctx, a) {
    const engine = await ctx.engine();
    const names = stringList(a.containers);
    if (a.attach || a.interactive) {
      if (names.length > 1) throw new CtuiError('you cannot start and attach multiple containers at once');
      const info = engine.containers.inspect(names[0]!);
      return runInForeground(engine, info.Record.Id, {
        tty: info.Record.Config.Tty,
        stdin: Boolean(a.interactive),
        ...(optionalString(a['detach-keys']) ? { detachKeys: optionalString(a['detach-keys'])! } : {}),
        sigProxy: !info.Record.Config.Tty,
        rm: info.Record.HostConfig.AutoRemove,
      });
    }
    return forEachName(names, async (name) => {
      const v = engine.containers.inspect(name);
      if (v.State.Status === 'running' || v.State.Status === 'paused') {
        writeLine(name); // docker: starting a running container is not an error
        return;
      }
      const h = await engine.containers.start(name);
      await h.started;
      writeLine(name);
    });
  },
};

export const stopCommand: CommandDef = {
  command: 'stop <containers..>',
  describe: 'Stop one or more running containers',
  flags: {
    time: { alias: 't', type: 'number', describe: 'Seconds to wait for stop before killing it' },
  },
  async run(ctx, a) {
    const engine = await ctx.engine();
    return forEachName(a.containers, async (name) => {
      await engine.containers.stop(name, a.time !== undefined ? { timeout: Number(a.time) } : {});
      writeLine(name);
    });
  },
};

export const restartCommand: CommandDef = {
  command: 'restart <containers..>',
  describe: 'Restart one or more containers',
  flags: { time: { alias: 't', type: 'number', describe: 'Seconds to wait for stop before killing the container' } },
  async run(ctx, a) {
    const engine = await ctx.engine();
    return forEachName(a.containers, async (name) => {
      await engine.containers.stop(name, a.time !== undefined ? { timeout: Number(a.time) } : {});
      const h = await engine.containers.start(name);
      await h.started;
      writeLine(name);
    });
  },
};

export const killCommand: CommandDef = {
  command: 'kill <containers..>',
  describe: 'Kill one or more running containers',
  flags: { signal: { alias: 's', type: 'string', default: 'KILL', describe: 'Signal to send to the container' } },
  async run(ctx, a) {
    const engine = await ctx.engine();
    return forEachName(a.containers, async (name) => {
      await engine.containers.kill(name, String(a.signal ?? 'KILL'));
      writeLine(name);
    });
  },
};

function simple(name: string, describe: string, fn: (e: Engine, n: string) => Promise<void>): CommandDef {
  return {
    command: `${name} <containers..>`,
    describe,
    flags: {},
    async run(ctx, a) {
      const engine = await ctx.engine();
      return forEachName(a.containers, async (n) => {
        await fn(engine, n);
        writeLine(n);
      });
    },
  };
}

export const pauseCommand = simple('pause', 'Pause all processes within one or more containers', (e, n) => e.containers.pause(n));
export const unpauseCommand = simple('unpause', 'Unpause all processes within one or more containers', (e, n) => e.containers.unpause(n));

export const waitCommand: CommandDef = {
  command: 'wait <containers..>',
  describe: 'Block until one or more containers stop, then print their exit codes',
  flags: {},
  async run(ctx, a) {
    const engine = await ctx.engine();
    return forEachName(a.containers, async (name) => {
      writeLine(String(await engine.containers.wait(name)));
    });
  },
};
