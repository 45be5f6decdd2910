/**
 * docker's Go types that templates run against, as far as ctui's data has them: the field order is Go's
 * (what {{.State}} or {{.Mounts}} print), and the kinds say how a missing or null value prints (a nil
 * []string `[]`, a nil map `map[]`, a nil pointer `<nil>`). Structs marked partial list only some of
 * Go's fields; what else the data has reads as decoded JSON.
 */
import { BOOL, INT, STRING, STRINGS, IFACE, mapOf, method, ptrTo, sliceOf, struct, type GoType } from './value.js';

const STR_MAP = mapOf(STRING);
const EMPTY_STRUCT = struct('struct {}', {});

const HEALTH_RESULT = struct('types.HealthcheckResult', { Start: STRING, End: STRING, ExitCode: INT, Output: STRING });
const HEALTH = struct('types.Health', { Status: STRING, FailingStreak: INT, Log: sliceOf(ptrTo(HEALTH_RESULT)) });
const HEALTH_CONFIG = struct('container.HealthConfig', { Test: STRINGS, Interval: INT, Timeout: INT, StartPeriod: INT, Retries: INT });

const STATE = struct('types.ContainerState', {
  Status: STRING, Running: BOOL, Paused: BOOL, Restarting: BOOL, OOMKilled: BOOL, Dead: BOOL, Pid: INT,
  ExitCode: INT, Error: STRING, StartedAt: STRING, FinishedAt: STRING, Health: ptrTo(HEALTH),
});

export const MOUNT_POINT = struct('types.MountPoint', {
  Type: STRING, Name: STRING, Source: STRING, Destination: STRING, Driver: STRING, Mode: STRING, RW: BOOL, Propagation: STRING,
});

const CONFIG = struct('container.Config', {
  Hostname: STRING, Domainname: STRING, User: STRING, AttachStdin: BOOL, AttachStdout: BOOL, AttachStderr: BOOL,
  ExposedPorts: mapOf(EMPTY_STRUCT), Tty: BOOL, OpenStdin: BOOL, StdinOnce: BOOL, Env: STRINGS, Cmd: STRINGS,
  Healthcheck: ptrTo(HEALTH_CONFIG), ArgsEscaped: BOOL, Image: STRING, Volumes: mapOf(EMPTY_STRUCT), WorkingDir: STRING,
  Entrypoint: STRINGS, NetworkDisabled: BOOL, MacAddress: STRING, OnBuild: STRINGS, Labels: STR_MAP, StopSignal: STRING,
  StopTimeout: ptrTo(INT), Shell: STRINGS,
});

const RESTART_POLICY = struct('container.RestartPolicy', { Name: STRING, MaximumRetryCount: INT });
const LOG_CONFIG = struct('container.LogConfig', { Type: STRING, Config: STR_MAP });

const HOST_CONFIG = struct('container.HostConfig', {
  Binds: STRINGS, ContainerIDFile: STRING, LogConfig: LOG_CONFIG, NetworkMode: STRING, RestartPolicy: RESTART_POLICY,
  AutoRemove: BOOL, VolumeDriver: STRING, VolumesFrom: STRINGS, CapAdd: STRINGS, CapDrop: STRINGS, Dns: STRINGS,
  DnsOptions: STRINGS, DnsSearch: STRINGS, ExtraHosts: STRINGS, GroupAdd: STRINGS, IpcMode: STRING, Links: STRINGS,
  OomScoreAdj: INT, PidMode: STRING, Privileged: BOOL, PublishAllPorts: BOOL, ReadonlyRootfs: BOOL, SecurityOpt: STRINGS,
  Tmpfs: STR_MAP, UTSMode: STRING, UsernsMode: STRING, ShmSize: INT, Sysctls: STR_MAP, Runtime: STRING,
  Mounts: sliceOf(IFACE), Memory: INT, MemorySwap: INT, NanoCpus: INT, CpuShares: INT, PidsLimit: ptrTo(INT), MaskedPaths: STRINGS, ReadonlyPaths: STRINGS,
}, true);

const GRAPH_DRIVER = struct('types.GraphDriverData', { Data: STR_MAP, Name: STRING });

