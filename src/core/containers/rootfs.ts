import * as fs from 'node:fs';
import * as path from 'node:path';
import { CtuiError, errnoCode } from '../errors.js';

/**
 * A path of a root filesystem resolved from the host, as securejoin does: every symlink is resolved
 * as if `root` were `/`, so an image whose /data is a symlink to /etc (absolute, meant for inside) or
 * to ../../../../etc stays inside. Only for trees nothing can change meanwhile (a read-only view of
 * an image's layers); users are looked up in the container itself (users.ts).
 */
export function resolveInRoot(root: string, unsafe: string): string {
  const pending = unsafe.split('/').filter((p) => p !== '' && p !== '.');
  const resolved: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '..') {
      resolved.pop(); // clamped at the root, as the kernel does at "/"
      continue;
    }
    const candidate = path.join(root, ...resolved, part);
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(candidate);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT' && errnoCode(err) !== 'ENOTDIR') throw err;
    }
    if (st?.isSymbolicLink()) {
      if (++hops > 40) throw new CtuiError(`too many levels of symbolic links in ${unsafe}`);
      const target = fs.readlinkSync(candidate);
      if (target.startsWith('/')) resolved.length = 0;
      pending.unshift(...target.split('/').filter((p) => p !== '' && p !== '.'));
      continue;
    }
    resolved.push(part);
  }
  return path.join(root, ...resolved);
}
