/**
 * The core's public face, shared by the CLI and the TUI. Docker's vocabulary throughout, so that a
 * second implementation speaking the Docker Engine API can stand behind the same interface.
 */
import type { ProfileName, SeccompChoice } from './bundle/seccomp.js';
import type { Readable, Writable } from 'node:stream';
import type { CreateOptions } from './containers/options.js';
import type { UpdateOptions } from './containers/update.js';
import type { ContainerRecord, ContainerState } from './containers/model.js';
import type { ImageConfig } from './images/config.js';

import type { ExecOptions, ExecSessionOptions } from './containers/exec.js';
import type { LogLine, LogOptions } from './containers/logs.js';
import type { Session, SessionOptions } from './containers/session.js';
import type { StatsSample } from './containers/stats.js';
import type { CtuiEvent, TailOptions } from './events/log.js';
import type { ChangeSummary } from './containers/diff.js';
import type { CommitOptions } from './containers/commit.js';
import type { PathStat, PutOptions } from './containers/copy.js';
import type { DiskUsage } from './maintenance/df.js';
import type { PruneFilter, PrunedContainers, PrunedImages } from './maintenance/prune.js';
import type { MountPoint, Volume } from './volumes/model.js';
import type { VolumeCreateOptions } from './volumes/create.js';
import type { PruneOptions, PruneReport } from './volumes/prune.js';

export type { MountPoint, MountSpec, Volume } from './volumes/model.js';
export type { VolumeCreateOptions } from './volumes/create.js';
export type { PruneOptions as VolumePruneOptions, PruneReport as VolumePruneReport } from './volumes/prune.js';
export type { CreateOptions } from './containers/options.js';
export type { UpdateOptions } from './containers/update.js';
export type { ExecOptions, ExecSessionOptions } from './containers/exec.js';
export type { LogLine, LogOptions } from './containers/logs.js';
export type { Session, SessionEnd, SessionOptions } from './containers/session.js';
/** A session's keys with its detach sequence (for UIs that hand the terminal over). */
export { watchInput } from './containers/session.js';
export type { StatsSample } from './containers/stats.js';
export type { CtuiEvent, TailOptions } from './events/log.js';
export type { Change, ChangeSummary } from './containers/diff.js';
export { ChangeKind } from './containers/diff.js';
export type { ContainerUsage, DiskUsage, ImageUsage } from './maintenance/df.js';
export type { PruneFilter, PrunedContainers, PrunedImages } from './maintenance/prune.js';

export type { CommitOptions as CommitRequest } from './containers/commit.js';
export type { PathStat, PutOptions } from './containers/copy.js';

/** A container being started by its monitor. */
export interface StartHandle {
  /** With attach: resolves when an attach client may connect (the container waits for it). */
  readonly attachReady: Promise<void>;
  /** Resolves with the container's pid; rejects with the runtime's error (exit 125/126/127). */
  readonly started: Promise<number>;
  /**
   * With attach: the caller is done with the container (it removed it, or detached). Until then a
   * --rm container is the caller's to remove; after (or once the caller died) the engine removes it
   * when it exits. Without attach: nothing to do.
   */
  release(): void;
}

export interface ImageSummary {
  readonly Id: string;
  /** Full references (docker.io/library/busybox:latest). */
  readonly RepoTags: string[];
  readonly Created: string;
  readonly Size: number;
  /** Containers using it. */
  readonly Containers: number;
}

export interface ImageDetails {
  readonly Id: string;
  readonly RepoTags: string[];
  readonly Config: ImageConfig;
  readonly Size: number;
  readonly Layers: Array<{ DiffId: string; Size: number; Path: string }>;
}

export interface HistoryItem {
  readonly Id: string;
  readonly Created: string;
  readonly CreatedBy: string;
  readonly Size: number;
  readonly Comment: string;
  readonly Tags: string[];
}

