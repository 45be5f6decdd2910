import { CtuiError } from '../errors.js';
import { HostileArchiveError } from '../archive/hostile.js';
import type { StagedLayer } from './archivein.js';
import type { ImageConfig } from './config.js';
import { normalizeReference } from './reference.js';
import { digestOf } from './store.js';

/**
 * What an image archive holds once checked: the checks shared by docker-archive and OCI layouts.
 * An image is only planned for loading when its config bytes hash to its id (and to whatever name
 * the archive gives them) and every layer's uncompressed bytes hash to the diff_id its config lists:
 * a forged layer, a swapped config or a missing layer fails the whole load before anything is written.
 */

export interface PlannedImage {
  /** The config exactly as in the archive: its sha256 is the image id. */
  readonly config: Buffer;
  readonly id: string;
  /** In config.rootfs.diff_ids order. */
  readonly layers: readonly StagedLayer[];
  /** Full references (docker.io/library/busybox:latest). */
  readonly refs: readonly string[];
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** A digest the archive names: only sha256 (what every image tool writes), well formed. */
export function checkDigest(digest: unknown, what: string): string {
  if (typeof digest !== 'string' || !DIGEST.test(digest)) {
    throw new CtuiError(`${what} has an unsupported or malformed digest: ${JSON.stringify(digest)}`);
  }
  return digest;
}

export function parseJson(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new CtuiError(`${what} is not valid JSON`);
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Checks an image: config digest (against expected when the archive names one), config shape, and
 * each layer's diff_id against the config's, in order.
 */
export function planImage(config: Buffer, expected: string | undefined, layers: readonly StagedLayer[], refs: readonly string[], what: string): PlannedImage {
  const id = digestOf(config);
  // The archive says which config this is (its file name or descriptor): bytes that hash to
  // something else were swapped or damaged.
  if (expected !== undefined && expected !== id) throw new HostileArchiveError(`${what}: config digest mismatch: it hashes to ${id}, the archive says ${expected}`);
  const parsed = parseJson(config, `${what}: the image config`);
  if (!isRecord(parsed) || !isRecord(parsed.rootfs) || !Array.isArray(parsed.rootfs.diff_ids)) {
    throw new CtuiError(`${what}: the image config has no rootfs.diff_ids`);
  }
  const diffIds = (parsed as unknown as ImageConfig).rootfs.diff_ids.map((d) => checkDigest(d, `${what}: the image config`));
  if (diffIds.length !== layers.length) {
    throw new HostileArchiveError(`${what}: the config lists ${diffIds.length} layers, the manifest ${layers.length}`);
  }
  layers.forEach((l, i) => {
    // The one check that makes a layer trustworthy: its content is what the config (whose digest is
    // the image id) says it is.
    if (l.diffId !== diffIds[i]) {
      throw new HostileArchiveError(`${what}: layer ${l.name} is not the one its config lists: it hashes to ${l.diffId}, the config says ${diffIds[i]}`);
    }
  });
  return { config, id, layers, refs: refs.map((r) => normalizeArchiveRef(r, what)) };
}

function normalizeArchiveRef(ref: string, what: string): string {
  try {
    return normalizeReference(ref);
  } catch {
    throw new CtuiError(`${what}: invalid image name ${JSON.stringify(ref)}`);
  }
}
