import * as fs from 'node:fs';
import * as path from 'node:path';
import { CtuiError, NotFoundError } from '../errors.js';
import type { Layout } from '../store/layout.js';
import { fsyncDirSync, readDirSafe, readJsonSync, removeTreeSync, treeSize, writeJsonAtomicSync } from '../util/fs.js';
import { ANONYMOUS_LABEL, VOLUME_FORMAT_VERSION, type VolumeRecord } from './model.js';
import { isVolumeName } from './names.js';

export interface NewVolume {
  readonly name: string;
  readonly labels: Record<string, string> | null;
  readonly options: Record<string, string> | null;
  readonly anonymous: boolean;
}

/**
 * Volume records and their data (format in model.ts). Writers hold the store lock; readers only
 * ever see complete volumes, because a volume directory appears and disappears by rename.
 */
export class VolumeStore {
  constructor(
    private readonly layout: Layout,
    private readonly stagingDir: (kind: string) => string,
  ) {}

  /** Names of complete volumes (a directory with a valid name and a volume.json). */
  names(): string[] {
    return readDirSafe(this.layout.volumesDir).filter((n) => isVolumeName(n) && fs.existsSync(this.layout.volumeMeta(n))).sort();
  }

  get(name: string): VolumeRecord | undefined {
    // Only valid names reach the file system: a name is a path component under volumes/.
    if (!isVolumeName(name)) return undefined;
    let rec: VolumeRecord | undefined;
    try {
      rec = readJsonSync<VolumeRecord>(this.layout.volumeMeta(name));
    } catch (err) {
      throw new CtuiError(`volume ${name}: unreadable volume.json (${(err as Error).message})`);
    }
    if (!rec) return undefined;
    if (typeof rec.FormatVersion !== 'number' || rec.FormatVersion > VOLUME_FORMAT_VERSION) {
      throw new CtuiError(`volume ${name} was written by a newer ctui (format ${String(rec.FormatVersion)}, this one reads up to ${VOLUME_FORMAT_VERSION})`);
    }
    // The store may have moved since: the data is where the store is now.
    return { ...rec, Mountpoint: this.layout.volumeData(name) };
  }

  /** Like get, or docker's "no such volume" (exit 1). */
  require(name: string): VolumeRecord {
    const v = this.get(name);
    if (!v) throw new NotFoundError(`get ${name}: no such volume`);
    return v;
  }

  /** Every volume this ctui can read (one of a newer format, or with a damaged volume.json, is left out, never touched). */
  list(): VolumeRecord[] {
    return this.names().flatMap((n) => {
      try {
        const v = this.get(n);
        return v ? [v] : [];
      } catch {
        return [];
      }
    });
  }

  dataDir(name: string): string {
    return this.layout.volumeData(name);
  }

  /**
   * Creates a volume; the caller holds the store lock and validated the name. The directory is
   * built in a staging dir (volume.json fsynced) and renamed into place, so a crash leaves either
   * nothing (the staging dir is swept) or a whole volume.
   */
  create(v: NewVolume): VolumeRecord {
    if (!isVolumeName(v.name)) throw new CtuiError(`invalid volume name: ${v.name}`);
    const labels = v.anonymous ? { ...(v.labels ?? {}), [ANONYMOUS_LABEL]: '' } : v.labels;
    const rec: VolumeRecord = {
      FormatVersion: VOLUME_FORMAT_VERSION,
      Name: v.name,
      Driver: 'local',
      Mountpoint: this.layout.volumeData(v.name),
      CreatedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      Labels: labels,
      Options: v.options,
      Scope: 'local',
      Anonymous: v.anonymous,
    };
    const staged = this.stagingDir('volume');
    try {
      // _data is the root of the mount in the container: traversable by every user there, as docker's.
      fs.mkdirSync(path.join(staged, '_data'), { mode: 0o755 });
      fs.chmodSync(path.join(staged, '_data'), 0o755);
      writeJsonAtomicSync(path.join(staged, 'volume.json'), rec, true);
      fs.mkdirSync(this.layout.volumesDir, { recursive: true, mode: 0o700 });
      fs.renameSync(staged, this.layout.volumeDir(v.name));
      fsyncDirSync(this.layout.volumesDir);
    } catch (err) {
      removeTreeSync(staged);
      throw err;
    }
    return rec;
  }

  /**
   * Removes a volume and its data; the caller holds the lock and checked that no container uses it.
   * The directory is first renamed out of volumes/ (atomic), then deleted: a crash in between leaves
   * a staging dir that repair deletes, never a half-deleted volume that looks like a real one.
   */
  remove(name: string): void {
    if (!isVolumeName(name)) throw new NotFoundError(`get ${name}: no such volume`);
    const staged = this.stagingDir('volume-rm');
    try {
      fs.renameSync(this.layout.volumeDir(name), path.join(staged, 'volume'));
    } catch (err) {
      removeTreeSync(staged);
      throw err;
    }
    removeTreeSync(staged);
  }

  /** Bytes of data in the volume (apparent sizes, as docker's system df counts). */
  size(name: string): Promise<number> {
    return treeSize(this.layout.volumeData(name));
  }

  /** True when _data holds nothing (a fresh volume, which the first container fills from its image). */
  isEmpty(name: string): boolean {
    return readDirSafe(this.layout.volumeData(name)).length === 0;
  }
}
