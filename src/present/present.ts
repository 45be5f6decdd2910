import type { ContainerDetails, ContainerSummary, EngineInfo, ImageDetails, MountPoint, Volume } from '../core/engine.js';
import type { ContainerState } from '../core/containers/model.js';
import { familiarReference } from '../core/images/reference.js';
import { humanDuration } from '../core/util/humanize.js';

/** Docker-shaped views of core objects, shared by inspect, ps and (later) the TUI. */

export function statusText(s: ContainerState, now = Date.now()): string {
  switch (s.Status) {
    case 'created':
      return 'Created';
    case 'running': {
      const health = s.Health ? (s.Health.Status === 'starting' ? ' (health: starting)' : ` (${s.Health.Status})`) : '';
      return `Up ${humanDuration(now - Date.parse(s.StartedAt))}${health}`;
    }
    case 'paused':
      return `Up ${humanDuration(now - Date.parse(s.StartedAt))} (Paused)`;
    case 'restarting':
      return `Restarting (${s.ExitCode}) ${humanDuration(now - Date.parse(s.FinishedAt))} ago`;
    case 'removing':
      return 'Removal In Progress';
    case 'dead':
      return 'Dead';
    case 'exited': {
      const t = Date.parse(s.FinishedAt);
      return `Exited (${s.ExitCode}) ${Number.isFinite(t) && t > 0 ? humanDuration(now - t) + ' ago' : ''}`.trimEnd();
    }
  }
}

/** Go's time.Time String() in UTC, as docker's ps and images print CreatedAt: 2006-01-02 15:04:05 +0000 UTC. */
export function goTimeUTC(iso: string): string {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' +0000 UTC') : '';
}

export function ellipsis(s: string, max: number): string {
  const chars = [...s];
  return chars.length > max ? chars.slice(0, max - 1).join('') + '…' : s;
}

export function dockerContainerJson(d: ContainerDetails): Record<string, unknown> {
  const r = d.Record;
  const s = d.State;
  const dir = d.UpperDir.replace(/\/upper$/, '');
  return {
    Id: r.Id,
    Created: r.Created,
    Path: r.Path,
    Args: r.Args,
    State: {
      Status: s.Status,
      Running: s.Status === 'running' || s.Status === 'paused',
      Paused: s.Status === 'paused',
      Restarting: s.Status === 'restarting',
      OOMKilled: false,
      Dead: s.Status === 'dead',
      Pid: s.Pid,
      ExitCode: s.ExitCode,
      Error: s.Error,
      StartedAt: s.StartedAt,
      FinishedAt: s.FinishedAt,
      ...(s.Health ? { Health: s.Health } : {}),
    },
    Image: r.Image,
    ResolvConfPath: `${dir}/resolv.conf`,
    HostnamePath: `${dir}/hostname`,
    HostsPath: `${dir}/hosts`,
    Name: `/${r.Name}`,
    RestartCount: s.RestartCount ?? 0,
    LogPath: `${dir}/ctr.log`,
    Driver: 'overlay',
    Platform: 'linux',
    // What the container runs with (podman's style of field); HostConfig.SecurityOpt is what was asked for.
    SeccompProfile: d.Seccomp.Name,
    SeccompProfilePath: d.Seccomp.Path,
    HostConfig: {
      ...r.HostConfig,
      NetworkMode: r.HostConfig.NetworkMode === 'default' ? 'default' : r.HostConfig.NetworkMode,
      SecurityOpt: r.HostConfig.SecurityOpt?.length ? r.HostConfig.SecurityOpt : null,
      Binds: r.HostConfig.Binds ?? null,
      VolumesFrom: r.HostConfig.VolumesFrom ?? null,
    },
    GraphDriver: {
      Data: { LowerDir: d.LowerDirs.join(':'), MergedDir: d.MergedDir, UpperDir: d.UpperDir, WorkDir: `${dir}/work` },
      Name: 'overlay',
    },
    Mounts: (r.Mounts ?? []).map(dockerMountJson),
    Config: dockerConfigJson(r.Config),
  };
}

/**
 * container.Config in docker's key order, with docker's nulls (no entrypoint is null, as are no
 * volumes and no ONBUILD): what `inspect -f '{{json .Config}}'` or `{{json .Config.Entrypoint}}` print.
 */
