import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { createContainer } from './containers/create.js';
import { killContainer, pauseContainer, removeContainer, startContainer, stopContainer, unpauseContainer, waitExited } from './containers/lifecycle.js';
import { readLogs } from './containers/logs.js';
import { renameContainer } from './containers/rename.js';
import { parseUpdate, updateContainer, type UpdateOptions } from './containers/update.js';
import { openSession } from './containers/session.js';
import { sampleStats, topProcesses } from './containers/stats.js';
import { readEvents } from './events/log.js';
import { treeSize } from './util/fs.js';
import type {
  ContainerDetails, ContainerSummary, Engine, EngineInfo, ExecOptions, ExecSessionOptions, HistoryItem, ImageDetails, ImageSummary, ImportRequest,
  CtuiEvent, LoadedImage, LoadRequest, LogOptions, RemoveImageResult, SaveRequest, SessionOptions, StartHandle, TailOptions, CommitRequest, PruneFilter,
  PrunedContainers, PrunedImages, DiskUsage, PathStat, PutOptions,
} from './engine.js';
import type { Writable } from 'node:stream';
import { containerChanges } from './containers/diff.js';
import { loginShell } from './containers/shell.js';
import { removeImageLocked } from './images/remove.js';
import { pruneContainers, pruneImages } from './maintenance/prune.js';
import { ConflictError, CtuiError, NotFoundError } from './errors.js';
import type { HistoryEntry } from './images/config.js';
import { familiarReference, normalizeReference } from './images/reference.js';
import { hexOf } from './layers/store.js';
import { DEFAULT_PROFILE, findProfile } from './bundle/seccomp.js';
import { shownSeccomp } from './containers/bundle.js';
import { Store } from './store/store.js';
import type { ImageRecord } from './images/store.js';
import { appendEvent } from './events/log.js';
import type { Volume } from './volumes/model.js';
import { createVolume, type VolumeCreateOptions } from './volumes/create.js';
import { parseVolumeFilters } from './volumes/filters.js';
import { isVolumeName } from './volumes/names.js';
import { pruneVolumes, type PruneOptions, type PruneReport } from './volumes/prune.js';
import { removeVolumeLocked } from './volumes/remove.js';
import { volumeUsers } from './volumes/usage.js';
import { toVolume } from './volumes/view.js';

/** The embedded engine: the store and runtimes on this host, no daemon. */
export class EmbeddedEngine implements Engine {
  private constructor(readonly store: Store) {}

  static async open(root: string): Promise<EmbeddedEngine> {
    return new EmbeddedEngine(await Store.open(root));
  }

  /** Containers per image: records only (which image a container uses never changes; no state needed). */
  private usage(): Map<string, number> {
    const m = new Map<string, number>();
    for (const r of this.store.containers.records()) m.set(r.Image, (m.get(r.Image) ?? 0) + 1);
    return m;
  }

