import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConflictError, CtuiError, NotFoundError } from '../errors.js';
import { appendEvent } from '../events/log.js';
import { mountOverlay, unmount } from '../helper/native.js';
import { forceDelete, resolveRuntime, runtimeVerb, type OciRuntime } from '../runtime/oci.js';
import { mountsBelow } from '../store/repair.js';
import type { Store } from '../store/store.js';
import { pidStartTime, sleepSync, writeJsonAtomicSync } from '../util/fs.js';
import { removeAnonymousVolumesLocked } from '../volumes/remove.js';
import { trace } from '../util/trace.js';
import { AttachConnection } from './attach.js';
import { writeBundle } from './bundle.js';
import { effectiveHealthcheck, healthProcess } from './health.js';
import type { ContainerRecord, ContainerState } from './model.js';
import { monitorAlive, monitorFile, spawnMonitor, writeMonitorConf, type MonitorHandle } from './monitor.js';
import { copyMarked, markAlive } from './copymark.js';

/** Log rotation: docker's json-file has no limit by default; ctui keeps 3 x 10 MB, as podman's k8s-file caps. */
const LOG_MAX = 10 * 1024 * 1024;
const LOG_KEEP = 3;

const isUp = (s: ContainerState) => s.Status === 'running' || s.Status === 'paused' || s.Status === 'restarting';

/** The image's layers as overlay lowerdirs (relative to the store root), top first. */
export function rootfsLowers(store: Store, r: ContainerRecord): string[] {
  const image = store.images.get(r.Image);
  if (!image) throw new CtuiError(`image ${r.Image} of container ${r.Name} is missing from the store`);
  return store.layers.lowerDirs(image.config.rootfs.diff_ids);
}

/** Mounts the container's rootfs on the host (for runtimes other than ctui-runtime, which mounts it itself). */
export function mountRootfs(store: Store, r: ContainerRecord, lowers: readonly string[]): void {
  const merged = store.layout.containerMerged(r.Id);
  if (mountsBelow(merged).includes(merged)) return;
  mountOverlay({ cwd: store.layout.root, lowers, upper: store.layout.containerUpper(r.Id), work: store.layout.containerWork(r.Id), target: merged });
}

export function unmountRootfs(store: Store, id: string): void {
  const merged = store.layout.containerMerged(id);
  if (mountsBelow(merged).includes(merged)) unmount([merged]);
}

function event(store: Store, r: ContainerRecord, action: string, extra: Record<string, string> = {}): void {
  appendEvent(store.layout, { type: 'container', action, id: r.Id, attributes: { image: r.Config.Image, name: r.Name, ...extra } });
}

export interface StartedContainer {
  readonly record: ContainerRecord;
  readonly monitor: MonitorHandle;
}

/**
 * Starts a container under a new monitor. With `attach`, the monitor waits for the first attach client
 * before it lets the container run (nothing of its output is missed); the caller connects once
 * `monitor.attachReady` resolves. Resolves as soon as the monitor is launched.
 */
