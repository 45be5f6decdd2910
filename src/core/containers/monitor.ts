import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CtuiError, RuntimeError } from '../errors.js';
import { nativeDir } from '../helper/native.js';
import type { OciRuntime } from '../runtime/oci.js';
import type { Layout } from '../store/layout.js';
import type { Store } from '../store/store.js';
import { readJsonSync, sameProcessAlive, writeFileAtomicSync } from '../util/fs.js';
import type { ContainerRecord, HealthState } from './model.js';

/**
 * The TypeScript side of ctui-monitor (src/native/monitor, contract in src/native/SPEC.md): one tiny C
 * process per container that outlives ctui, holds its stdio or pty, writes its log, serves attach and
 * records its exit.
 */

export const MONITOR_FILES = {
  conf: 'monitor.conf',
  pid: 'monitor.pid',
  status: 'status.json',
  /** The last life's status, kept while a new start is under way (state.ts). */
  lastStatus: 'status.last.json',
  health: 'health.json',
  log: 'ctr.log',
  attach: 'attach.sock',
  ctrPid: 'ctr.pid',
  healthProcess: 'health-process.json',
} as const;

/** What the monitor writes on every transition. */
export interface MonitorStatus {
  status: 'running' | 'restarting' | 'exited';
  pid: number;
  startedAt: string;
  finishedAt: string;
  exitCode: number;
  restartCount: number;
  error: string;
}

export function monitorBinary(): string {
  return path.join(nativeDir(), 'ctui-monitor');
}

export function monitorFile(layout: Layout, id: string, f: keyof typeof MONITOR_FILES): string {
  return path.join(layout.containerDir(id), MONITOR_FILES[f]);
}

export function readMonitorStatus(layout: Layout, id: string, which: 'status' | 'lastStatus' = 'status'): MonitorStatus | undefined {
  try {
    return readJsonSync<MonitorStatus>(monitorFile(layout, id, which));
  } catch {
    return undefined; // torn reads cannot happen (rename), but a corrupt file must not break ps
  }
}

export function readHealth(layout: Layout, id: string): HealthState | undefined {
  try {
    return readJsonSync<HealthState>(monitorFile(layout, id, 'health'));
  } catch {
    return undefined;
  }
}

export interface MonitorOptions {
  readonly rt: OciRuntime;
  readonly attachWait: boolean;
  readonly healthProcess?: string;
  readonly health?: { intervalMs: number; timeoutMs: number; startPeriodMs: number; retries: number };
  readonly logMax: number;
  readonly logKeep: number;
}

export function writeMonitorConf(store: Store, r: ContainerRecord, o: MonitorOptions): void {
  const rp = r.HostConfig.RestartPolicy;
  const lines = [
    `runtime=${o.rt.binary}`,
    `runtime_root=${o.rt.stateRoot}`,
    `bundle=${store.layout.containerBundle(r.Id)}`,
    `id=${r.Id}`,
    `terminal=${r.Config.Tty ? 1 : 0}`,
    `stdin=${r.Config.OpenStdin ? 1 : 0}`,
    `log_max=${o.logMax}`,
    `log_keep=${o.logKeep}`,
    `restart=${rp.Name}`,
    `restart_max=${rp.MaximumRetryCount}`,
    `events=${store.layout.eventsFile}`,
    `attach_wait=${o.attachWait ? 1 : 0}`,
  ];
  // runc and crun take a rootfs the core mounted on the host: the monitor releases it at the end.
  if (o.rt.name !== 'ctui') lines.push(`rootfs_mount=${store.layout.containerMerged(r.Id)}`);
  if (r.HostConfig.AutoRemove) {
    // --rm without a daemon: the monitor runs `ctui rm -v` once the container has exited for good
    // (-v: docker's --rm takes the container's anonymous volumes along). A foreground run removes
    // it itself while it lives (no second Node process per `run --rm`); the monitor does it only
    // when that caller has died or detached (it lets go of the status pipe: MonitorHandle.release).
    const bin = path.join(path.dirname(nativeDir()), 'bin', 'ctui.js');
    for (const arg of [process.execPath, '--', bin, '--root', store.layout.root, 'rm', '-f', '-v', r.Id]) lines.push(`exit_command=${arg}`);
  }
  if (o.healthProcess && o.health) {
    lines.push(
      `health_process=${o.healthProcess}`,
      `health_interval_ms=${o.health.intervalMs}`,
      `health_timeout_ms=${o.health.timeoutMs}`,
      `health_start_period_ms=${o.health.startPeriodMs}`,
      `health_retries=${o.health.retries}`,
    );
  }
  for (const l of lines) if (l.includes('\n')) throw new CtuiError(`invalid monitor setting: ${JSON.stringify(l)}`);
  writeFileAtomicSync(monitorFile(store.layout, r.Id, 'conf'), lines.join('\n') + '\n');
}

