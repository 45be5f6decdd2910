import * as fs from 'node:fs';
import * as path from 'node:path';
import { unmount } from '../helper/native.js';
import { hexOf } from '../layers/store.js';
import type { Layout } from './layout.js';
import type { Store } from './store.js';
import { pidAlive, readDirSafe, removeTreeSync, writeJsonAtomicSync } from '../util/fs.js';
import { VOLUME_FORMAT_VERSION, type VolumeRecord } from '../volumes/model.js';
import { isVolumeName } from '../volumes/names.js';

/**
 * Removes staging dirs whose owner process is gone. Returns true when it found any: something
 * crashed mid-operation, so the caller runs the full repair.
 */
export function sweepTmp(layout: Layout): boolean {
  let found = false;
  for (const name of readDirSafe(layout.tmpDir)) {
    const pid = Number.parseInt(name.split('-')[0] ?? '', 10);
    if (pidAlive(pid) && pid !== process.pid) continue;
    if (pid === process.pid) continue;
    found = true;
    const p = path.join(layout.tmpDir, name);
    unmountBelow(p);
    removeTreeSync(p);
  }
  return found;
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
export function repairStore(store: Store): void {
  const { layout } = store;
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
  }
  // Names that point at no container.
  for (const name of readDirSafe(layout.namesDir)) {
    let id = '';
    try {
      id = fs.readFileSync(layout.nameFile(name), 'utf8').trim();
    } catch {
      continue;
    }
    if (!fs.existsSync(layout.containerConfig(id))) fs.rmSync(layout.nameFile(name), { force: true });
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
