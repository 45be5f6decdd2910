import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConflictError, CtuiError, RuntimeError } from '../errors.js';
import { appendEvent } from '../events/log.js';
import { resolveRuntime, runtimeVerb } from '../runtime/oci.js';
import type { Store } from '../store/store.js';
import { readJsonSync, writeFileAtomicSync, writeJsonAtomicSync } from '../util/fs.js';
import type { OciSpec } from '../bundle/spec.js';
import type { ContainerRecord, HostSettings } from './model.js';
import { monitorFile } from './monitor.js';
import { parseCpus, parseMemory, parseRestart, validateMemory } from './options.js';
import { ociResources } from './resources.js';

/** `docker update`'s flags, as typed (parsed and checked here, so every caller gets docker's errors). */
export interface UpdateOptions {
  readonly memory?: string;
  readonly memorySwap?: string;
  readonly memoryReservation?: string;
  readonly cpus?: string;
  readonly cpuShares?: number;
  readonly cpuPeriod?: number;
  readonly cpuQuota?: number;
  readonly cpusetCpus?: string;
  readonly cpusetMems?: string;
  readonly pidsLimit?: number;
  readonly blkioWeight?: number;
  readonly restart?: string;
}

/** The fields of HostConfig an update may change. */
type Changes = Partial<Pick<HostSettings,
  'Memory' | 'MemorySwap' | 'MemoryReservation' | 'NanoCpus' | 'CpuShares' | 'CpuPeriod' | 'CpuQuota' | 'CpusetCpus' | 'CpusetMems' | 'PidsLimit' | 'BlkioWeight' | 'RestartPolicy'>>;

const int = (v: number | undefined, flag: string): number | undefined => {
  if (v === undefined) return undefined;
  if (!Number.isSafeInteger(v)) throw new CtuiError(`invalid argument "${v}" for "${flag}" flag: must be a whole number`);
  return v;
};

const CPUSET = /^\d+(-\d+)?(,\d+(-\d+)?)*$/;

/** "0-3,5" as the set of numbers it names. */
function parseList(v: string): Set<number> {
  const out = new Set<number>();
  for (const part of v.trim().split(',')) {
    const [a, b] = part.split('-').map(Number);
    for (let n = a!; n <= (b ?? a!); n++) out.add(n);
  }
  return out;
}

function readList(file: string): Set<number> | undefined {
  try {
    return parseList(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined; // no sysfs: the kernel's write will tell
  }
}

/**
 * The flags as HostConfig changes. docker's update reads 0 as "leave it" for every number (so
 * `--pids-limit -1` lifts the pids limit, `--pids-limit 0` keeps it); errors here are the ones
 * docker's client and daemon give before touching anything.
 */
export function parseUpdate(o: UpdateOptions): Changes {
  const c: Changes = {};
  const memory = parseMemory(o.memory === '0' ? undefined : o.memory, '--memory');
  const swap = parseMemory(o.memorySwap === '0' ? undefined : o.memorySwap, '--memory-swap');
  const reservation = parseMemory(o.memoryReservation === '0' ? undefined : o.memoryReservation, '--memory-reservation');
  if (memory !== undefined) c.Memory = memory;
  if (swap !== undefined) c.MemorySwap = swap;
  if (reservation !== undefined) c.MemoryReservation = reservation;
  const cpus = o.cpus === undefined || Number(o.cpus) === 0 ? undefined : parseCpus(o.cpus);
  if (cpus !== undefined) c.NanoCpus = Math.round(cpus * 1e9);
  const shares = int(o.cpuShares, '--cpu-shares');
  if (shares) {
    // The kernel rounds 1 up to 2 (and runc refuses it): say so rather than store what is not applied.
    if (shares < 2) throw new CtuiError('the minimum allowed cpu-shares is 2', 125);
    c.CpuShares = shares;
  }
  const period = int(o.cpuPeriod, '--cpu-period');
  if (period) {
    if (period < 1000 || period > 1_000_000) throw new CtuiError('CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)', 125);
    c.CpuPeriod = period;
  }
  const quota = int(o.cpuQuota, '--cpu-quota');
  if (quota) {
    if (quota > 0 && quota < 1000) throw new CtuiError('CPU cfs quota can not be less than 1ms (i.e. 1000)', 125);
    c.CpuQuota = quota < 0 ? 0 : quota;
  }
  for (const [flag, v, key, online, what] of [
    ['--cpuset-cpus', o.cpusetCpus, 'CpusetCpus', '/sys/devices/system/cpu/online', 'CPUs'],
    ['--cpuset-mems', o.cpusetMems, 'CpusetMems', '/sys/devices/system/node/online', 'memory nodes'],
  ] as const) {
    if (v === undefined || v === '') continue;
    if (!CPUSET.test(v)) throw new CtuiError(`Invalid value ${v} for ${flag.slice(2).replace('-', ' ')}`, 125);
    // docker's check (sysinfo.IsCpusetCpusAvailable): the kernel's "out of range" would say less.
    const have = readList(online);
    if (have && [...parseList(v)].some((n) => !have.has(n))) {
      throw new CtuiError(`Requested ${what} are not available - requested ${v}, available: ${fs.readFileSync(online, 'utf8').trim()}`, 125);
    }
    c[key] = v;
  }
  const pids = int(o.pidsLimit, '--pids-limit');
  if (pids) c.PidsLimit = pids < 0 ? 0 : pids;
  const blkio = int(o.blkioWeight, '--blkio-weight');
  if (blkio) {
    if (blkio < 10 || blkio > 1000) throw new CtuiError('Range of blkio weight is from 10 to 1000', 125);
    c.BlkioWeight = blkio;
  }
  if (o.restart !== undefined && o.restart !== '') {
    try {
      c.RestartPolicy = parseRestart(o.restart);
    } catch {
      throw new CtuiError(`invalid restart policy '${o.restart}'`, 125);
    }
  }
  return c;
}

const RESOURCE_KEYS = ['Memory', 'MemorySwap', 'MemoryReservation', 'NanoCpus', 'CpuShares', 'CpuPeriod', 'CpuQuota', 'CpusetCpus', 'CpusetMems', 'PidsLimit', 'BlkioWeight'] as const;

/** docker's checks of the merged limits (daemon/update.go, container.UpdateContainer). */
function merged(r: ContainerRecord, c: Changes): HostSettings {
  const cannot = (why: string) => new ConflictError(`Cannot update container ${r.Id}: ${why}`, 1);
  const hc = r.HostConfig;
  if (c.Memory !== undefined && c.MemorySwap === undefined && hc.MemorySwap > 0 && c.Memory > hc.MemorySwap) {
    throw cannot('Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time');
  }
  if (c.RestartPolicy && c.RestartPolicy.Name !== 'no' && hc.AutoRemove) {
    throw cannot('Restart policy cannot be updated because AutoRemove is enabled for the container');
  }
  const next: HostSettings = { ...hc, ...c };
  // --cpus and --cpu-quota/--cpu-period are two ways of saying one thing: docker refuses a mix.
  if (c.NanoCpus !== undefined && c.CpuQuota !== undefined) throw new CtuiError('Conflicting options: Nano CPUs and CPU Quota cannot both be set', 125);
  if (next.NanoCpus > 0 && (next.CpuQuota ?? 0) > 0) throw new CtuiError('Conflicting options: Nano CPUs and CPU Quota cannot both be set', 125);
  if (next.NanoCpus > 0 && (next.CpuPeriod ?? 0) > 0) throw new CtuiError('Conflicting options: Nano CPUs and CPU Period cannot both be set', 125);
  validateMemory(next.Memory || undefined, next.MemorySwap || undefined);
  if (next.MemoryReservation && next.Memory && next.MemoryReservation > next.Memory) {
    throw new CtuiError('Minimum memory limit can not be less than memory reservation limit, see usage', 125);
  }
  return next;
}

/** monitor.conf's restart lines rewritten; a running monitor reads them again at the next exit. */
function rewriteMonitorRestart(store: Store, r: ContainerRecord): void {
  const file = monitorFile(store.layout, r.Id, 'conf');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return; // never started: the next start writes it from the record
  }
  const rp = r.HostConfig.RestartPolicy;
  const lines = text.split('\n').filter((l) => !l.startsWith('restart=') && !l.startsWith('restart_max=') && l !== '');
  lines.push(`restart=${rp.Name}`, `restart_max=${rp.MaximumRetryCount}`);
  writeFileAtomicSync(file, lines.join('\n') + '\n');
}