export interface ContainerSummary {
  readonly Id: string;
  readonly Name: string;
  readonly Image: string;
  readonly ImageId: string;
  readonly Command: string;
  readonly Created: string;
  readonly State: ContainerState;
  readonly Labels: Record<string, string>;
  /** Size of its image's layers (for ps -s "virtual"). */
  readonly ImageSize: number;
  readonly Mounts: readonly MountPoint[];
}

export interface ContainerDetails {
  readonly Record: ContainerRecord;
  readonly State: ContainerState;
  readonly MergedDir: string;
  readonly UpperDir: string;
  readonly LowerDirs: string[];
  /** The seccomp profile it runs with (recorded at create): name and file ('' when unconfined or missing). */
  readonly Seccomp: SeccompChoice;
}

export interface ImportRequest {
  readonly source: string;
  readonly reference?: string;
  readonly changes?: readonly string[];
  readonly message?: string;
  readonly stdin?: Readable;
  readonly signal?: AbortSignal;
}

/** docker-archive (docker save's format) or an OCI image layout, as a tar. */
export type ArchiveFormat = 'docker-archive' | 'oci-archive';

export interface SaveRequest {
  /** docker-archive by default. */
  readonly format?: ArchiveFormat;
  /** Where the archive goes; left open (the caller ends or discards it). */
  readonly output: Writable;
  readonly signal?: AbortSignal;
}

export interface LoadProgress {
  /** Layers unpacked so far and their uncompressed size. */
  readonly layers: number;
  readonly bytes: number;
}

export interface LoadRequest {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: LoadProgress) => void;
}

export interface LoadedImage {
  readonly Id: string;
  /** Familiar names it was tagged with (busybox:latest); empty when loaded untagged. */
  readonly RepoTags: string[];
}

export interface RemoveImageResult {
  readonly untagged: string[];
  readonly deleted: string[];
  /** Bytes of the layers that went (0 when only a tag went): what prune reports as reclaimed. */
  readonly reclaimed: number;
}

export interface EngineInfo {
  readonly root: string;
  readonly containers: { total: number; running: number; paused: number; stopped: number };
  readonly images: number;
  readonly runtimes: string[];
  readonly defaultRuntime: string;
  readonly cgroupVersion: '1' | '2';
  readonly kernel: string;
  readonly os: string;
  readonly arch: string;
  readonly cpus: number;
  readonly memory: number;
  /** The profile new containers get; path undefined when it is not installed. */
  readonly seccomp: { readonly name: ProfileName; readonly path?: string };
}

