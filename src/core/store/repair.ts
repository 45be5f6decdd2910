import * as fs from 'node:fs';
import * as path from 'node:path';
import { unmount } from '../helper/native.js';
import { resolveRuntime, runtimeVerb } from '../runtime/oci.js';
import { hexOf } from '../layers/store.js';
import { appendEvent } from '../events/log.js';
import { removeAnonymousVolumesLocked } from '../volumes/remove.js';
import type { Layout } from './layout.js';
import type { Store } from './store.js';
import { pidAlive, readDirSafe, readJsonSync, removeTreeSync, sleepSync, writeJsonAtomicSync } from '../util/fs.js';

/** In a staging dir: the id of a container this operation froze (commit), to thaw if it dies. */
export const THAW_MARKER = 'thaw';

export interface Debris {
  /** Staging dirs of operations whose process died: something crashed mid-operation. */
  readonly dirs: string[];
  /** Containers a dead commit left frozen. */
  readonly thaw: string[];
}
import { VOLUME_FORMAT_VERSION, type VolumeRecord } from '../volumes/model.js';
import { isVolumeName } from '../volumes/names.js';

/**
 * Finds staging dirs whose owner process is gone. They are removed only after the repair they call
 * for has run (removeDebris), so a ctui killed while repairing leaves them for the next one to find.
 */
export function findDebris(layout: Layout): Debris {
  const dirs: string[] = [];
  const thaw: string[] = [];
  for (const name of readDirSafe(layout.tmpDir)) {
    const pid = Number.parseInt(name.split('-')[0] ?? '', 10);
    if (pid === process.pid || pidAlive(pid)) continue;
    const p = path.join(layout.tmpDir, name);
    dirs.push(p);
    try {
      thaw.push(fs.readFileSync(path.join(p, THAW_MARKER), 'utf8').trim());
    } catch {
      /* no container was frozen */
    }
  }
  return { dirs, thaw };
}

/** Unmounts (an export's view) and removes dead staging dirs. */
export function removeDebris(dirs: readonly string[]): void {
  for (const p of dirs) {
    unmountBelow(p);
    removeTreeSync(p);
  }
}

/** Is some process (an orphaned runtime) running `<runtime> ... VERB ... ID` right now? */
function runtimeVerbRunning(verb: string, id: string): boolean {
  for (const pid of readDirSafe('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let argv: string[];
    try {
      argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (argv.includes(verb) && argv.includes(id)) return true;
  }
  return false;
}

/** Mount points below dir, from /proc/self/mountinfo (deepest first). */
export function mountsBelow(dir: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return [];
  }
  const prefix = dir.endsWith('/') ? dir : dir + '/';
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const mp = line.split(' ')[4];
    if (!mp) continue;
    const decoded = mp.replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
    if (decoded === dir || decoded.startsWith(prefix)) out.push(decoded);
  }
  return out.sort((a, b) => b.length - a.length);
}

function unmountBelow(dir: string): void {
  const mounts = mountsBelow(dir);
  if (mounts.length > 0) unmount(mounts, true);
}

/**
 * Full repair, under the store lock: brings the store back to a consistent state after a crash at
 * any point of any operation. Every step is idempotent.
 */