/**
 * The bundle's limits replaced too: the monitor's restarts (restart policies) create the container
 * again from this config.json without ctui, and must not bring the old limits back.
 */
function refreshBundle(store: Store, r: ContainerRecord, hc: HostSettings): void {
  const file = path.join(store.layout.containerBundle(r.Id), 'config.json');
  const spec = readJsonSync<OciSpec>(file);
  if (!spec?.linux?.resources) return; // never started: the next start writes it from the record
  const { devices } = spec.linux.resources;
  spec.linux.resources = { devices, ...ociResources(hc, false) };
  writeJsonAtomicSync(file, spec);
}

/** The runtime's `update --resources FILE ID` (runc's spelling; ctui-runtime has the same verb). */
function applyLive(store: Store, r: ContainerRecord, hc: HostSettings): void {
  const rt = resolveRuntime(hc.Runtime, store.layout);
  const file = path.join(store.layout.containerDir(r.Id), 'update.json');
  writeJsonAtomicSync(file, ociResources(hc, true));
  try {
    runtimeVerb(rt, ['update', '--resources', file, r.Id]);
  } catch (err) {
    if (err instanceof RuntimeError) {
      const msg = err.message.replace(/^update: /, '').replace(/^time="[^"]*" level=\w+ msg="(.*)"$/, '$1');
      throw new RuntimeError(`Cannot update container ${r.Id}: ${msg}`, 1);
    }
    throw err;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/**
 * `docker update`: a running (or paused) container gets the new limits in its cgroup at once,
 * through its runtime; every container keeps them in its record for its next start. The record
 * changes only after the runtime took the limits, so a refused update leaves everything as it
 * was. The restart policy reaches a running monitor through monitor.conf.
 */
export async function updateContainer(store: Store, nameOrId: string, changes: Changes): Promise<void> {
  await store.lock.with(() => {
    const id = store.containers.resolve(nameOrId);
    const v = store.containers.get(id);
    if (!v) throw new CtuiError(`No such container: ${nameOrId}`, 1);
    const r = v.record;
    const hc = merged(r, changes);
    const st = v.state.Status;
    const live = st === 'running' || st === 'paused' || st === 'restarting';
    if (live && st !== 'restarting' && RESOURCE_KEYS.some((k) => changes[k] !== undefined)) applyLive(store, r, hc);
    const next: ContainerRecord = { ...r, HostConfig: hc };
    if (RESOURCE_KEYS.some((k) => changes[k] !== undefined)) refreshBundle(store, r, hc);
    store.containers.writeRecord(next);
    if (changes.RestartPolicy) rewriteMonitorRestart(store, next);
    appendEvent(store.layout, { type: 'container', action: 'update', id, attributes: { image: r.Config.Image, name: r.Name } });
  });
}
