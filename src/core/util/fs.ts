import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { errnoCode } from '../errors.js';

/** A name for a temp file that no other writer (process or call) will pick. */
export function tempName(target: string): string {
  return `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/**
 * Writes a file so that readers see either the old or the new content, never a torn one:
 * write a temp file beside it, fsync, rename over the target. With durable=true the directory is
 * fsynced too, so the rename survives a power cut (used for state that must not be lost).
 */
export function writeFileAtomicSync(target: string, data: string | Uint8Array, durable = false): void {
  const tmp = tempName(target);
  const fd = fs.openSync(tmp, 'wx', 0o644);
  try {
    try {
      // writeSync may write less than asked (a nearly full disk fills up mid-buffer): loop, so the
      // next call reports ENOSPC instead of a silently truncated file being renamed into place.
      const buf = typeof data === 'string' ? Buffer.from(data) : data;
      for (let off = 0; off < buf.length; ) off += fs.writeSync(fd, buf, off, buf.length - off);
      if (durable) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  if (durable) fsyncDirSync(path.dirname(target));
}

export function writeJsonAtomicSync(target: string, value: unknown, durable = false): void {
  writeFileAtomicSync(target, JSON.stringify(value, null, 2) + '\n', durable);
}

export function fsyncDirSync(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads JSON, or undefined when the file does not exist. Other errors (bad JSON, EIO) throw. */
export function readJsonSync<T>(file: string): T | undefined {
  // A missing file is the common case for some callers (a created container has no monitor files:
  // three per container in every list), and a thrown ENOENT costs ~10x an access(2): ask first.
  // A file removed in between still lands in the catch below.
  if (!fs.existsSync(file)) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') return undefined;
    throw err;
  }
  return JSON.parse(text) as T;
}

export function readDirSafe(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return [];
    throw err;
  }
}

export function existsSync(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** rm -rf that tolerates files made immutable by nobody and read-only dirs left by containers. */
export async function removeTree(p: string): Promise<void> {
  await fsp.rm(p, { recursive: true, force: true, maxRetries: 2 });
}

export function removeTreeSync(p: string): void {
  fs.rmSync(p, { recursive: true, force: true, maxRetries: 2 });
}

/**
 * The bytes directly in one directory (files' and symlinks' sizes, as docker's SIZE column counts);
 * its subdirectories are pushed on `stack`. Trees of live containers change as they are counted (a
 * monitor renames its pid file): an entry gone meanwhile counts as nothing.
 */
function sizeOfDir(d: string, stack: string[]): number {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(d, { withFileTypes: true });
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return 0;
    throw err;
  }
  let total = 0;
  for (const e of entries) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) stack.push(p);
    else if (e.isFile() || e.isSymbolicLink()) total += fs.lstatSync(p, { throwIfNoEntry: false })?.size ?? 0;
  }
  return total;
}

/** Apparent size in bytes of everything under dir, for many small trees in a row (prune). */
export function treeSizeSync(dir: string): number {
  let total = 0;
  const stack = [dir];
  while (stack.length > 0) total += sizeOfDir(stack.pop()!, stack);
  return total;
}

/** The same, giving the event loop a turn every 64 directories (the TUI stays responsive on a big tree). */
export async function treeSize(dir: string): Promise<number> {
  let total = 0;
  const stack = [dir];
  for (let n = 1; stack.length > 0; n++) {
    total += sizeOfDir(stack.pop()!, stack);
    if (n % 64 === 0) await new Promise((r) => setImmediate(r));
  }
  return total;
}

/** Is this process alive? (signal 0 probes without sending anything.) */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errnoCode(err) === 'EPERM';
  }
}

/**
 * The kernel's start time of a process (field 22 of /proc/PID/stat, clock ticks since boot).
 * Stored next to a pid so a recycled pid is never mistaken for ours.
 */
export function pidStartTime(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may contain spaces and parentheses: fields start after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const v = Number(rest[19]);
    return Number.isFinite(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** True when pid is alive and is the same process that had startTime. */
export function sameProcessAlive(pid: number | undefined, startTime: number | undefined): boolean {
  if (!pid) return false;
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // A zombie has exited: it only waits to be reaped (an init that reaps slowly, as this sandbox's,
  // keeps a double-forked monitor's zombie around for seconds).
  if (rest[0] === 'Z' || rest[0] === 'X') return false;
  return startTime === undefined || Number(rest[19]) === startTime;
}

/** Blocks this thread for ms (for short waits inside the store lock, where awaiting would let other work in). */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * A fifo at p (Node has no mkfifo: mkfifo(1), one small process; fifos in archives are rare).
 * p's parents must already be checked by the caller. Returns mkfifo's complaint, or undefined.
 */
export function makeFifo(p: string, mode: number): string | undefined {
  const r = spawnSync('mkfifo', ['-m', (mode & 0o777).toString(8), '--', p]);
  return r.status === 0 ? undefined : r.stderr.toString().trim() || `mkfifo exited ${r.status}`;
}