  readonly images = {
    list: (opts: { all?: boolean; dangling?: boolean } = {}): ImageSummary[] => {
      const tags = this.store.images.tags();
      const usage = this.usage();
      const out: ImageSummary[] = [];
      for (const img of this.store.images.list()) {
        const repoTags = this.store.images.tagsOf(img.id, tags);
        if (opts.dangling === true && repoTags.length > 0) continue;
        if (opts.dangling === false && repoTags.length === 0) continue;
        out.push({ Id: img.id, RepoTags: repoTags, Created: img.config.created ?? '', Size: img.size, Containers: usage.get(img.id) ?? 0 });
      }
      return out.sort((a, b) => (b.Created > a.Created ? 1 : b.Created < a.Created ? -1 : 0));
    },

    inspect: (nameOrId: string): ImageDetails => {
      const id = this.store.images.resolve(nameOrId);
      const img = this.store.images.get(id)!;
      const layers = img.config.rootfs.diff_ids.map((d) => {
        const meta = this.store.layers.get(d);
        return { DiffId: d, Size: meta?.size ?? 0, Path: this.store.layout.layerDiff(hexOf(d)) };
      });
      return { Id: id, RepoTags: this.store.images.tagsOf(id), Config: img.config, Size: img.size, Layers: layers };
    },

    history: (nameOrId: string): HistoryItem[] => {
      const id = this.store.images.resolve(nameOrId);
      const img = this.store.images.get(id)!;
      const diffIds = [...img.config.rootfs.diff_ids];
      const tags = this.store.images.tagsOf(id);
      const hist: HistoryEntry[] = img.config.history ?? diffIds.map(() => ({}));
      // Walk history newest first; non-empty entries consume layers from the top.
      let layerIdx = diffIds.length - 1;
      const items: HistoryItem[] = [];
      for (let i = hist.length - 1; i >= 0; i--) {
        const h = hist[i]!;
        let size = 0;
        if (!h.empty_layer && layerIdx >= 0) {
          size = this.store.layers.get(diffIds[layerIdx]!)?.size ?? 0;
          layerIdx--;
        }
        items.push({
          Id: i === hist.length - 1 ? id : '<missing>',
          Created: h.created ?? '',
          CreatedBy: h.created_by ?? '',
          Size: size,
          Comment: h.comment ?? '',
          Tags: i === hist.length - 1 ? tags : [],
        });
      }
      return items;
    },

    tag: async (source: string, target: string): Promise<void> => {
      const ref = normalizeReference(target);
      await this.store.lock.with(() => {
        const id = this.store.images.resolve(source);
        this.store.images.tag(ref, id);
        appendEvent(this.store.layout, { type: 'image', action: 'tag', id, attributes: { name: familiarReference(ref) } });
      });
    },

    remove: async (nameOrId: string, opts: { force?: boolean } = {}): Promise<RemoveImageResult> => {
      const r = await this.store.intent('rmi', () => this.store.lock.with(() => removeImageLocked(this.store, nameOrId, opts.force ?? false)));
      for (const u of r.untagged) appendEvent(this.store.layout, { type: 'image', action: 'untag', id: u, attributes: { name: u } });
      if (r.deleted[0]) appendEvent(this.store.layout, { type: 'image', action: 'delete', id: r.deleted[0], attributes: {} });
      return r;
    },

    // The archive code (tar-stream, zlib, http) loads only when importing: `run` and `ps` never pay for it.
    import: async (req: ImportRequest): Promise<string> => {
      const id = await (await import('./images/import.js')).importImage(this.store, req);
      appendEvent(this.store.layout, { type: 'image', action: 'import', id, attributes: req.reference ? { name: req.reference } : {} });
      return id;
    },

    // save and load, like import, load the archive code only when used.
    save: async (names: readonly string[], req: SaveRequest): Promise<void> => {
      const saved = await (await import('./images/save.js')).saveImages(this.store, names, req);
      for (const img of saved) {
        const name = img.refs[0] ? familiarReference(img.refs[0]) : img.id;
        appendEvent(this.store.layout, { type: 'image', action: 'save', id: img.id, attributes: { name } });
      }
    },

    load: async (input: Readable, req: LoadRequest = {}): Promise<LoadedImage[]> => {
      const loaded = await (await import('./images/load.js')).loadImages(this.store, input, req);
      return loaded.map((img) => {
        const tags = img.refs.map(familiarReference);
        appendEvent(this.store.layout, { type: 'image', action: 'load', id: img.id, attributes: { name: tags[0] ?? img.id } });
        return { Id: img.id, RepoTags: tags };
      });
    },

    prune: async (opts: { all?: boolean; filter?: PruneFilter } = {}): Promise<PrunedImages> => {
      const r = await pruneImages(this.store, opts);
      for (const i of r.items) if (i.Untagged) appendEvent(this.store.layout, { type: 'image', action: 'untag', id: i.Untagged, attributes: { name: i.Untagged } });
      for (const d of r.images) appendEvent(this.store.layout, { type: 'image', action: 'delete', id: d, attributes: {} });
      appendEvent(this.store.layout, { type: 'image', action: 'prune', id: '', attributes: { reclaimed: String(r.reclaimed) } });
      return r;
    },
  };

