import type { CreateOptions, Engine, StartHandle } from '../../core/engine.js';
import { CtuiError, oneLine } from '../../core/errors.js';
import { trace } from '../../core/util/trace.js';
import type { CommandDef } from '../command.js';
import type { Context } from '../context.js';
import { optionalString, stringList } from '../flags.js';
import { writeLine } from '../output.js';
import { CONTAINER_FLAGS, RUN_FLAGS } from './container-flags.js';
import { attachTerminal } from '../../term/attach.js';

export function createOptions(ctx: Context, a: Record<string, unknown>): CreateOptions {
  const pids = a['pids-limit'] as number | undefined;
  const opt = (k: string) => optionalString(a[k]);
  return {
    image: String(a.image),
    cmd: ctx.trailing,
    name: opt('name'),
    entrypoint: opt('entrypoint'),
    env: stringList(a.env),
    envFiles: stringList(a['env-file']),
    workdir: opt('workdir'),
    user: opt('user'),
    hostname: opt('hostname'),
    tty: Boolean(a.tty),
    interactive: Boolean(a.interactive),
    rm: Boolean(a.rm),
    init: Boolean(a.init),
    privileged: Boolean(a.privileged),
    readOnly: Boolean(a['read-only']),
    capAdd: stringList(a['cap-add']),
    capDrop: stringList(a['cap-drop']),
    securityOpt: stringList(a['security-opt']),
    network: opt('network'),
    memory: opt('memory'),
    memorySwap: opt('memory-swap'),
    cpus: opt('cpus'),
    pidsLimit: pids === undefined || pids <= 0 ? undefined : pids,
    runtime: opt('runtime'),
    labels: stringList(a.label),
    restart: opt('restart'),
    stopSignal: opt('stop-signal'),
    stopTimeout: a['stop-timeout'] as number | undefined,
    healthCmd: opt('health-cmd'),
    healthInterval: opt('health-interval'),
    healthTimeout: opt('health-timeout'),
    healthStartPeriod: opt('health-start-period'),
    healthRetries: a['health-retries'] as number | undefined,
    noHealthcheck: Boolean(a['no-healthcheck']),
    volumes: stringList(a.volume),
    mounts: stringList(a.mount),
    tmpfs: stringList(a.tmpfs),
    volumesFrom: stringList(a['volumes-from']),
  };
}

/** docker run/create exit 125 for every failure of their own (an unknown image too, unlike `rmi`). */
async function as125<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CtuiError && err.exitCode !== 126 && err.exitCode !== 127) throw new CtuiError(err.message, 125);
    throw err;
  }
}

export const runCommand: CommandDef = {
  command: 'run <image> [command..]',
  describe: 'Create and run a new container from an image',
  flags: RUN_FLAGS,
  splitsAtPositional: true,
  async run(ctx, a) {
    const engine = await ctx.engine();
    const opts = { ...createOptions(ctx, a), startsNow: true };
    const id = await as125(() => engine.containers.create(opts));
    trace('run: created');
    if (a.detach) {
      try {
        await (await engine.containers.start(id)).started;
      } catch (err) {
        // It never ran: --rm still means it leaves nothing behind (docker removes it too).
        if (opts.rm) await engine.containers.remove(id, { force: true, volumes: true }).catch(() => {});
        throw err;
      }
      writeLine(id);
      return 0;
    }
    return runInForeground(engine, id, {
      tty: Boolean(a.tty),
      stdin: Boolean(a.interactive),
      detachKeys: optionalString(a['detach-keys']),
      sigProxy: a['sig-proxy'] !== false,
      rm: Boolean(opts.rm),
    });
  },
};

/**
 * docker run without -d (and start -a): the container waits for us to attach, then runs; we pass its
 * output through and exit with its code. A detach leaves it running.
 */
export async function runInForeground(engine: Engine, id: string, f: { tty: boolean; stdin: boolean; detachKeys?: string; sigProxy: boolean; rm: boolean }): Promise<number> {
  let h;
  try {
    h = await engine.containers.start(id, { attach: true });
    await Promise.race([h.attachReady, h.started]);
  } catch (err) {
    // It never ran (e.g. the command does not exist): docker leaves it Created/Exited, or removes it with --rm.
    if (f.rm) await engine.containers.remove(id, { force: true, volumes: true }).catch(() => {});
    h?.release();
    throw err;
  }
  try {
    return await attachAndWait(engine, id, h, f);
  } finally {
    // Done with it on every way out (removed, detached, or an attach that failed): from here what
    // happens at its exit (--rm) is its monitor's. Also lets this process exit.
    h.release();
  }
}

async function attachAndWait(engine: Engine, id: string, h: StartHandle, f: { tty: boolean; stdin: boolean; detachKeys?: string; sigProxy: boolean; rm: boolean }): Promise<number> {
  let startError: unknown;
  h.started.catch((err: unknown) => (startError = err));
  const end = await attachTerminal(engine, id, { tty: f.tty, stdin: f.stdin, ...(f.detachKeys ? { detachKeys: f.detachKeys } : {}), sigProxy: f.sigProxy });
  let code: number;
  // --rm and we leave it running: its monitor removes it when it exits (there is no daemon).
  if (end.kind === 'detach') return 0;
  if (end.kind === 'exit') code = end.code;
  else {
    try {
      await h.started;
      code = await engine.containers.wait(id);
    } catch (err) {
      startError = err;
      code = err instanceof CtuiError ? err.exitCode : 125;
    }
  }
  if (startError !== undefined) {
    await h.started.catch(() => {});
    process.stderr.write(`ctui: ${oneLine(startError)}\n`);
    code = startError instanceof CtuiError ? startError.exitCode : 125;
  }
  if (f.rm) await engine.containers.remove(id, { force: true, volumes: true }).catch(() => {});
  return code;
}

export const createCommand: CommandDef = {
  command: 'create <image> [command..]',
  describe: 'Create a new container',
  flags: CONTAINER_FLAGS,
  splitsAtPositional: true,
  async run(ctx, a) {
    const engine = await ctx.engine();
    writeLine(await as125(() => engine.containers.create(createOptions(ctx, a))));
  },
};