export interface MonitorHandle {
  /** Resolves once the monitor listens and the container is created (attach_wait only). */
  readonly attachReady: Promise<void>;
  /** Resolves with the container's pid once started; rejects with the runtime's error (exit code 125/126/127). */
  readonly started: Promise<number>;
  /**
   * Lets go of the container (closes our end of the status pipe). While a foreground caller holds
   * it, the monitor leaves --rm to that caller; once released (or the caller died), the monitor
   * removes the container itself when it exits. Exiting releases too.
   */
  release(): void;
}

/**
 * Starts `ctui-monitor CDIR`. Its status lines arrive on fd 3: `attach` (attach_wait), then `ok PID` or
 * `err CODE MESSAGE`. The monitor double-forks: nothing of it stays our child.
 */
export function spawnMonitor(store: Store, id: string): MonitorHandle {
  const child = spawn(monitorBinary(), [store.layout.containerDir(id)], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.unref();
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const status = child.stdio[3] as NodeJS.ReadableStream & { unref?: () => void };
  let buf = '';
  let onAttach: () => void = () => {};
  let attachFail: (e: Error) => void = () => {};
  const attachReady = new Promise<void>((resolve, reject) => {
    onAttach = resolve;
    attachFail = reject;
  });
  attachReady.catch(() => {});
  const started = new Promise<number>((resolve, reject) => {
    const fail = (e: Error) => {
      attachFail(e);
      reject(e);
    };
    child.on('error', (err) => fail(new RuntimeError(`cannot start the monitor: ${err.message}`)));
    status.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line === 'attach') onAttach();
        else if (line.startsWith('ok ')) {
          // The monitor keeps its end open for a foreground caller (attach_wait): held, but never
          // keeping this process alive.
          status.unref?.();
          resolve(Number(line.slice(3)));
        }
        else if (line.startsWith('err ')) {
          const m = /^err (\d+) ?(.*)$/.exec(line);
          // The runtime's own line ("ctui-runtime: unable to start ..."): ctui prefixes its own name.
          fail(new RuntimeError(m?.[2]?.replace(/^ctui-runtime: /, '') || 'the container failed to start', Number(m?.[1] ?? 125)));
        }
      }
    });
    status.on('end', () => fail(new RuntimeError(stderr.trim().split('\n').pop() || 'the monitor exited before starting the container')));
  });
  started.catch(() => {});
  const release = () => {
    (status as unknown as { destroy(): void }).destroy();
  };
  return { attachReady, started, release };
}

/** Is the monitor process of this container alive (pid + kernel start time, so a recycled pid never counts)? */
export function monitorAlive(layout: Layout, id: string): boolean {
  const file = monitorFile(layout, id, 'pid');
  // Never started: no pid file (asking is ~10x cheaper than a thrown ENOENT, and ps asks per container).
  if (!fs.existsSync(file)) return false;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  const [pid, start] = text.trim().split(/\s+/).map(Number);
  return sameProcessAlive(pid, start);
}

/** Is pid alive and still a member of this container's cgroup (so not a recycled pid)? */
export function containerProcessAlive(pid: number, id: string): boolean {
  if (!pid) return false;
  try {
    return fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8').includes(`/ctui/${id}`);
  } catch {
    return false;
  }
}

/** The freezer's view: is the container paused? (v1 freezer.state, v2 cgroup.freeze.) */
export function containerPaused(id: string): boolean {
  // FREEZING (a freeze under way, or stuck on a task in uninterruptible sleep) counts as paused, as
  // the runtime's own state does: it is not running, and resume is what undoes it.
  for (const [file, frozen] of [[`/sys/fs/cgroup/freezer/ctui/${id}/freezer.state`, /^(FROZEN|FREEZING)$/], [`/sys/fs/cgroup/ctui/${id}/cgroup.freeze`, /^1$/]] as const) {
    try {
      return frozen.test(fs.readFileSync(file, 'utf8').trim());
    } catch {
      /* not this cgroup version */
    }
  }
  return false;
}
