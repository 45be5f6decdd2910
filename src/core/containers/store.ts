import * as fs from 'node:fs';
import { ConflictError, CtuiError, NotFoundError, errnoCode } from '../errors.js';
import type { Layout } from '../store/layout.js';
import { readDirSafe, readJsonSync, removeTreeSync, sameProcessAlive, writeJsonAtomicSync } from '../util/fs.js';
import { deriveState } from './state.js';
import type { ContainerRecord, ContainerState } from './model.js';
import { VALID_NAME } from './names.js';

export interface ContainerView {
  readonly record: ContainerRecord;
  readonly state: ContainerState;
}

/**
 * Container records: containers/<id>/container.json (what was asked for; replaced whole, by rename,
 * only by `rename` and `update`) and state.json (what is happening, replaced atomically), and
 * names/<name> (the id, created O_EXCL).
 */
export class ContainerStore {
  /**
   * container.json changes rarely (create renames the finished directory into place; rename and
   * update replace the file by rename) and ids are never reused: list() and records() read each
   * record once per process and afterwards only stat it: the same inode means the same record (a
   * replacement is a new file), none means the container is gone (its removal deletes
   * container.json first). The TUI re-lists 1,000 containers on every event; re-reading and
   * parsing 1,000 unchanged records (three times: the images' and volumes' usage count them too)
   * was most of that (issue 12).
   */
  private readonly recordCache = new Map<string, { ino: number; mtimeMs: number; record: ContainerRecord }>();

  constructor(private readonly layout: Layout) {}

  ids(): string[] {
    return readDirSafe(this.layout.containersDir).filter((id) => /^[0-9a-f]{64}$/.test(id));
  }

  get(id: string): ContainerView | undefined {
    const record = readJsonSync<ContainerRecord>(this.layout.containerConfig(id));
    if (!record) return undefined;
    const state = readJsonSync<ContainerState>(this.layout.containerState(id));
    if (!state) return undefined;
    return { record, state: deriveState(this.layout, id, state) };
  }

  list(): ContainerView[] {
    return this.currentIds().flatMap((id) => {
      const record = this.cachedRecord(id);
      const state = record && readJsonSync<ContainerState>(this.layout.containerState(id));
      return state ? [{ record: record!, state: deriveState(this.layout, id, state) }] : [];
    });
  }

  /** Every container's record, without deriving state (cheap: for "which containers use X"). */
  records(): ContainerRecord[] {
    return this.currentIds().flatMap((id) => {
      const r = this.cachedRecord(id);
      return r ? [r] : [];
    });
  }

  /** ids(), and the record cache forgets the containers that are gone (it must not grow with churn). */
  private currentIds(): string[] {
    const ids = this.ids();
    if (this.recordCache.size > 0) {
      const now = new Set(ids);
      for (const id of this.recordCache.keys()) if (!now.has(id)) this.recordCache.delete(id);
    }
    return ids;
  }

  private cachedRecord(id: string): ContainerRecord | undefined {
    const file = this.layout.containerConfig(id);
    const known = this.recordCache.get(id);
    const st = fs.statSync(file, { throwIfNoEntry: false });
    if (!st) {
      this.recordCache.delete(id);
      return undefined;
    }
    if (known && known.ino === st.ino && known.mtimeMs === st.mtimeMs) return known.record;
    const r = readJsonSync<ContainerRecord>(file);
    if (r) this.recordCache.set(id, { ino: st.ino, mtimeMs: st.mtimeMs, record: r });
    else this.recordCache.delete(id);
    return r;
  }

  /**
   * Replaces container.json whole (rename, update), durably: a crash leaves the old record or the
   * new one, never a torn one. The caller holds the store lock.
   */
  writeRecord(r: ContainerRecord): void {
    writeJsonAtomicSync(this.layout.containerConfig(r.Id), r, true);
  }

  /**
   * A container made by a process that is about to start it (run, the TUI's run form) is claimed by
   * that process until the start: prune must not remove it in that gap, or the run fails.
   */
  claimed(id: string): boolean {
    let text: string;
    try {
      text = fs.readFileSync(this.layout.containerClaim(id), 'utf8');
    } catch {
      return false;
    }
    const [pid, start] = text.trim().split(' ').map(Number);
    return sameProcessAlive(pid, start);
  }

