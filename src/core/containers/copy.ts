import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CopyChecker, checkedEntries, type CopyEntry } from '../archive/copyarchive.js';
import { effectiveCaps } from '../bundle/caps.js';
import { ConflictError, CtuiError, NotFoundError, RuntimeError } from '../errors.js';
import { runtimeBinary } from '../helper/native.js';
import { mountsBelow } from '../store/repair.js';
import type { Store } from '../store/store.js';
import { pidStartTime } from '../util/fs.js';
import { containerMounts } from '../volumes/oci.js';
import { copyMarked, markAlive, setCopyMark } from './copymark.js';
import { rootfsLowers } from './lifecycle.js';
import type { ContainerRecord } from './model.js';
import { containerProcessAlive, monitorAlive } from './monitor.js';

/**
 * docker cp's container side, as the Engine API has it (GET/HEAD/PUT /containers/{id}/archive):
 * the stat of a path, a tar of a path, and a tar extracted into a directory. All three run in
 * `ctui-runtime _cp` (src/native/runtime/cpcmd.c), which first enters the container's filesystem -
 * the running container's own mount namespace, or for a stopped one its rootfs and volumes mounted
 * in a private mount namespace and chrooted into - and only then resolves paths, each relative to
 * the root's fd with RESOLVE_IN_ROOT: no name the container controls is ever looked up from the
 * host, so a container swapping a directory for a symlink to / (CVE-2018-15664) reaches nothing
 * but its own files. The archive going in is parsed and checked here (CopyChecker) and handed to
 * the helper as simple records; the helper never parses tar.
 */

/** docker's ContainerPathStat; mode is the unix st_mode. */
export interface PathStat {
  readonly name: string;
  readonly size: number;
  readonly mode: number;
  readonly mtime: string;
  readonly linkTarget: string;
}

export interface PutOptions {
  /** -a: chown what is copied to the container's user (Config.User) when it has one. */
  readonly copyUIDGID?: boolean;
}

const NOT_THERE = 2; // the helper's exit code for a path that does not exist

interface Entered {
  readonly args: string[];
  readonly record: ContainerRecord;
  release(): void;
}

function record(store: Store, nameOrId: string, p: string): { id: string; r: ContainerRecord; pid: number } {
  let id: string;
  try {
    id = store.containers.resolve(nameOrId);
  } catch (err) {
    // docker's client says it this way for a missing container too
    if (err instanceof NotFoundError) throw notThere(nameOrId, p);
    throw err;
  }
  const v = store.containers.get(id);
  if (!v) throw new NotFoundError(`No such container: ${nameOrId}`);
  const pid = v.state.Pid > 0 && containerProcessAlive(v.state.Pid, id) ? v.state.Pid : 0;
  return { id, r: v.record, pid };
}

/** The helper's way in: the running container's init (pid and start time, re-checked by the helper through a pidfd). */
function joinArgs(pid: number, id: string): string[] | undefined {
  const start = pidStartTime(pid);
  if (!start || !containerProcessAlive(pid, id)) return undefined;
  return ['--pid', String(pid), '--start-time', String(start)];
}

/**
 * A stopped container's filesystem for the helper to mount in its own namespace: the layers (with
 * the writable layer as a lower for reading, so a start meanwhile is never a second user of the
 * upper dir; as the upper for writing), its volumes and binds at their destinations.
 */
function viewArgs(store: Store, r: ContainerRecord, write: boolean): string[] {
  const merged = store.layout.containerMerged(r.Id);
  const args = ['--view', merged];
  // runc's host-side rootfs mount, when one is there: use it as it is, never a second overlay.
  if (!mountsBelow(merged).includes(merged)) {
    const lowers = rootfsLowers(store, r);
    args.push('--cwd', store.layout.root);
    if (write) args.push('--lower', lowers.join(':'), '--upper', store.layout.containerUpper(r.Id), '--work', store.layout.containerWork(r.Id));
    else args.push('--lower', [path.relative(store.layout.root, store.layout.containerUpper(r.Id)), ...lowers].join(':'));
  }
  if (!write || r.HostConfig.ReadonlyRootfs) args.push('--ro');
  for (const m of containerMounts(store, r)) {
    // tmpfs mounts hold nothing while the container is stopped; what is beneath them is the rootfs.
    if (m.type !== 'bind') continue;
    args.push('--bind', m.source, m.destination, (m.options ?? []).includes('ro') ? 'ro' : 'rw');
  }
  return args;
}

async function enter(store: Store, nameOrId: string, p: string, write: boolean): Promise<Entered> {
  const { id, r, pid } = record(store, nameOrId, p);
  const join = pid ? joinArgs(pid, id) : undefined;
  if (join) return { args: join, record: r, release: () => {} };
  if (!write) return { args: viewArgs(store, r, false), record: r, release: () => {} };
  // Writing into a stopped container mounts its upper dir: no start may mount it meanwhile (a start
  // waits for the mark, see lifecycle.ts), and a container starting right now is joined instead.
  return store.lock.with(() => {
    const v = store.containers.get(id);
    const now = v && v.state.Pid > 0 && containerProcessAlive(v.state.Pid, id) ? joinArgs(v.state.Pid, id) : undefined;
    if (now) return { args: now, record: r, release: () => {} };
    if (monitorAlive(store.layout, id) || startingMarked(store, id)) throw new ConflictError(`container ${r.Name} is starting; try again`, 1);
    if (copyMarked(store.layout, id)) throw new ConflictError(`container ${r.Name} is being copied into by another ctui cp; try again`, 1);
    return { args: viewArgs(store, r, true), record: r, release: setCopyMark(store.layout, id) };
  });
}