export function repairStore(store: Store, thaw: readonly string[] = []): void {
  const { layout } = store;
  // A commit killed while its container was frozen: thaw it (docker's daemon would on restart).
  for (const id of thaw) {
    // The dead commit's `runtime pause` child may still be freezing it (SIGKILL does not reach it):
    // let it finish first, or it would freeze the container again right after we thaw it.
    for (let i = 0; i < 200 && runtimeVerbRunning('pause', id); i++) sleepSync(10);
    const r = store.containers.get(id);
    if (r?.state.Status !== 'paused' && r?.state.Status !== 'running') continue;
    try {
      runtimeVerb(resolveRuntime(r.record.HostConfig.Runtime, layout), ['resume', id]);
    } catch {
      /* it went meanwhile */
    }
  }
  // Containers: debris of a half-made or half-removed record goes; a host-side rootfs mount (runc
  // containers) of a container that is not up is released. Their state needs no rewrite: it is
  // derived from the monitor's files and the kernel each time it is read (containers/state.ts).
  const mounted = new Set(mountsBelow(layout.containersDir));
  for (const id of store.containers.ids()) {
    const v = store.containers.get(id);
    if (!v) {
      if (!fs.existsSync(layout.containerConfig(id)) || !fs.existsSync(layout.containerState(id))) {
        unmountBelow(layout.containerDir(id));
        removeTreeSync(layout.containerDir(id));
      }
      continue;
    }
    const up = v.state.Status === 'running' || v.state.Status === 'paused' || v.state.Status === 'restarting';
    if (!up && mounted.has(layout.containerMerged(id))) unmount([layout.containerMerged(id)], true);
    // A `run --rm` killed between create and start: its claim (with a marker: made by a caller that
    // was about to start it, not `create --rm`, whose container waits for a `start`) has a dead
    // owner and no monitor ever ran it. --rm still holds (docker's CLI would leave it Created).
    if (v.record.HostConfig.AutoRemove && v.state.Status === 'created' && store.containers.claimMarker(id)
      && !store.containers.claimed(id) && !fs.existsSync(path.join(layout.containerDir(id), 'monitor.pid'))) {
      store.containers.remove(id);
      const gone = removeAnonymousVolumesLocked(store, v.record);
      appendEvent(layout, { type: 'container', action: 'destroy', id, attributes: { image: v.record.Config.Image, name: v.record.Name } });
      for (const name of gone) appendEvent(layout, { type: 'volume', action: 'destroy', id: name, attributes: { driver: 'local' } });
    }
  }
  // Temp files of atomic writes (`<file>.tmp-<pid>-<rand>`) whose writer died before the rename.
  for (const dir of [layout.root, layout.tagsDir, layout.namesDir, ...readDirSafe(layout.imagesDir).map((h) => layout.imageDir(h)),
    ...store.containers.ids().map((id) => layout.containerDir(id))]) {
    for (const f of readDirSafe(dir)) {
      const m = /\.tmp-(\d+)-[0-9a-f]+$/.exec(f);
      if (m && !pidAlive(Number(m[1]))) fs.rmSync(path.join(dir, f), { force: true });
    }
  }
  // Names that point at no container.
  for (const file of readDirSafe(layout.namesDir).map((f) => path.join(layout.namesDir, f))) {
    let id = '';
    try {
      id = fs.readFileSync(file, 'utf8').trim();
    } catch {
      continue;
    }
    // A name whose container is gone, or whose container is called something else now (a rename
    // that died between taking the new name and letting go of the old one).
    const owner = /^[0-9a-f]{64}$/.test(id) ? readJsonSync<{ Name?: string }>(layout.containerConfig(id)) : undefined;
    if (!owner || (owner.Name !== undefined && owner.Name !== path.basename(file))) fs.rmSync(file, { force: true });
  }
  // Images without a config (a crash while writing or removing one).
  for (const h of readDirSafe(layout.imagesDir)) {
    if (!fs.existsSync(layout.imageConfig(h))) removeTreeSync(layout.imageDir(h));
  }
  // Tags that point at no image.
  const tags = store.images.tags();
  for (const [ref, id] of tags) if (!store.images.get(id)) store.images.untag(ref);
  // Layers: incomplete ones, and those no image uses any more (a crash between rmi's steps).
  for (const hex of store.layers.incomplete()) removeTreeSync(layout.layerDir(hex));
  const used = new Set<string>();
  for (const img of store.images.list()) for (const d of img.config.rootfs.diff_ids) used.add(hexOf(d));
  for (const meta of store.layers.list()) if (!used.has(hexOf(meta.diffId))) store.layers.remove(meta.diffId);
  repairVolumes(store);
  // Short links whose layer is gone.
  for (const short of readDirSafe(layout.linksDir)) {
    if (!fs.existsSync(layout.link(short))) fs.rmSync(layout.link(short), { force: true });
  }
}

/**
 * Volumes: ctui makes a volume directory only by renaming a complete one (volume.json fsynced
 * inside) and removes one only by renaming it into tmp/ first, so a crash of ctui never leaves a
 * volume directory without its volume.json. One can still appear (a disk that lost the write, a
 * copy by hand, a corrupt file): an empty one is debris and goes; one whose `_data` holds anything
 * is adopted as a named volume (docker's local driver lists any directory under volumes/ as a
 * volume). User data in `_data` is never deleted here.
 */
export function repairVolumes(store: Store): void {
  const { layout } = store;
  for (const name of readDirSafe(layout.volumesDir)) {
    if (!isVolumeName(name)) continue; // not something ctui made: leave it alone
    const dir = layout.volumeDir(name);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(dir);
    } catch {
      continue;
    }
    if (!st.isDirectory()) continue;
    // A volume.json that parses stays as it is, even one of a newer format this ctui cannot read.
    if (parsesAsJson(layout.volumeMeta(name))) continue;
    const entries = readDirSafe(dir);
    const data = layout.volumeData(name);
    const dataEntries = entries.includes('_data') ? readDirSafe(data) : [];
    const onlyMeta = entries.every((e) => e === '_data' || e.startsWith('volume.json'));
    if (dataEntries.length === 0 && onlyMeta) {
      removeTreeSync(dir);
      continue;
    }
    adoptVolume(store, name);
  }
}

function parsesAsJson(file: string): boolean {
  try {
    JSON.parse(fs.readFileSync(file, 'utf8'));
    return true;
  } catch {
    return false;
  }
}

/** Writes a fresh volume.json for a directory that has data but no (readable) metadata. */
function adoptVolume(store: Store, name: string): void {
  const { layout } = store;
  fs.mkdirSync(layout.volumeData(name), { recursive: true, mode: 0o755 });
  const rec: VolumeRecord = {
    FormatVersion: VOLUME_FORMAT_VERSION,
    Name: name,
    Driver: 'local',
    Mountpoint: layout.volumeData(name),
    CreatedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    Labels: null,
    Options: null,
    Scope: 'local',
    Anonymous: false,
  };
  writeJsonAtomicSync(layout.volumeMeta(name), rec, true);
}
