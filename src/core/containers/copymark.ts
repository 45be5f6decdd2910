import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Layout } from '../store/layout.js';
import { pidStartTime, sameProcessAlive } from '../util/fs.js';

/**
 * `containers/<id>/copying`: a `ctui cp` is writing into this stopped container's layer through a
 * mount of its own (pid and start time of that process). A start must wait for it: two overlay
 * mounts of one upper dir at once are undefined behaviour in overlayfs. A mark whose process died is
 * no mark (nothing to clean up: the copy's mounts lived in its own mount namespace).
 */
export function copyMarkFile(layout: Layout, id: string): string {
  return path.join(layout.containerDir(id), 'copying');
}

export function copyMarked(layout: Layout, id: string): boolean {
  return markAlive(copyMarkFile(layout, id));
}

/** A mark file ("pid start-time") whose process still lives (`copying`, start's `starting`). */
export function markAlive(file: string): boolean {
  try {
    const [pid, start] = fs.readFileSync(file, 'utf8').trim().split(' ').map(Number);
    return sameProcessAlive(pid, start);
  } catch {
    return false;
  }
}

export function setCopyMark(layout: Layout, id: string): () => void {
  const file = copyMarkFile(layout, id);
  fs.writeFileSync(file, `${process.pid} ${pidStartTime(process.pid) ?? 0}\n`);
  return () => fs.rmSync(file, { force: true });
}