function startingMarked(store: Store, id: string): boolean {
  return markAlive(path.join(store.layout.containerDir(id), 'starting'));
}

function lastLine(stderr: string, code: number | null): string {
  return stderr.trim().split('\n').pop() || `_cp failed (${code})`;
}

function notThere(nameOrId: string, p: string): NotFoundError {
  return new NotFoundError(`No such container:path: ${nameOrId}:${p}`);
}

export async function statContainerPath(store: Store, nameOrId: string, p: string): Promise<PathStat> {
  const e = await enter(store, nameOrId, p, false);
  try {
    const res = spawnSync(runtimeBinary(), ['_cp', ...e.args, 'stat', p], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    if (res.error) throw new RuntimeError(`native helper: ${res.error.message}`);
    if (res.status === NOT_THERE) throw notThere(nameOrId, p);
    if (res.status !== 0) throw new CtuiError(lastLine(res.stderr, res.status), 1);
    const f = new Map(res.stdout.split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]));
    const clean = path.posix.normalize(`/${p}`).replace(/(.)\/+$/, '$1');
    return {
      name: clean === '/' ? '/' : path.posix.basename(clean),
      size: Number(f.get('size')),
      mode: parseInt(f.get('mode') ?? '0', 8),
      mtime: new Date(Number(f.get('mtime')) * 1000).toISOString(),
      linkTarget: f.get('link') ?? '',
    };
  } finally {
    e.release();
  }
}

/** Waits for the helper; its failure as one line (a missing path as docker's "No such container:path"). */
function finished(child: ChildProcess, nameOrId: string, p: string): Promise<void> {
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', (err) => reject(new RuntimeError(`native helper: ${err.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve();
      else if (code === NOT_THERE) reject(notThere(nameOrId, p));
      else reject(new CtuiError(lastLine(stderr, code), 1));
    });
  });
  // Awaited later, after the streams: a helper that fails first must not be an unhandled rejection.
  done.catch(() => {});
  return done;
}

/** A tar of the path (docker's GET /containers/{id}/archive), written to output (not ended). */
export async function archiveFromContainer(store: Store, nameOrId: string, p: string, output: Writable, signal?: AbortSignal): Promise<void> {
  const e = await enter(store, nameOrId, p, false);
  try {
    const child = spawn(runtimeBinary(), ['_cp', ...e.args, 'get', p], { stdio: ['ignore', 'pipe', 'pipe'], ...(signal ? { signal } : {}) });
    const done = finished(child, nameOrId, p);
    let broken: unknown;
    const copied = pipeline(child.stdout!, output, { end: false }).catch((err: unknown) => {
      broken = err;
      child.kill('SIGKILL');
    });
    // The helper's verdict first: its error explains a broken pipe better than the pipe does.
    await done;
    await copied;
    if (broken !== undefined) throw broken;
  } finally {
    e.release();
  }
}

function record10(e: CopyEntry): Buffer {
  const fields = [e.type, e.rel, e.mode.toString(8), String(e.uid), String(e.gid), String(e.mtime), e.link, String(e.devmajor), String(e.devminor), String(e.size)];
  return Buffer.from(fields.map((f) => `${f}\0`).join(''));
}

/** Extracts a tar into the directory (docker's PUT /containers/{id}/archive). */
export async function extractToContainer(store: Store, nameOrId: string, dir: string, input: Readable, opts: PutOptions = {}): Promise<void> {
  const e = await enter(store, nameOrId, dir, true);
  try {
    const hc = e.record.HostConfig;
    const args = ['_cp', ...e.args, 'put', dir];
    if (opts.copyUIDGID && e.record.Config.User) args.push('--chown-user', e.record.Config.User);
    // A node the container could not make itself (no CAP_MKNOD) is not made for it either.
    if (effectiveCaps(hc.CapAdd, hc.CapDrop, hc.Privileged).includes('CAP_MKNOD')) args.push('--mknod');
    if (hc.ReadonlyRootfs) args.push('--readonly-rootfs');
    const child = spawn(runtimeBinary(), args, { stdio: ['pipe', 'ignore', 'pipe'] });
    const done = finished(child, nameOrId, dir);
    const checker = new CopyChecker(path.posix.normalize(`/${dir}`));
    async function* records(): AsyncGenerator<Buffer> {
      for await (const { entry, body } of checkedEntries(input, checker)) {
        yield record10(entry);
        if (entry.type !== 'f') continue;
        let got = 0;
        for await (const chunk of body) {
          got += chunk.length;
          yield chunk;
        }
        if (got !== entry.size) throw new CtuiError(`archive entry ${entry.rel}: ${got} bytes instead of ${entry.size}`, 1);
      }
    }
    let fed: unknown;
    try {
      await pipeline(Readable.from(records()), child.stdin!);
    } catch (err) {
      fed = err;
      // The archive failed (or the helper stopped reading): the helper must not finish a half copy.
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    try {
      await done;
    } catch (err) {
      // The helper's own refusal explains more than a broken pipe; a killed helper means the archive was bad.
      if (fed === undefined || child.signalCode === null) throw err;
    }
    if (fed !== undefined) throw fed;
  } finally {
    e.release();
  }
}
