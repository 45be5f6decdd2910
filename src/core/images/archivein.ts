import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import headers from 'tar-stream/headers.js';
import { decompress, decompressAs, detectCompression, peek } from '../archive/decompress.js';
import { DigestStream, extractLayer, safeComponents, translateTarError } from '../archive/extract.js';
import { HostileArchiveError } from '../archive/hostile.js';
import { CtuiError } from '../errors.js';
import { digestOf } from './store.js';

/**
 * Reads an image archive (docker-archive or OCI layout, as a tar) in one pass, without spooling it to
 * disk: every entry that looks like a layer (a tar, or a gzip/zstd/xz/bzip2 stream) is unpacked
 * straight into its own staging dir while its blob digest and diff_id are computed; small entries
 * (manifests, configs, index.json...) are kept in memory. Nothing is trusted yet: the format modules
 * (dockerarchive.ts, ocilayout.ts) check every digest against these results before anything is committed.
 */

export interface StagedLayer {
  /** The archive entry it came from. */
  readonly name: string;
  /** Staging dir holding diff/ and tar-split.bin, ready for LayerStore.commitStaged. */
  readonly dir: string;
  /** sha256 of the entry's bytes as stored in the archive (compressed or not). */
  readonly blobDigest: string;
  readonly blobSize: number;
  /** sha256 of the uncompressed tar. */
  readonly diffId: string;
  /** Sum of its files' sizes. */
  readonly size: number;
}

export type ArchiveEntry =
  | { readonly kind: 'small'; readonly name: string; readonly bytes: Buffer }
  | { readonly kind: 'layer'; readonly name: string; readonly layer: StagedLayer }
  | { readonly kind: 'other'; readonly name: string };

/**
 * One entry kept in memory at most this big. Configs and manifests are kilobytes (a config with a
 * very long history, a few hundred); anything bigger that claims to be JSON is refused rather than
 * read into memory (the "absurdly large manifest" denial of service).
 */
export const MAX_SMALL_ENTRY = 8 << 20;
/** All entries kept in memory together (thousands of small JSON files would add up too). */
const MAX_SMALL_TOTAL = 64 << 20;
/** Symlinks followed in a row before giving up (a loop, or a chain made to waste our time). */
const MAX_LINK_HOPS = 16;
/** The names whose meaning depends on their exact content: a symlink or hard link there is refused. */
const TOP_LEVEL_FILES = new Set(['manifest.json', 'index.json', 'oci-layout', 'repositories']);

export interface ReadProgress {
  /** Layers unpacked so far and their uncompressed bytes. */
  readonly layers: number;
  readonly bytes: number;
}

export class ArchiveContents {
  private readonly entries = new Map<string, ArchiveEntry>();
  /** Link name -> its target as an archive path, or null when it points out of the archive. */
  private readonly links = new Map<string, string | null>();

  add(e: ArchiveEntry): void {
    this.claim(e.name);
    this.entries.set(e.name, e);
  }

  /** A symlink (target relative to its directory) or hard link (target relative to the root). */
  link(name: string, target: string, hard: boolean): void {
    this.claim(name);
    this.links.set(name, resolveLink(hard ? '' : path.posix.dirname(name), target));
  }

  /** A name given twice makes "which bytes?" depend on the reader: refused. */
  private claim(name: string): void {
    if (this.entries.has(name) || this.links.has(name)) throw new HostileArchiveError(`archive has two entries named ${name}`);
  }

  get layers(): StagedLayer[] {
    return [...this.entries.values()].flatMap((e) => (e.kind === 'layer' ? [e.layer] : []));
  }

  /** Nothing at all was read (an empty input). */
  get empty(): boolean {
    return this.entries.size === 0 && this.links.size === 0;
  }

  has(name: string): boolean {
    return this.entries.has(name) || this.links.has(name);
  }

