import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CtuiError } from '../errors.js';
import type { OciMount } from '../bundle/spec.js';

/**
 * Bind propagation as docker sets it up (daemon/oci_linux.go): a `shared`/`slave` bind means nothing
 * while the container's root is rprivate (its binds start in a peer group of their own), so the
 * root's propagation follows the binds: rshared when one is shared, else rslave when one is a
 * slave; and the host mount under the source must itself be shared (or a slave, for slave binds),
 * or the option could never take effect: docker refuses such a bind, and so do we.
 */
export function rootPropagation(mounts: readonly OciMount[], mountinfo = () => readFileSync('/proc/self/mountinfo', 'utf8'), storeRoot?: string): string {
  let root = 'rprivate';
  let table: string | undefined;
  for (const m of mounts) {
    if (m.type !== 'bind') continue;
    const p = (m.options ?? []).find((o) => /^r?(shared|slave)$/.test(o));
    if (!p) continue;
    table ??= mountinfo();
    const host = mountOf(table, m.source);
    // ctui-runtime keeps its own mounts off the host by making the mount that holds the store
    // private in the container's namespace (mounts.c): a source on that same mount would lose its
    // propagation there. Say so rather than give a shared bind that shares nothing.
    if (storeRoot && mountOf(table, storeRoot).point === host.point) {
      throw new CtuiError(`path ${m.source} is on the same mount as the store (${host.point}): give it a mount of its own (mount --bind ${m.source} ${m.source}; mount --make-shared ${m.source}) for ${p} propagation`);
    }
    const shared = /(^| )shared:\d+/.test(host.optional);
    const slave = /(^| )master:\d+/.test(host.optional);
    if (p.endsWith('shared')) {
      if (!shared) throw new CtuiError(`path ${m.source} is mounted on ${host.point} but it is not a shared mount`);
      root = 'rshared';
    } else {
      if (!shared && !slave) throw new CtuiError(`path ${m.source} is mounted on ${host.point} but it is not a shared or slave mount`);
      if (root !== 'rshared') root = 'rslave';
    }
  }
  return root;
}

/** The mount that holds path: the longest mount point that is a prefix of it (the last such line wins: stacked mounts). */
function mountOf(table: string, file: string): { point: string; optional: string } {
  let best = { point: '/', optional: '' };
  for (const line of table.split('\n')) {
    const f = line.split(' ');
    const sep = f.indexOf('-');
    if (f.length < 7 || sep < 6) continue;
    const point = f[4]!.replace(/\\040/g, ' ');
    const rel = path.relative(point, file);
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    if (point.length >= best.point.length) best = { point, optional: f.slice(6, sep).join(' ') };
  }
  return best;
}