export async function startContainer(store: Store, nameOrId: string, attach: boolean): Promise<StartedContainer> {
  return store.lock.with(() => {
    const id = store.containers.resolve(nameOrId);
    const v = store.containers.get(id);
    if (!v) throw new NotFoundError(`No such container: ${nameOrId}`);
    const r = v.record;
    if (isUp(v.state)) throw new ConflictError(`container ${r.Name} is already running`, 1);
    const rt = resolveRuntime(r.HostConfig.Runtime, store.layout);
    // The last life's monitor reports the exit before it cleans up: let it finish, so its late
    // `delete` can never hit the new container. One still alive after that is not finishing: it is
    // another caller's start (waiting for its attach), or a life whose caller holds it (run --rm).
    // Never a second monitor beside it: its abandon or exit would delete the runtime state and
    // end the new life (two `start`s at once SIGKILLed the first).
    for (let i = 0; i < 200 && monitorAlive(store.layout, id); i++) sleepSync(10);
    // A monitor just spawned by another start has not written monitor.pid yet (it double-forks
    // first): that start's `starting` mark (its pid and start time, made under this lock) covers
    // the gap until it has.
    const starting = path.join(store.layout.containerDir(id), 'starting');
    if (monitorAlive(store.layout, id) || markAlive(starting)) {
      throw new ConflictError(`container ${r.Name} is being started or stopped by another ctui process; try again`, 1);
    }
    // A `ctui cp` into the stopped container has its upper dir mounted: one overlay per upper dir.
    if (copyMarked(store.layout, id)) throw new ConflictError(`container ${r.Name} is being copied into (ctui cp); try again`, 1);
    // Leftovers of an earlier life that ended badly (runtime state, a cgroup) must not block this one.
    if (fs.existsSync(path.join(rt.stateRoot, id))) forceDelete(rt, id);
    const lowers = rootfsLowers(store, r);
    const inRuntime = rt.name === 'ctui';
    if (!inRuntime) mountRootfs(store, r, lowers);
    let spec;
    try {
      spec = writeBundle(store, r, inRuntime, lowers);
    } catch (err) {
      // (an unknown -u user): the container never ran, so nothing of it stays mounted on the host
      if (!inRuntime) unmountRootfs(store, id);
      throw err;
    }
    trace('start: bundle written');
    const hc = effectiveHealthcheck(r);
    let healthFile: string | undefined;
    if (hc) {
      healthFile = monitorFile(store.layout, id, 'healthProcess');
      writeJsonAtomicSync(healthFile, healthProcess(spec, hc.Test, inRuntime ? r.Config.User : undefined));
    }
    writeMonitorConf(store, r, {
      rt,
      attachWait: attach,
      logMax: LOG_MAX,
      logKeep: LOG_KEEP,
      ...(healthFile && hc
        ? { healthProcess: healthFile, health: { intervalMs: hc.Interval / 1e6, timeoutMs: hc.Timeout / 1e6, startPeriodMs: hc.StartPeriod / 1e6, retries: hc.Retries } }
        : {}),
    });
    // A fresh life: forget the last one's health; the monitor writes a new status when it starts.
    // The last exit (status.json) stays until then: a start that never happens (its caller killed
    // before attaching) leaves the container as it was, Exited (N), not Created.
    // (status.last.json: shown while no monitor runs it, see state.ts; the new monitor's status wins.)
    for (const f of ['health', 'pid'] as const) fs.rmSync(monitorFile(store.layout, id, f), { force: true });
    try {
      fs.renameSync(monitorFile(store.layout, id, 'status'), monitorFile(store.layout, id, 'lastStatus'));
    } catch {
      /* never started */
    }
    store.containers.writeState(id, { ...v.state, Status: 'created', StoppedByUser: false, Error: '' });
    fs.writeFileSync(starting, `${process.pid} ${pidStartTime(process.pid) ?? 0}\n`);
    const monitor = spawnMonitor(store, id);
    // Once the monitor has its pid file (it writes it before it calls the runtime), or has failed.
    void Promise.race([monitor.attachReady, monitor.started]).catch(() => {}).finally(() => fs.rmSync(starting, { force: true }));
    // From here its live monitor keeps prune away; the creator's claim is no longer needed.
    store.containers.unclaim(id);
    trace('start: monitor spawned');
    return { record: r, monitor };
  });
}

/** Waits until the container's monitor reports it exited (or the monitor is gone). Resolves with the state. */
export async function waitExited(store: Store, id: string, timeoutMs = Infinity, signal?: AbortSignal): Promise<ContainerState> {
  const dir = store.layout.containerDir(id);
  const end = Date.now() + timeoutMs;
  let wake: () => void = () => {};
  let pending = false;
  const notify = () => {
    pending = true;
    wake();
  };
  let watcher: fs.FSWatcher | undefined;
  try {
    watcher = fs.watch(dir, notify);
  } catch {
    /* the container is gone */
  }
  const timer = setInterval(notify, 250);
  signal?.addEventListener('abort', notify);
  try {
    for (;;) {
      const v = store.containers.get(id);
      if (!v) throw new NotFoundError(`No such container: ${id}`);
      if (!isUp(v.state)) return v.state;
      if (signal?.aborted) throw new CtuiError('cancelled');
      if (Date.now() >= end) return v.state;
      if (!pending) await new Promise<void>((r) => (wake = r));
      pending = false;
    }
  } finally {
    watcher?.close();
    clearInterval(timer);
    signal?.removeEventListener('abort', notify);
  }
}

/** A `pid starttime` mark whose process still lives. */
function runtimeOf(store: Store, r: ContainerRecord): OciRuntime {
  return resolveRuntime(r.HostConfig.Runtime, store.layout);
}

function running(store: Store, nameOrId: string): { id: string; r: ContainerRecord; state: ContainerState } {
  const id = store.containers.resolve(nameOrId);
  const v = store.containers.get(id);
  if (!v) throw new NotFoundError(`No such container: ${nameOrId}`);
  return { id, r: v.record, state: v.state };
}

/** Tells the monitor not to apply the restart policy to the coming exit (the user is stopping it). */
async function noRestart(store: Store, id: string, killAfterMs?: number): Promise<void> {
  try {
    const conn = await AttachConnection.connect(store.layout, id, { onStdout() {}, onStderr() {}, onExit() {}, onClose() {} });
    await conn.noRestart(killAfterMs);
  } catch {
    /* no monitor: nothing would restart it anyway */
  }
}