  /**
   * Finds what a manifest names, following symlinks (docker 25 writes `<id>/layer.tar` as links to
   * blobs). A name that leaves the archive (`..`, absolute) or is not in it is refused: the
   * manifest is untrusted and must never make us read anything but the archive's own entries.
   */
  lookup(ref: string, what: string): ArchiveEntry {
    let name = archivePath(ref, what);
    for (let hop = 0; hop <= MAX_LINK_HOPS; hop++) {
      const e = this.entries.get(name);
      if (e) return e;
      const target = this.links.get(name);
      if (target === undefined) throw new CtuiError(`${what} ${ref} is not in the archive`);
      if (target === null) throw new HostileArchiveError(`${what} ${ref} is a link out of the archive`);
      name = target;
    }
    throw new HostileArchiveError(`${what} ${ref}: too many symlinks in the archive`);
  }

  /** A small entry's bytes (a manifest, a config). */
  small(ref: string, what: string): Buffer {
    const e = this.lookup(ref, what);
    if (e.kind !== 'small') throw new CtuiError(`${what} ${ref} in the archive is not a JSON document`);
    checkBlobName(e, digestOf(e.bytes));
    return e.bytes;
  }

  layer(ref: string, what: string): StagedLayer {
    const e = this.lookup(ref, what);
    if (e.kind !== 'layer') throw new CtuiError(`${what} ${ref} in the archive is not a layer tar`);
    checkBlobName(e, e.layer.blobDigest);
    return e.layer;
  }

  /** The top-level file `name` if the archive has it (refusing a link there). */
  topLevel(name: string): Buffer | undefined {
    if (this.links.has(name)) throw new HostileArchiveError(`${name} in the archive is a link: refusing the archive`);
    const e = this.entries.get(name);
    if (!e) return undefined;
    if (e.kind !== 'small') throw new CtuiError(`${name} in the archive is not a JSON document`);
    return e.bytes;
  }
}

/**
 * An entry named blobs/<algorithm>/<hex> is content-addressed: its bytes must hash to its name, or
 * a reader trusting the name (as an OCI layout invites) would be fooled by a swapped blob.
 */
function checkBlobName(e: ArchiveEntry, digest: string): void {
  const m = /^blobs\/([^/]+)\/([^/]+)$/.exec(e.name);
  if (!m) return;
  if (m[1] !== 'sha256') throw new CtuiError(`unsupported digest algorithm in the archive: ${e.name}`);
  if (digest !== `sha256:${m[2]}`) throw new HostileArchiveError(`blob ${e.name} does not match its name: its bytes hash to ${digest}`);
}

/** A name the manifest gives, as an archive path: never absolute, never climbing out. */
function archivePath(ref: string, what: string): string {
  if (ref.startsWith('/') || ref.split('/').includes('..')) throw new HostileArchiveError(`${what} ${ref} is outside the archive`);
  const parts = ref.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0) throw new CtuiError(`${what} has an empty name`);
  return parts.join('/');
}

/**
 * A link's target as an archive path, resolved lexically from dir; null when it leaves the archive
 * (absolute, or `..` above the root): following it would read something that is not the archive's.
 */
function resolveLink(dir: string, target: string): string | null {
  if (target.startsWith('/')) return null;
  const parts = dir === '.' || dir === '' ? [] : dir.split('/');
  for (const p of target.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(p);
  }
  return parts.join('/');
}

/** True when the first block is a tar header (or an all-zero end block: an empty layer). */
function looksLikeTar(head: Buffer): boolean {
  if (head.length < 512) return false;
  try {
    headers.decode(head.subarray(0, 512), 'utf-8', false);
    return true;
  } catch {
    return false;
  }
}

function looksLikeJson(head: Buffer): boolean {
  for (const b of head) {
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) continue;
    return b === 0x7b || b === 0x5b; // { or [
  }
  return false;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Reads the (possibly compressed) archive; layers land in numbered dirs under staging. */