/** types.ContainerJSON (docker inspect of a container). */
export const CONTAINER_JSON: GoType = struct('types.ContainerJSON', {
  Id: STRING, Created: STRING, Path: STRING, Args: STRINGS, State: ptrTo(STATE), Image: STRING, ResolvConfPath: STRING,
  HostnamePath: STRING, HostsPath: STRING, LogPath: STRING, Node: ptrTo(struct('types.ContainerNode', {}, true)), Name: STRING,
  RestartCount: INT, Driver: STRING, Platform: STRING, MountLabel: STRING, ProcessLabel: STRING, AppArmorProfile: STRING,
  ExecIDs: STRINGS, HostConfig: ptrTo(HOST_CONFIG), GraphDriver: GRAPH_DRIVER, SizeRw: ptrTo(INT), SizeRootFs: ptrTo(INT),
  Mounts: sliceOf(MOUNT_POINT), Config: ptrTo(CONFIG), NetworkSettings: ptrTo(struct('types.NetworkSettings', {}, true)),
}, true);

/** types.ImageInspect (docker inspect of an image). */
export const IMAGE_INSPECT: GoType = struct('types.ImageInspect', {
  Id: STRING, RepoTags: STRINGS, RepoDigests: STRINGS, Parent: STRING, Comment: STRING, Created: STRING, Container: STRING,
  ContainerConfig: ptrTo(CONFIG), DockerVersion: STRING, Author: STRING, Config: ptrTo(CONFIG), Architecture: STRING,
  Variant: STRING, Os: STRING, OsVersion: STRING, Size: INT, VirtualSize: INT, GraphDriver: GRAPH_DRIVER,
  RootFS: struct('types.RootFS', { Type: STRING, Layers: STRINGS }), Metadata: struct('types.ImageMetadata', { LastTagTime: STRING }),
}, true);

/** types.Volume (volume inspect; docker has no raw fallback there). */
export const VOLUME: GoType = struct('types.Volume', {
  CreatedAt: STRING, Driver: STRING, Labels: STR_MAP, Mountpoint: STRING, Name: STRING, Options: STR_MAP, Scope: STRING,
  Status: mapOf(IFACE), UsageData: ptrTo(struct('types.VolumeUsageData', { RefCount: INT, Size: INT })),
});

/**
 * A row context of docker's list formatters (ps, images, volume ls ...): every column a method without
 * arguments returning a string, plus any methods with arguments (ps's .Label "key"). The data is an
 * object with the strings (and functions for the methods with arguments).
 */
export function rowContext(name: string, columns: readonly string[], withArgs: Record<string, GoType[]> = {}): GoType {
  const fields: Record<string, GoType> = {};
  for (const c of columns) fields[c] = method();
  for (const [m, params] of Object.entries(withArgs)) fields[m] = method(params);
  return struct(name, fields);
}

/** A context whose fields are plain values (info, version): a struct with Go's name for messages. */
export function plainStruct(name: string, fields: Record<string, GoType>): GoType {
  return struct(name, fields, true);
}

/** docker ps's row (formatter.ContainerContext in docker 20.10). */
export const PS_ROW = rowContext('*formatter.ContainerContext',
  ['ID', 'Names', 'Image', 'Command', 'CreatedAt', 'RunningFor', 'Ports', 'State', 'Status', 'Size', 'Labels', 'Mounts', 'LocalVolumes', 'Networks'],
  { Label: [STRING] });
/** docker images's row. */
export const IMAGE_ROW = rowContext('*formatter.imageContext',
  ['ID', 'Repository', 'Tag', 'Digest', 'CreatedSince', 'CreatedAt', 'Size', 'Containers', 'VirtualSize', 'SharedSize', 'UniqueSize']);
/** docker volume ls's row. */
export const VOLUME_ROW = rowContext('*formatter.volumeContext', ['Name', 'Driver', 'Scope', 'Mountpoint', 'Labels', 'Links', 'Size'], { Label: [STRING] });
/** docker history's row. */
export const HISTORY_ROW = rowContext('*image.historyContext', ['ID', 'CreatedSince', 'CreatedAt', 'CreatedBy', 'Size', 'Comment']);
/** docker stats's row. */
export const STATS_ROW = rowContext('*container.statsContext', ['Container', 'Name', 'ID', 'CPUPerc', 'MemUsage', 'MemPerc', 'NetIO', 'BlockIO', 'PIDs']);
/** docker system df's rows (the images line's type names them all in docker's messages). */
export const DF_ROW = rowContext('*formatter.diskUsageImagesContext', ['Type', 'TotalCount', 'Active', 'Size', 'Reclaimable']);