  readonly containers = {
    list: (opts: { all?: boolean } = {}): ContainerSummary[] => {
      const tags = this.store.images.tags();
      const out: ContainerSummary[] = [];
      const images = new Map<string, ImageRecord | undefined>();
      const image = (id: string) => {
        if (!images.has(id)) images.set(id, this.store.images.get(id));
        return images.get(id);
      };
      for (const c of this.store.containers.list()) {
        if (!opts.all && c.state.Status !== 'running' && c.state.Status !== 'paused') continue;
        const r = c.record;
        const shown = image(r.Image)
          ? displayImage(r.Config.Image, r.Image, this.store.images.tagsOf(r.Image, tags))
          : hexOf(r.Image).slice(0, 12);
        out.push({
          Id: r.Id, Name: r.Name, Image: shown, ImageId: r.Image, Command: [r.Path, ...r.Args].join(' '), Created: r.Created, State: c.state,
          Labels: r.Config.Labels, ImageSize: image(r.Image)?.size ?? 0, Mounts: r.Mounts ?? [],
        });
      }
      return out.sort((a, b) => (b.Created > a.Created ? 1 : b.Created < a.Created ? -1 : 0));
    },

    inspect: (nameOrId: string): ContainerDetails => {
      const id = this.store.containers.resolve(nameOrId);
      const v = this.store.containers.get(id);
      if (!v) throw new NotFoundError(`No such container: ${nameOrId}`);
      const img = this.store.images.get(v.record.Image);
      const lowers = img ? img.config.rootfs.diff_ids.map((d) => this.store.layout.layerDiff(hexOf(d))).reverse() : [];
      return {
        Record: v.record,
        State: v.state,
        MergedDir: this.store.layout.containerMerged(id),
        UpperDir: this.store.layout.containerUpper(id),
        LowerDirs: lowers,
        Seccomp: shownSeccomp(v.record),
      };
    },

    create: (opts: Parameters<typeof createContainer>[1]): Promise<string> => createContainer(this.store, opts),
    start: async (nameOrId: string, opts: { attach?: boolean } = {}): Promise<StartHandle> => {
      const s = await startContainer(this.store, nameOrId, opts.attach ?? false);
      return s.monitor;
    },
    attach: (nameOrId: string, opts: SessionOptions) => {
      const id = this.store.containers.resolve(nameOrId);
      const v = this.store.containers.get(id);
      if (!v || (v.state.Status !== 'running' && v.state.Status !== 'paused' && v.state.Status !== 'created' && v.state.Status !== 'restarting')) {
        throw new CtuiError('You cannot attach to a stopped container, start it first', 1);
      }
      return openSession(this.store.layout, id, opts);
    },
    stop: (nameOrId: string, opts: { timeout?: number } = {}) => stopContainer(this.store, nameOrId, opts.timeout),
    kill: async (nameOrId: string, signal = 'KILL') => killContainer(this.store, nameOrId, signal),
    pause: async (nameOrId: string) => pauseContainer(this.store, nameOrId),
    unpause: async (nameOrId: string) => unpauseContainer(this.store, nameOrId),
    wait: async (nameOrId: string, signal?: AbortSignal) => {
      const id = this.store.containers.resolve(nameOrId);
      return (await waitExited(this.store, id, Infinity, signal)).ExitCode;
    },
    remove: (nameOrId: string, opts: { force?: boolean; volumes?: boolean } = {}): Promise<string> =>
      removeContainer(this.store, nameOrId, opts.force ?? false, opts.volumes ?? false),
    logs: (nameOrId: string, opts: Omit<LogOptions, 'stillRunning'>) => {
      const id = this.store.containers.resolve(nameOrId);
      const up = () => {
        const s = this.store.containers.get(id)?.state.Status;
        return s === 'running' || s === 'paused' || s === 'restarting' || s === 'created';
      };
      return readLogs(this.store.layout, id, { ...opts, stillRunning: up });
    },
    exec: async (nameOrId: string, opts: ExecOptions) => (await import('./containers/exec.js')).execInContainer(this.store, nameOrId, opts),
    execSession: async (nameOrId: string, opts: ExecSessionOptions) => (await import('./containers/exec.js')).openExecSession(this.store, nameOrId, opts),
    loginShell: (nameOrId: string) => loginShell(this.store, nameOrId),
    top: (nameOrId: string, psArgs: readonly string[] = []) => {
      const id = this.store.containers.resolve(nameOrId);
      const v = this.store.containers.get(id);
      if (!v || (v.state.Status !== 'running' && v.state.Status !== 'paused')) throw new CtuiError(`Container ${id} is not running`, 1);
      return topProcesses(id, psArgs);
    },
    stats: (nameOrId: string) => {
      const id = this.store.containers.resolve(nameOrId);
      const v = this.store.containers.get(id);
      if (!v || (v.state.Status !== 'running' && v.state.Status !== 'paused')) throw new CtuiError(`Container ${id} is not running`, 1);
      return sampleStats(id, v.state.Pid);
    },
    size: async (nameOrId: string) => treeSize(this.store.layout.containerUpper(this.store.containers.resolve(nameOrId))),

    diff: (nameOrId: string) => containerChanges(this.store, this.store.containers.resolve(nameOrId)),

    // Packing and unpacking load the archive code only when committing or exporting.
    commit: async (nameOrId: string, req: CommitRequest): Promise<string> => {
      const id = await (await import('./containers/commit.js')).commitContainer(this.store, nameOrId, req);
      const r = this.store.containers.get(this.store.containers.resolve(nameOrId))?.record;
      if (r) appendEvent(this.store.layout, { type: 'container', action: 'commit', id: r.Id, attributes: { name: r.Name, image: r.Config.Image } });
      if (req.reference) appendEvent(this.store.layout, { type: 'image', action: 'tag', id, attributes: { name: familiarReference(normalizeReference(req.reference)) } });
      return id;
    },

    export: async (nameOrId: string, output: Writable, signal?: AbortSignal): Promise<void> => {
      await (await import('./containers/export.js')).exportContainer(this.store, nameOrId, output, signal);
      const r = this.store.containers.get(this.store.containers.resolve(nameOrId))?.record;
      if (r) appendEvent(this.store.layout, { type: 'container', action: 'export', id: r.Id, attributes: { name: r.Name, image: r.Config.Image } });
    },

    // cp's archive code loads only for cp.
    statPath: async (nameOrId: string, p: string): Promise<PathStat> => (await import('./containers/copy.js')).statContainerPath(this.store, nameOrId, p),

    getArchive: async (nameOrId: string, p: string, output: Writable, signal?: AbortSignal): Promise<void> => {
      await (await import('./containers/copy.js')).archiveFromContainer(this.store, nameOrId, p, output, signal);
    },

    putArchive: async (nameOrId: string, dir: string, input: Readable, opts?: PutOptions): Promise<void> => {
      await (await import('./containers/copy.js')).extractToContainer(this.store, nameOrId, dir, input, opts);
    },

    rename: (nameOrId: string, newName: string): Promise<void> => renameContainer(this.store, nameOrId, newName),
    update: (nameOrId: string, opts: UpdateOptions): Promise<void> => updateContainer(this.store, nameOrId, parseUpdate(opts)),

    prune: async (filter: PruneFilter = {}, signal?: AbortSignal): Promise<PrunedContainers> => {
      const r = await pruneContainers(this.store, filter, signal);
      for (const c of r.removed) appendEvent(this.store.layout, { type: 'container', action: 'destroy', id: c.Id, attributes: { name: c.Name, image: c.Config.Image } });
      appendEvent(this.store.layout, { type: 'container', action: 'prune', id: '', attributes: { reclaimed: String(r.reclaimed) } });
      return r;
    },
  };