  /** The repair marker of a claim made by a caller that starts the container at once (run --rm). */
  claimMarker(id: string): string | undefined {
    try {
      const marker = fs.readFileSync(this.layout.containerClaim(id), 'utf8').trim().split(' ')[2];
      return marker && /^\d+-claim-[0-9a-f]+$/.test(marker) ? marker : undefined;
    } catch {
      return undefined;
    }
  }

  /** Ends the claim (the container was started, or its creator gave up), and its repair marker. */
  unclaim(id: string): void {
    const marker = this.claimMarker(id);
    fs.rmSync(this.layout.containerClaim(id), { force: true });
    if (marker) fs.rmSync(`${this.layout.tmpDir}/${marker}`, { recursive: true, force: true });
  }

  /** By full id, unique id prefix, or name (with or without docker's leading slash). */
  resolve(nameOrId: string): string {
    const name = nameOrId.startsWith('/') ? nameOrId.slice(1) : nameOrId;
    if (VALID_NAME.test(name) || /^[a-zA-Z0-9]$/.test(name)) {
      try {
        const id = fs.readFileSync(this.layout.nameFile(name), 'utf8').trim();
        if (fs.existsSync(this.layout.containerConfig(id))) return id;
      } catch (err) {
        if (errnoCode(err) !== 'ENOENT') throw err;
      }
    }
    if (/^[0-9a-f]{1,64}$/.test(nameOrId)) {
      const matches = this.ids().filter((id) => id.startsWith(nameOrId) && fs.existsSync(this.layout.containerConfig(id)));
      if (matches.length === 1) return matches[0]!;
      if (matches.length > 1) throw new ConflictError(`multiple containers match the prefix '${nameOrId}'`);
    }
    throw new NotFoundError(`No such container: ${nameOrId}`);
  }

  /** Takes a name for id, atomically across processes. */
  reserveName(name: string, id: string): void {
    if (!VALID_NAME.test(name)) throw new CtuiError(`Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
    fs.mkdirSync(this.layout.namesDir, { recursive: true, mode: 0o700 });
    try {
      fs.writeFileSync(this.layout.nameFile(name), id, { flag: 'wx' });
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw err;
      const owner = fs.readFileSync(this.layout.nameFile(name), 'utf8').trim();
      if (!fs.existsSync(this.layout.containerConfig(owner))) {
        // A name left by a crashed create: the lock holder may reclaim it.
        fs.writeFileSync(this.layout.nameFile(name), id);
        return;
      }
      throw new ConflictError(
        `Conflict. The container name "/${name}" is already in use by container "${owner}". You have to remove (or rename) that container to be able to reuse that name.`,
        125,
      );
    }
  }

  releaseName(name: string, id: string): void {
    try {
      if (fs.readFileSync(this.layout.nameFile(name), 'utf8').trim() === id) fs.rmSync(this.layout.nameFile(name), { force: true });
    } catch {
      /* already gone */
    }
  }

  writeState(id: string, state: ContainerState): void {
    // Atomic (rename) but not fsynced: a state lost to a power cut is rebuilt by repair().
    writeJsonAtomicSync(this.layout.containerState(id), state);
  }

  /** Removes the record; the caller made sure nothing runs and the rootfs is unmounted. */
  remove(id: string): void {
    this.removeInto(id, undefined);
  }

  /**
   * remove(), but the container's directory is renamed into `trash` (a staging dir under tmp/, which
   * repair empties if we die) for the caller to delete later, outside the store lock: prune deletes
   * 200 trees several at a time instead of one after the other under the lock.
   */
  removeInto(id: string, trash: string | undefined): void {
    const v = this.get(id);
    // container.json first: once gone, the container no longer exists for any reader.
    fs.rmSync(this.layout.containerConfig(id), { force: true });
    if (v) this.releaseName(v.record.Name, id);
    if (trash === undefined) removeTreeSync(this.layout.containerDir(id));
    else fs.renameSync(this.layout.containerDir(id), `${trash}/${id}`);
  }
}
