import * as fs from 'node:fs';
import { CtuiError, errnoCode } from '../errors.js';

/**
 * Who may reach the store. Layers hold the images' files as they are meant to be inside a container:
 * setuid-root programs, device-like modes, world-writable dirs. If another host user can walk from
 * the store root to a layer's `diff/` (or a container's `merged/`, a volume's `_data`), a setuid
 * binary of any imported image is a root shell for that user on the host. So every path from `/` to
 * the store must be root's alone to change, and the root itself root's alone to enter (0700), as
 * podman's storage dirs are. ctui makes its own dirs 0700, but a root that already existed keeps its
 * mode: that is the case this module exists for.
 */

/** What the check had to change (printed once as a warning). */
export interface RootFix {
  readonly path: string;
  readonly from: number;
}

const mode = (m: number) => (m & 0o7777).toString(8).padStart(4, '0');

/**
 * Every directory from `/` down to `dir` must be owned by root and not writable by anyone else
 * (unless sticky, as /tmp: then others cannot rename or remove what is ours). Otherwise another
 * user could rename the store root (or a parent) away and put a directory of their own there:
 * ctui, as root, would then unpack images into, mount from and read state out of their files.
 * Checked on the path as given and on its real path (a symlink in the chain is checked the same).
 */
function checkAncestors(dir: string, isRoot: boolean): void {
  const chains = new Set([dir]);
  try {
    chains.add(fs.realpathSync(dir));
  } catch {
    /* does not exist yet: its parents are what count */
  }
  for (const p of chains) {
    const parts = p.split('/').filter(Boolean);
    for (let i = 0; i <= parts.length; i++) {
      const cur = '/' + parts.slice(0, i).join('/');
      let st: fs.Stats;
      try {
        st = fs.lstatSync(cur);
      } catch (err) {
        if (errnoCode(err) === 'ENOENT') break; // created below by us, 0700
        throw err;
      }
      if (cur === p && !st.isSymbolicLink()) continue; // the root itself: see secureStoreRoot
      if (isRoot && st.uid !== 0) {
        throw new CtuiError(`cannot use ${dir} as the store: ${cur} is owned by uid ${st.uid}, not root, so another user could replace what ctui reads and writes there`);
      }
      if (st.isDirectory() && (st.mode & 0o022) !== 0 && (st.mode & 0o1000) === 0) {
        throw new CtuiError(`cannot use ${dir} as the store: ${cur} is writable by other users (mode ${mode(st.mode)}) without the sticky bit, so they could replace the store`);
      }
    }
  }
}

/**
 * Makes sure the store root is reachable by root alone, whatever existed before. A root readable or
 * enterable by others is closed (0700) and reported; one that others could write to, or that
 * belongs to another user, is refused: they may already have put something inside.
 */
export function secureStoreRoot(root: string): RootFix | undefined {
  const isRoot = process.getuid?.() === 0;
  checkAncestors(root, isRoot);
  // Missing levels are made one by one, then the whole chain is checked again: between the first
  // check and a mkdir another user may have made a level of their own (under /tmp, say), and
  // `mkdir -p` would have taken it. Once every level is ours and closed, nobody else can change it.
  const parts = root.split('/').filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    try {
      fs.mkdirSync('/' + parts.slice(0, i).join('/'), { mode: 0o700 });
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw err;
    }
  }
  checkAncestors(root, isRoot);
  const st = fs.statSync(root);
  if (!st.isDirectory()) throw new CtuiError(`cannot use ${root} as the store: not a directory`);
  const me = process.getuid?.() ?? 0;
  if (st.uid !== me) {
    throw new CtuiError(`cannot use ${root} as the store: it is owned by uid ${st.uid}, who could change it behind ctui's back; use a directory of ${me === 0 ? 'root' : 'your own'}`);
  }
  if ((st.mode & 0o022) !== 0) {
    throw new CtuiError(`cannot use ${root} as the store: it is writable by other users (mode ${mode(st.mode)}); they may have changed its contents (chmod 700 it after checking, or use another --root)`);
  }
  if ((st.mode & 0o077) === 0) return undefined;
  fs.chmodSync(root, 0o700);
  // A store an older ctui made under that open root has open dirs below it too: close them as well,
  // so that nothing depends on the root's mode alone.
  for (const sub of ['layers', 'l', 'images', 'tags', 'names', 'containers', 'volumes', 'runtime']) {
    const dir = `${root}/${sub}`;
    try {
      if (!fs.lstatSync(dir).isDirectory()) continue;
    } catch {
      continue;
    }
    fs.chmodSync(dir, 0o700);
    if (sub === 'layers' || sub === 'containers' || sub === 'volumes') {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) fs.chmodSync(`${dir}/${e.name}`, 0o700);
    }
  }
  return { path: root, from: st.mode & 0o7777 };
}

/** The warning for a fixed root, one line. */
export function rootFixWarning(fix: RootFix): string {
  return `ctui: warning: store ${fix.path} was mode ${mode(fix.from)}, so other users could reach image files (setuid programs among them); it is now 0700`;
}

/** Creates one of the store's own directories, closed to other users (see above). */
export function mkdirPrivate(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
}