  readonly system = {
    df: async (): Promise<DiskUsage> => (await import('./maintenance/df.js')).diskUsage(this.store),
  };

  readonly volumes = {
    list: (opts: { filters?: readonly string[] } = {}): Volume[] => {
      const f = parseVolumeFilters(opts.filters ?? [], ['dangling', 'driver', 'label', 'name']);
      const users = volumeUsers(this.store.containers.records());
      return this.store.volumes.list().map((rec) => toVolume(rec, users.get(rec.Name) ?? [])).filter(f.match);
    },
    inspect: (name: string): Volume => {
      const rec = this.store.volumes.require(name);
      return toVolume(rec, volumeUsers(this.store.containers.records()).get(name) ?? []);
    },
    create: async (opts: VolumeCreateOptions = {}): Promise<Volume> => {
      const rec = await createVolume(this.store, opts);
      return toVolume(rec, volumeUsers(this.store.containers.records()).get(rec.Name) ?? []);
    },
    remove: async (name: string, opts: { force?: boolean } = {}): Promise<void> => {
      const removed = await this.store.lock.with(() => removeVolumeLocked(this.store, name, opts.force ?? false));
      if (removed) appendEvent(this.store.layout, { type: 'volume', action: 'destroy', id: name, attributes: { driver: 'local' } });
    },
    prune: (opts: PruneOptions = {}): Promise<PruneReport> => pruneVolumes(this.store, opts),
    size: (name: string): Promise<number> => {
      this.store.volumes.require(name);
      return this.store.volumes.size(name);
    },
  };

