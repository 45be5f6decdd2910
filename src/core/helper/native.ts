import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CtuiError, RuntimeError } from '../errors.js';

/**
 * The TypeScript side of the native helper (src/native): where its binaries are, and the internal
 * verbs the store uses (Node has no mount, mknod or setxattr). See src/native/SPEC.md.
 */

let cachedDir: string | undefined;

/** build/ next to package.json; CTUI_NATIVE_DIR overrides (tests of an installed copy). */
export function nativeDir(): string {
  if (cachedDir) return cachedDir;
  const override = process.env.CTUI_NATIVE_DIR;
  if (override) return (cachedDir = override);
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'build'))) {
      return (cachedDir = path.join(dir, 'build'));
    }
    dir = path.dirname(dir);
  }
  throw new CtuiError('cannot find the native helper (build/ctui-runtime): run `npm ci` to build it');
}

export function runtimeBinary(): string {
  return path.join(nativeDir(), 'ctui-runtime');
}

export function initBinary(): string {
  return path.join(nativeDir(), 'ctui-init');
}

/** Runs a short helper verb synchronously; one line of stderr becomes the error. */
function runHelper(args: string[], input?: Buffer): void {
  const r = spawnSync(runtimeBinary(), args, { input, stdio: [input ? 'pipe' : 'ignore', 'ignore', 'pipe'] });
  if (r.error) throw new RuntimeError(`native helper: ${r.error.message}`);
  if (r.status !== 0) {
    const msg = r.stderr.toString().trim().split('\n').pop() || `exit status ${r.status}`;
    throw new RuntimeError(msg);
  }
}

export interface OverlayMount {
  /** The directory the lower paths are relative to (the store root, so l/<short> names stay short). */
  readonly cwd: string;
  /** Top-most first, as overlayfs wants them. */
  readonly lowers: readonly string[];
  readonly upper?: string;
  readonly work?: string;
  readonly target: string;
}

export function mountOverlay(m: OverlayMount): void {
  const args = ['_mount-overlay', '--cwd', m.cwd, '--lower', m.lowers.join(':')];
  if (m.upper && m.work) args.push('--upper', m.upper, '--work', m.work);
  args.push(m.target);
  runHelper(args);
}

export function unmount(targets: readonly string[], lazy = false): void {
  if (targets.length === 0) return;
  runHelper(['_umount', ...(lazy ? ['--lazy'] : []), ...targets]);
}

/** One batch of filesystem operations Node cannot do, applied beneath root without following symlinks. */
export class FsOps {
  private readonly records: Buffer[] = [];

  get size(): number {
    return this.records.length;
  }

  private add(fields: string[]): void {
    this.records.push(Buffer.from(fields.map((f) => f + '\0').join('') + '\0'));
  }

  /** A whiteout in overlay form: char device 0/0 named like the deleted entry. */
  whiteout(rel: string): void {
    this.add(['W', rel]);
  }

  /** An opaque directory: trusted.overlay.opaque=y hides everything below it in lower layers. */
  opaque(rel: string): void {
    this.add(['O', rel]);
  }

  xattr(rel: string, name: string, value: Buffer): void {
    this.add(['X', rel, name, value.toString('hex')]);
  }

  async apply(root: string): Promise<void> {
    if (this.records.length === 0) return;
    const child = spawn(runtimeBinary(), ['_fsops', root], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const done = new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    child.stdin.on('error', () => {
      /* the exit status reports what went wrong */
    });
    child.stdin.end(Buffer.concat(this.records));
    const code = await done;
    if (code !== 0) throw new RuntimeError(stderr.trim().split('\n').pop() || `_fsops failed (${code})`);
  }
}

/**
 * Every extended attribute of the given entries beneath root (overlay's own included: commit needs
 * trusted.overlay.opaque), read by the helper without following symlinks. One process for the batch.
 */
export function listXattrs(root: string, rels: readonly string[]): Map<string, Map<string, Buffer>> {
  const out = new Map<string, Map<string, Buffer>>();
  if (rels.length === 0) return out;
  const input = Buffer.concat(rels.map((r) => Buffer.from(`L\0${r}\0\0`)));
  const res = spawnSync(runtimeBinary(), ['_fsops', root], { input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
  if (res.error) throw new RuntimeError(`native helper: ${res.error.message}`);
  if (res.status !== 0) throw new RuntimeError(res.stderr.toString().trim().split('\n').pop() || `_fsops failed (${res.status})`);
  const fields = res.stdout.toString('latin1').split('\0');
  let i = 0;
  while (i < fields.length - 1) {
    const rel = Buffer.from(fields[i++]!, 'latin1').toString();
    const attrs = new Map<string, Buffer>();
    while (i < fields.length && fields[i] !== '') {
      const name = fields[i++]!;
      attrs.set(Buffer.from(name, 'latin1').toString(), Buffer.from(fields[i++] ?? '', 'hex'));
    }
    i++; // the record's closing empty field
    if (attrs.size > 0) out.set(rel, attrs);
  }
  return out;
}

/**
 * A read-only view of layers (store-relative lowerdirs, top first) mounted at `<staging>/<name>`, a
 * private dir nothing else writes to (repair unmounts it if we die). For export and volume copy-up.
 */
export function mountLayerView(cwd: string, staging: string, lowers: readonly string[], name = 'view'): { root: string; release(): void } {
  const root = path.join(staging, name);
  mkdirSync(root, { mode: 0o700 });
  mountOverlay({ cwd, lowers, target: root });
  return { root, release: () => unmount([root], true) };
}
