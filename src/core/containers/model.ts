/** A container as ctui keeps it: docker's vocabulary, so `inspect` reads like docker's. */
import type { SeccompChoice } from '../bundle/seccomp.js';
import type { MountPoint, MountSpec } from '../volumes/model.js';

export interface ContainerSettings {
  Hostname: string;
  User: string;
  Env: string[];
  Cmd: string[];
  Entrypoint: string[];
  WorkingDir: string;
  Tty: boolean;
  OpenStdin: boolean;
  Labels: Record<string, string>;
  Image: string;
  StopSignal?: string;
  StopTimeout?: number;
  /** docker's Healthcheck (durations in nanoseconds), from the image or --health-* flags. */
  Healthcheck?: HealthcheckConfig;
  /** Anonymous volume destinations: the image's VOLUMEs and `-v /path` (docker's Config.Volumes). */
  Volumes?: Record<string, object>;
}

export interface HealthcheckConfig {
  /** ["NONE"] disables; ["CMD", ...] or ["CMD-SHELL", "cmd"]. */
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  Retries?: number;
}

export interface RestartPolicy {
  Name: 'no' | 'always' | 'unless-stopped' | 'on-failure';
  MaximumRetryCount: number;
}

export interface HostSettings {
  AutoRemove: boolean;
  Privileged: boolean;
  ReadonlyRootfs: boolean;
  CapAdd: string[];
  CapDrop: string[];
  SecurityOpt: string[];
  NetworkMode: 'none' | 'host' | 'default';
  Memory: number;
  MemorySwap: number;
  NanoCpus: number;
  PidsLimit: number;
  /** Set by `update` (or absent): docker's names and units (CpuQuota/CpuPeriod in microseconds). */
  MemoryReservation?: number;
  CpuShares?: number;
  CpuQuota?: number;
  CpuPeriod?: number;
  CpusetCpus?: string;
  CpusetMems?: string;
  BlkioWeight?: number;
  Init: boolean;
  Runtime: string;
  RestartPolicy: RestartPolicy;
  /** `-v` with a source, as given (records made before volumes existed lack these four). */
  Binds?: string[];
  /** `--mount`, as docker's mount.Mount. */
  Mounts?: MountSpec[];
  /** `--tmpfs`: destination -> options. */
  Tmpfs?: Record<string, string>;
  /** `--volumes-from`, as given. */
  VolumesFrom?: string[];
}

export interface ContainerRecord {
  readonly Id: string;
  readonly Name: string;
  readonly Created: string;
  /** sha256:<hex> of the image config. */
  readonly Image: string;
  readonly Path: string;
  readonly Args: string[];
  readonly Config: ContainerSettings;
  readonly HostConfig: HostSettings;
  /** Resolved volume, bind and --mount tmpfs mounts, as docker's inspect shows them (--tmpfs ones are in HostConfig.Tmpfs). */
  readonly Mounts?: MountPoint[];
  /**
   * The seccomp profile chosen at create (name and file), used by every start. Records made before it
   * existed get the default profile at their next start.
   */
  readonly Seccomp?: SeccompChoice;
}

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface HealthResult {
  Start: string;
  End: string;
  ExitCode: number;
  Output: string;
}

export interface HealthState {
  Status: 'starting' | 'healthy' | 'unhealthy';
  FailingStreak: number;
  Log: HealthResult[];
}

export interface ContainerState {
  Status: ContainerStatus;
  /** The container's init pid on the host (0 when not running). */
  Pid: number;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
  RestartCount?: number;
  Health?: HealthState;
  /** The user stopped it (docker: unless-stopped and always do not restart it on the next start of ctui). */
  StoppedByUser?: boolean;
}

export const ZERO_TIME = '0001-01-01T00:00:00Z';

export function initialState(): ContainerState {
  return { Status: 'created', Pid: 0, ExitCode: 0, Error: '', StartedAt: ZERO_TIME, FinishedAt: ZERO_TIME };
}