  /** Events, with the container's name and image added to those the monitors write (they only know the id). */
  async *events(opts: TailOptions): AsyncGenerator<CtuiEvent> {
    const known = new Map<string, Record<string, string>>();
    for await (const e of readEvents(this.store.layout, opts)) {
      if (e.type !== 'container') {
        yield e;
        continue;
      }
      if (e.attributes.name) known.set(e.id, { image: e.attributes.image ?? '', name: e.attributes.name });
      else if (!known.has(e.id)) {
        const r = this.store.containers.get(e.id)?.record;
        if (r) known.set(e.id, { image: r.Config.Image, name: r.Name });
      }
      const named = { ...e, attributes: { ...(known.get(e.id) ?? {}), ...e.attributes } };
      // A follower lives as long as the TUI: it must not keep every container it ever saw.
      if (e.action === 'destroy') known.delete(e.id);
      yield named;
    }
  }

  kindOf(nameOrId: string): 'container' | 'image' | 'volume' | undefined {
    try {
      this.store.containers.resolve(nameOrId);
      return 'container';
    } catch (err) {
      if (!(err instanceof CtuiError)) throw err;
    }
    try {
      this.store.images.resolve(nameOrId);
      return 'image';
    } catch (err) {
      if (!(err instanceof CtuiError)) throw err;
    }
    if (isVolumeName(nameOrId) && this.store.volumes.get(nameOrId)) return 'volume';
    return undefined;
  }

  info(): EngineInfo {
    const cs = this.store.containers.list();
    const running = cs.filter((c) => c.state.Status === 'running').length;
    const paused = cs.filter((c) => c.state.Status === 'paused').length;
    const runtimes = ['ctui'];
    for (const r of ['runc', 'crun']) if (['/usr/bin', '/usr/sbin', '/usr/local/bin'].some((d) => fs.existsSync(path.join(d, r)))) runtimes.push(r);
    const seccompPath = findProfile(DEFAULT_PROFILE);
    return {
      root: this.store.layout.root,
      containers: { total: cs.length, running, paused, stopped: cs.length - running - paused },
      images: this.store.images.ids().length,
      runtimes,
      defaultRuntime: 'ctui',
      cgroupVersion: fs.existsSync('/sys/fs/cgroup/cgroup.controllers') ? '2' : '1',
      kernel: os.release(),
      os: readOsName(),
      arch: os.arch() === 'x64' ? 'x86_64' : os.arch(),
      cpus: os.cpus().length,
      memory: os.totalmem(),
      seccomp: { name: DEFAULT_PROFILE, ...(seccompPath ? { path: seccompPath } : {}) },
    };
  }
}

/** What `ps` shows in IMAGE: the name the user gave while it still points at the same image, else the id. */
function displayImage(given: string, id: string, tags: string[]): string {
  try {
    if (tags.includes(normalizeReference(given))) return given;
  } catch {
    /* given was an id */
  }
  const t = tags[0];
  return t ? familiarReference(t) : hexOf(id).slice(0, 12);
}

function readOsName(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(fs.readFileSync('/etc/os-release', 'utf8'));
    return m?.[1] ?? 'Linux';
  } catch {
    return 'Linux';
  }
}