/** docker stop: the stop signal, then SIGKILL after the timeout. Returns false when it was not running. */
export async function stopContainer(store: Store, nameOrId: string, timeoutSec?: number): Promise<boolean> {
  const { id, r, state } = running(store, nameOrId);
  if (!isUp(state)) return false;
  const rt = runtimeOf(store, r);
  try {
    store.containers.writeState(id, { ...store.containers.get(id)!.state, StoppedByUser: true });
  } catch {
    // A full disk must not keep a container from being stopped: the monitor is told not to
    // restart it (NORESTART, below) whatever this file says.
  }
  const timeout = timeoutSec ?? r.Config.StopTimeout ?? 10;
  // The monitor holds the deadline too (half a second after ours): a stop whose caller goes away
  // meanwhile (ctrl-c, a UI that quit) still ends with the kill, as a daemon's stop would.
  await noRestart(store, id, timeout * 1000 + 500);
  if (state.Status === 'paused') runtimeVerb(rt, ['resume', id]);
  const sig = r.Config.StopSignal || 'SIGTERM';
  try {
    runtimeVerb(rt, ['kill', id, sig]);
    event(store, r, 'kill', { signal: sig.replace(/^SIG/, '') });
  } catch {
    /* it may have just exited */
  }
  let after = await waitExited(store, id, timeout * 1000);
  if (isUp(after)) {
    try {
      runtimeVerb(rt, ['kill', id, 'KILL']);
      event(store, r, 'kill', { signal: 'KILL' });
    } catch {
      /* gone meanwhile */
    }
    after = await waitExited(store, id, 10_000);
  }
  if (isUp(after) && !monitorAlive(store.layout, id)) {
    // No monitor to notice: make sure nothing is left behind.
    forceDelete(rt, id);
  }
  event(store, r, 'stop');
  return true;
}

export async function killContainer(store: Store, nameOrId: string, signal: string): Promise<void> {
  const { id, r, state } = running(store, nameOrId);
  if (!isUp(state)) throw new ConflictError(`Cannot kill container: ${nameOrId}: container ${id} is not running`, 1);
  const sig = /^\d+$/.test(signal) ? signal : signal.toUpperCase().replace(/^(?!SIG)/, 'SIG');
  runtimeVerb(runtimeOf(store, r), ['kill', id, sig]);
  event(store, r, 'kill', { signal: sig.replace(/^SIG/, '') });
}

export function pauseContainer(store: Store, nameOrId: string): void {
  const { id, r, state } = running(store, nameOrId);
  if (state.Status === 'paused') throw new ConflictError(`container ${id} is already paused`, 1);
  if (!isUp(state)) throw new ConflictError(`container ${id} is not running`, 1);
  runtimeVerb(runtimeOf(store, r), ['pause', id]);
  event(store, r, 'pause');
}

export function unpauseContainer(store: Store, nameOrId: string): void {
  const { id, r, state } = running(store, nameOrId);
  if (state.Status !== 'paused') throw new ConflictError(`container ${id} is not paused`, 1);
  runtimeVerb(runtimeOf(store, r), ['resume', id]);
  event(store, r, 'unpause');
}

/**
 * docker rm: refuses a running container unless forced (SIGKILL, as docker's rm -f); with volumes
 * (rm -v, --rm) its anonymous volumes go too.
 */
export async function removeContainer(store: Store, nameOrId: string, force: boolean, volumes = false): Promise<string> {
  const { id, r, state } = running(store, nameOrId);
  if (isUp(state)) {
    if (!force) {
      throw new ConflictError(`cannot remove container "/${r.Name}": container is running: stop the container before removing or force remove`, 1);
    }
    const rt = runtimeOf(store, r);
    await noRestart(store, id);
    try {
      if (state.Status === 'paused') runtimeVerb(rt, ['resume', id]);
      runtimeVerb(rt, ['kill', id, 'KILL']);
    } catch {
      /* already gone */
    }
    const after = await waitExited(store, id, 10_000);
    if (isUp(after)) forceDelete(rt, id);
  }
  let removed: string[] = [];
  // An intent: if we are killed half way through the removal, the next ctui's repair finishes it.
  await store.intent('rm', () =>
    store.lock.with(() => {
      const rt = runtimeOf(store, r);
      if (fs.existsSync(path.join(rt.stateRoot, id))) forceDelete(rt, id);
      unmountRootfs(store, id);
      store.containers.remove(id);
      if (volumes) removed = removeAnonymousVolumesLocked(store, r);
    }),
  );
  event(store, r, 'destroy');
  for (const name of removed) appendEvent(store.layout, { type: 'volume', action: 'destroy', id: name, attributes: { driver: 'local' } });
  return id;
}

export function recordCreate(store: Store, r: ContainerRecord): void {
  event(store, r, 'create');
}

export function recordEvent(store: Store, r: ContainerRecord, action: string, extra: Record<string, string> = {}): void {
  event(store, r, action, extra);
}
