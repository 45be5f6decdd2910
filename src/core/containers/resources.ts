import type { OciSpec } from '../bundle/spec.js';
import type { HostSettings } from './model.js';

export type OciResources = Omit<OciSpec['linux']['resources'], 'devices'>;

/** docker's default CFS period when --cpus is given (moby: 100ms). */
const CFS_PERIOD_US = 100_000;

/**
 * A container's resource limits (docker's HostConfig fields) as OCI linux.resources: the one
 * mapping, used by the bundle every start writes and by `update` on a running container.
 * `live` (update): the limits as they must be now, so a limit the user lifted is written as
 * unlimited (-1) rather than left out (left out, the cgroup would keep the old one).
 */
export function ociResources(hc: HostSettings, live: boolean): OciResources {
  const out: OciResources = {};
  const memory: NonNullable<OciResources['memory']> = {};
  if (hc.Memory > 0) memory.limit = hc.Memory;
  if (hc.MemorySwap !== 0 && hc.Memory > 0) memory.swap = hc.MemorySwap;
  if (hc.MemoryReservation) memory.reservation = hc.MemoryReservation;
  if (Object.keys(memory).length > 0) out.memory = memory;

  const cpu: NonNullable<OciResources['cpu']> = {};
  const period = hc.CpuPeriod || CFS_PERIOD_US;
  if (hc.NanoCpus > 0) cpu.quota = Math.round((hc.NanoCpus / 1e9) * period);
  else if (hc.CpuQuota && hc.CpuQuota > 0) cpu.quota = hc.CpuQuota;
  else if (live) cpu.quota = -1;
  if (cpu.quota !== undefined || hc.CpuPeriod) cpu.period = period;
  if (hc.CpuShares) cpu.shares = hc.CpuShares;
  if (hc.CpusetCpus) cpu.cpus = hc.CpusetCpus;
  if (hc.CpusetMems) cpu.mems = hc.CpusetMems;
  if (Object.keys(cpu).length > 0) out.cpu = cpu;

  if (hc.PidsLimit > 0) out.pids = { limit: hc.PidsLimit };
  else if (live) out.pids = { limit: -1 };
  if (hc.BlkioWeight) out.blockIO = { weight: hc.BlkioWeight };
  return out;
}
