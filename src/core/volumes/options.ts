import * as path from 'node:path';
import { CtuiError } from '../errors.js';
import { validateTmpfsOptions } from './flags.js';
import type { VolumeRecord } from './model.js';

/**
 * `volume create -o`: the options docker's local driver knows (type, device, o). ctui's local
 * driver backs a volume by its `_data` directory (no options), by a tmpfs (`type=tmpfs`), or by a
 * host directory (`type=none,o=bind,device=/path`); other filesystems (nfs, ext4 on a device...)
 * are refused with one line rather than half supported.
 */

/** What a container's mount of this volume is made of. */
export type VolumeBacking =
  | { readonly kind: 'data' }
  | { readonly kind: 'tmpfs'; readonly options: readonly string[] }
  | { readonly kind: 'bind'; readonly device: string };

const KEYS = new Set(['type', 'device', 'o']);

function backingOf(opts: Readonly<Record<string, string>>, name: string): VolumeBacking {
  for (const k of Object.keys(opts)) if (!KEYS.has(k)) throw new CtuiError(`create ${name}: invalid option key: "${k}"`);
  const type = opts.type ?? '';
  const o = (opts.o ?? '').split(',').filter(Boolean);
  const device = opts.device ?? '';
  if (Object.keys(opts).length === 0) return { kind: 'data' };
  if (type === 'tmpfs') {
    validateTmpfsOptions(o, `-o o=${opts.o ?? ''}`);
    return { kind: 'tmpfs', options: o };
  }
  if (o.includes('bind')) {
    if (!path.isAbsolute(device)) throw new CtuiError(`create ${name}: o=bind needs an absolute host path in device= (got "${device}")`);
    const rest = o.filter((x) => x !== 'bind' && x !== 'rbind');
    if (rest.length > 0) throw new CtuiError(`create ${name}: o=${opts.o}: ctui's local driver takes only "bind" with type=none`);
    if (type !== '' && type !== 'none') throw new CtuiError(`create ${name}: type=${type} with o=bind: use type=none`);
    return { kind: 'bind', device: path.normalize(device) };
  }
  throw new CtuiError(
    `create ${name}: volume option${type ? ` type=${type}` : 's'} not supported by ctui's local driver (it takes type=tmpfs [o=size=...], or type=none o=bind device=/host/path)`,
  );
}

/** Checks `-o` options at `volume create` (nothing is written when they are wrong). */
export function validateDriverOptions(opts: Readonly<Record<string, string>>, name: string): void {
  backingOf(opts, name);
}

export function volumeBacking(v: VolumeRecord): VolumeBacking {
  return backingOf(v.Options ?? {}, v.Name);
}