function dockerConfigJson(c: ContainerDetails['Record']['Config']): Record<string, unknown> {
  return {
    Hostname: c.Hostname,
    Domainname: '',
    User: c.User,
    AttachStdin: c.OpenStdin,
    AttachStdout: true,
    AttachStderr: true,
    Tty: c.Tty,
    OpenStdin: c.OpenStdin,
    StdinOnce: false,
    Env: c.Env,
    Cmd: c.Cmd,
    ...(c.Healthcheck ? { Healthcheck: c.Healthcheck } : {}),
    Image: c.Image,
    Volumes: c.Volumes ?? null,
    WorkingDir: c.WorkingDir,
    Entrypoint: c.Entrypoint?.length ? c.Entrypoint : null,
    OnBuild: null,
    Labels: c.Labels,
    ...(c.StopSignal ? { StopSignal: c.StopSignal } : {}),
    ...(c.StopTimeout !== undefined ? { StopTimeout: c.StopTimeout } : {}),
  };
}

/** `info --format`: docker's field names (types.Info) for what ctui knows, plus SeccompProfilePath. */
export function dockerInfoJson(i: EngineInfo): Record<string, unknown> {
  return {
    Containers: i.containers.total,
    ContainersRunning: i.containers.running,
    ContainersPaused: i.containers.paused,
    ContainersStopped: i.containers.stopped,
    Images: i.images,
    Driver: 'overlay',
    LoggingDriver: 'ctui-monitor',
    CgroupVersion: i.cgroupVersion,
    KernelVersion: i.kernel,
    OperatingSystem: i.os,
    OSType: 'linux',
    Architecture: i.arch,
    NCPU: i.cpus,
    MemTotal: i.memory,
    DockerRootDir: i.root,
    Runtimes: Object.fromEntries(i.runtimes.map((r) => [r, { path: r === 'ctui' ? 'ctui-runtime' : r }])),
    DefaultRuntime: i.defaultRuntime,
    SecurityOptions: [`name=seccomp,profile=${i.seccomp.name}`],
    SeccompProfilePath: i.seccomp.path ?? '',
  };
}

/** docker's types.MountPoint, keys in docker's order; Name and Driver only for volumes (omitempty). */
export function dockerMountJson(m: MountPoint): Record<string, unknown> {
  return {
    Type: m.Type,
    ...(m.Name ? { Name: m.Name } : {}),
    Source: m.Source,
    Destination: m.Destination,
    ...(m.Driver ? { Driver: m.Driver } : {}),
    Mode: m.Mode,
    RW: m.RW,
    Propagation: m.Propagation,
  };
}

/** `volume inspect`: docker's Volume, keys in docker's order. */
export function dockerVolumeJson(v: Volume): Record<string, unknown> {
  return {
    CreatedAt: v.CreatedAt,
    Driver: v.Driver,
    Labels: v.Labels,
    Mountpoint: v.Mountpoint,
    Name: v.Name,
    Options: v.Options,
    Scope: v.Scope,
  };
}

export function dockerImageJson(d: ImageDetails): Record<string, unknown> {
  const c = d.Config;
  return {
    Id: d.Id,
    RepoTags: d.RepoTags.map(familiarReference),
    RepoDigests: [],
    Parent: '',
    Comment: c.comment ?? '',
    Created: c.created ?? '',
    Author: c.author ?? '',
    Config: c.config ?? {},
    Architecture: c.architecture,
    Os: c.os,
    Size: d.Size,
    VirtualSize: d.Size,
    GraphDriver: { Data: { LowerDir: d.Layers.map((l) => l.Path).reverse().join(':') }, Name: 'overlay' },
    RootFS: { Type: 'layers', Layers: c.rootfs.diff_ids },
    Metadata: { LastTagTime: '0001-01-01T00:00:00Z' },
  };
}

export interface PsRow {
  ID: string;
  Image: string;
  Command: string;
  CreatedAt: string;
  RunningFor: string;
  Ports: string;
  State: string;
  Status: string;
  Size: string;
  Names: string;
  Labels: string;
  Mounts: string;
  LocalVolumes: string;
  Networks: string;
}

export function psRow(c: ContainerSummary, trunc: boolean, now = Date.now()): PsRow {
  return {
    ID: trunc ? c.Id.slice(0, 12) : c.Id,
    Image: c.Image,
    Command: trunc ? `"${ellipsis(c.Command, 20)}"` : `"${c.Command}"`,
    CreatedAt: goTimeUTC(c.Created),
    RunningFor: `${humanDuration(now - Date.parse(c.Created))} ago`,
    Ports: '',
    State: c.State.Status,
    Status: statusText(c.State, now),
    Size: '',
    Names: c.Name,
    // docker joins them in map order (random); sorted here, so the same container reads the same.
    Labels: Object.keys(c.Labels).sort().map((k) => `${k}=${c.Labels[k]}`).join(','),
    Mounts: c.Mounts.map((m) => (trunc ? ellipsis(m.Name || m.Source, 15) : m.Name || m.Source)).join(','),
    LocalVolumes: String(c.Mounts.filter((m) => m.Type === 'volume').length),
    Networks: '',
  };
}