export interface Engine {
  readonly images: {
    list(opts?: { all?: boolean; dangling?: boolean }): ImageSummary[];
    inspect(nameOrId: string): ImageDetails;
    history(nameOrId: string): HistoryItem[];
    tag(source: string, target: string): Promise<void>;
    remove(nameOrId: string, opts?: { force?: boolean }): Promise<RemoveImageResult>;
    import(req: ImportRequest): Promise<string>;
    /** Dangling images no container uses; with all, every image no container uses. */
    prune(opts?: { all?: boolean; filter?: PruneFilter }): Promise<PrunedImages>;
    /** Writes the images (tags, or ids) as one archive; every layer byte-exact to its diff_id. */
    save(names: readonly string[], req: SaveRequest): Promise<void>;
    /** Reads an image archive (docker-archive or OCI layout, compressed or not); all or nothing. */
    load(input: Readable, req?: LoadRequest): Promise<LoadedImage[]>;
  };
  readonly containers: {
    list(opts?: { all?: boolean }): ContainerSummary[];
    inspect(nameOrId: string): ContainerDetails;
    create(opts: CreateOptions): Promise<string>;
    /** Starts it under a monitor; with attach, the container waits for the first attach client. */
    start(nameOrId: string, opts?: { attach?: boolean }): Promise<StartHandle>;
    attach(nameOrId: string, opts: SessionOptions): Promise<Session>;
    /** Resolves false when it was not running. */
    stop(nameOrId: string, opts?: { timeout?: number }): Promise<boolean>;
    kill(nameOrId: string, signal?: string): Promise<void>;
    pause(nameOrId: string): Promise<void>;
    unpause(nameOrId: string): Promise<void>;
    /** Waits until it is not running; resolves with its exit code. */
    wait(nameOrId: string, signal?: AbortSignal): Promise<number>;
    /** With volumes (rm -v), its anonymous volumes no other container uses go too. */
    remove(nameOrId: string, opts?: { force?: boolean; volumes?: boolean }): Promise<string>;
    logs(nameOrId: string, opts: Omit<LogOptions, 'stillRunning'>): AsyncIterable<LogLine>;
    exec(nameOrId: string, opts: ExecOptions): Promise<number>;
    /** An exec with a tty drawn through streams (the TUI's pane) rather than our stdio; detach() hangs it up. */
    execSession(nameOrId: string, opts: ExecSessionOptions): Promise<Session>;
    /** The shell for an interactive exec: its user's login shell (container's /etc/passwd), else bash, else sh. */
    loginShell(nameOrId: string): string;
    top(nameOrId: string, psArgs?: readonly string[]): { titles: string[]; rows: string[][] };
    stats(nameOrId: string): StatsSample;
    /** Size in bytes of the container's writable layer. */
    size(nameOrId: string): Promise<number>;
    /** What changed in its writable layer (docker diff), with counts and the layer's size. */
    diff(nameOrId: string): ChangeSummary;
    /** Its writable layer as a new image on top of its image; resolves with the image id. */
    commit(nameOrId: string, req: CommitOptions): Promise<string>;
    /** Its whole filesystem as a tar written to output (not ended). */
    export(nameOrId: string, output: Writable, signal?: AbortSignal): Promise<void>;
    /** docker rename: running containers too; the new name must be free and valid. */
    rename(nameOrId: string, newName: string): Promise<void>;
    /** docker update: new limits (live in a running container's cgroup) and restart policy. */
    update(nameOrId: string, opts: UpdateOptions): Promise<void>;
    /** Removes stopped containers that pass the filter. */
    prune(filter?: PruneFilter, signal?: AbortSignal): Promise<PrunedContainers>;
    /** What a path in it names, its last symlink not followed (docker's HEAD /containers/{id}/archive). */
    statPath(nameOrId: string, path: string): Promise<PathStat>;
    /** A tar of a path in it, written to output, not ended (docker's GET /containers/{id}/archive). */
    getArchive(nameOrId: string, path: string, output: Writable, signal?: AbortSignal): Promise<void>;
    /** A tar extracted into a directory of it (docker's PUT /containers/{id}/archive). */
    putArchive(nameOrId: string, dir: string, input: Readable, opts?: PutOptions): Promise<void>;
  };
  readonly system: {
    df(): Promise<DiskUsage>;
  };
  readonly volumes: {
    /** filters: dangling=true|false, driver=local, label=K[=V], name=SUBSTRING (as `volume ls --filter`). */
    list(opts?: { filters?: readonly string[] }): Volume[];
    inspect(name: string): Volume;
    /** Returns the volume (an existing one unchanged, as docker does). */
    create(opts?: VolumeCreateOptions): Promise<Volume>;
    /** Refused while any container uses it; force: a missing volume is not an error. */
    remove(name: string, opts?: { force?: boolean }): Promise<void>;
    /** Unused volumes (anonymous ones only, unless all); filters: label=, label!=, all=true. */
    prune(opts?: PruneOptions): Promise<PruneReport>;
    /** Bytes of data in it. */
    size(name: string): Promise<number>;
  };
  /** Changes as they happen (and past ones with since): container create/start/die/stop..., image import/tag/delete/save/load. */
  events(opts: TailOptions): AsyncIterable<CtuiEvent>;
  /** Resolves a name or id to an object kind, for docker's untyped `inspect`. */
  kindOf(nameOrId: string): 'container' | 'image' | 'volume' | undefined;
  info(): EngineInfo;
}