export async function readImageArchive(
  input: Readable,
  staging: string,
  o: { signal?: AbortSignal; onProgress?: (p: ReadProgress) => void } = {},
): Promise<ArchiveContents> {
  const contents = new ArchiveContents();
  const extract = tar.extract();
  let smallTotal = 0;
  let layers = 0;
  let bytes = 0;
  const onEntry = async (h: tar.Headers, stream: Readable): Promise<void> => {
    if (o.signal?.aborted) throw new CtuiError('cancelled');
    // Outer names are only keys here (nothing is written under them), but an archive that names
    // entries outside itself is not one any tool makes: refuse it as docker does.
    const name = safeComponents(h.name).join('/');
    if (name === '') {
      stream.resume();
      return;
    }
    if (h.type === 'symlink' || h.type === 'link') {
      stream.resume();
      if (TOP_LEVEL_FILES.has(name)) throw new HostileArchiveError(`${name} in the archive is a link: refusing the archive`);
      contents.link(name, h.linkname ?? '', h.type === 'link');
      return;
    }
    if (h.type !== 'file' && h.type !== 'contiguous-file') {
      stream.resume();
      return;
    }
    const size = h.size ?? 0;
    const { head, stream: body } = await peek(stream, 512);
    const compression = detectCompression(head);
    if (compression !== 'none' || looksLikeTar(head)) {
      const dir = path.join(staging, String(layers));
      fs.mkdirSync(dir, { mode: 0o700 }); // a layer's dir is root's alone: diff/ holds setuid files (store/perms.ts)
      fs.mkdirSync(path.join(dir, 'diff'), { mode: 0o755 });
      // A compressed blob is hashed as stored (its OCI digest) and again uncompressed (its diff_id);
      // an uncompressed one is the tar itself, hashed once by extractLayer.
      const blob = compression === 'none' ? undefined : new DigestStream();
      if (blob) body.on('error', (err) => blob.destroy(err));
      const tarStream = decompressAs(blob ? body.pipe(blob) : body, compression);
      const result = await extractLayer(tarStream, path.join(dir, 'diff'), o.signal);
      // Uncompressed, the blob is the tar: its digest is the diff_id (no second hash of the bytes).
      const blobDigest = blob ? blob.digest() : result.diffId;
      contents.add({ kind: 'layer', name, layer: { name, dir, blobDigest, blobSize: size, diffId: result.diffId, size: result.size } });
      layers++;
      bytes += result.size;
      o.onProgress?.({ layers, bytes });
      return;
    }
    if (size <= MAX_SMALL_ENTRY) {
      smallTotal += size;
      if (smallTotal > MAX_SMALL_TOTAL) throw new HostileArchiveError('archive has more small entries than any image archive needs: refusing it');
      contents.add({ kind: 'small', name, bytes: await readAll(body) });
      return;
    }
    if (looksLikeJson(head)) {
      throw new HostileArchiveError(`archive entry ${name} is a JSON document of ${size} bytes: refusing it (the limit is ${MAX_SMALL_ENTRY >> 20} MiB)`);
    }
    body.resume();
    await new Promise<void>((resolve, reject) => body.on('end', resolve).on('error', reject));
    contents.add({ kind: 'other', name });
  };
  const consume = (async () => {
    for await (const entry of extract) await onEntry(entry.header, entry);
  })();
  // Cancelling must not wait for the next byte of a stalled input (an idle pipe): stop reading now.
  // The error reaches us through the pending read; the no-op listener only keeps it from being
  // reported as unhandled when no read is pending yet.
  const cancel = () => input.destroy(new CtuiError('cancelled'));
  input.on('error', () => {});
  o.signal?.addEventListener('abort', cancel, { once: true });
  try {
    const { stream } = await decompress(input);
    await Promise.all([pipeline(stream, extract), consume]);
  } catch (err) {
    extract.destroy();
    input.destroy();
    throw translateTarError(err);
  } finally {
    o.signal?.removeEventListener('abort', cancel);
  }
  return contents;
}
