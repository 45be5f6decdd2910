import { CtuiError } from '../errors.js';
import { HostileArchiveError } from '../archive/hostile.js';
import type { TarWriter } from '../archive/tarwriter.js';
import { hexOf } from '../layers/store.js';
import type { ArchiveContents, StagedLayer } from './archivein.js';
import { checkDigest, isRecord, parseJson, planImage, type PlannedImage } from './archiveplan.js';
import { goArch } from './config.js';
import { digestOf } from './store.js';
import type { LayerSource, SavedImage } from './save.js';

/**
 * OCI image layouts as a tar (oci-archive: podman, skopeo, umoci; docker 25+ adds manifest.json):
 *
 *   oci-layout         {"imageLayoutVersion": "1.0.0"}
 *   index.json         manifests, each with org.opencontainers.image.ref.name (and containerd's
 *                      io.containerd.image.name) holding the full image name
 *   blobs/sha256/<hex> manifests, configs and layers, each named by the digest of its bytes
 *
 * We write uncompressed layers (their digest is the diff_id, so they are re-emitted from the layer
 * store without recompressing); we read gzip/zstd ones too.
 */

const MT_OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const MT_OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const MT_OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const MT_OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar';
const MT_DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const MT_DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const ANN_REF_NAME = 'org.opencontainers.image.ref.name';
const ANN_CONTAINERD_NAME = 'io.containerd.image.name';

export async function writeOciLayout(tw: TarWriter, images: readonly SavedImage[], layers: LayerSource): Promise<void> {
  await tw.file('oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}'));
  const written = new Set<string>();
  for (const img of images) {
    for (const d of img.diffIds) {
      if (written.has(d)) continue;
      written.add(d);
      await layers.write(d, `blobs/sha256/${hexOf(d)}`);
    }
  }
  const index: object[] = [];
  for (const img of images) {
    if (!written.has(img.id)) {
      written.add(img.id);
      await tw.file(`blobs/sha256/${hexOf(img.id)}`, img.config);
    }
    const manifest = Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: MT_OCI_MANIFEST,
      config: { mediaType: MT_OCI_CONFIG, digest: img.id, size: img.config.length },
      layers: img.diffIds.map((d) => ({ mediaType: MT_OCI_LAYER, digest: d, size: layers.size(d) })),
    }));
    const digest = digestOf(manifest);
    if (!written.has(digest)) {
      written.add(digest);
      await tw.file(`blobs/sha256/${hexOf(digest)}`, manifest);
    }
    const desc = { mediaType: MT_OCI_MANIFEST, digest, size: manifest.length };
    if (img.refs.length === 0) index.push(desc);
    // The full name in both annotations, as podman writes ref.name and containerd/docker read theirs.
    for (const ref of img.refs) index.push({ ...desc, annotations: { [ANN_CONTAINERD_NAME]: ref, [ANN_REF_NAME]: ref } });
  }
  await tw.file('index.json', Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MT_OCI_INDEX, manifests: index }) + '\n'));
}

interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly annotations: Record<string, unknown>;
  readonly platform?: { os?: unknown; architecture?: unknown };
}

function descriptor(v: unknown, what: string): Descriptor {
  if (!isRecord(v) || typeof v.size !== 'number' || !Number.isSafeInteger(v.size) || v.size < 0) throw new CtuiError(`${what} is a malformed descriptor`);
  return {
    mediaType: typeof v.mediaType === 'string' ? v.mediaType : '',
    digest: checkDigest(v.digest, what),
    size: v.size,
    annotations: isRecord(v.annotations) ? v.annotations : {},
    ...(isRecord(v.platform) ? { platform: v.platform } : {}),
  };
}

function blobName(d: Descriptor): string {
  return `blobs/sha256/${hexOf(d.digest)}`;
}

/** A JSON blob a descriptor points at; its name is checked against its bytes, its size against the descriptor. */
function jsonBlob(contents: ArchiveContents, d: Descriptor, what: string): { bytes: Buffer; json: Record<string, unknown> } {
  const bytes = contents.small(blobName(d), what);
  if (bytes.length !== d.size) throw new HostileArchiveError(`${what} ${d.digest}: ${bytes.length} bytes, its descriptor says ${d.size}`);
  const json = parseJson(bytes, `${what} ${d.digest}`);
  if (!isRecord(json)) throw new CtuiError(`${what} ${d.digest} is not a JSON object`);
  return { bytes, json };
}

function layerBlob(contents: ArchiveContents, d: Descriptor): StagedLayer {
  const layer = contents.layer(blobName(d), 'layer');
  if (layer.blobSize !== d.size) throw new HostileArchiveError(`layer ${d.digest}: ${layer.blobSize} bytes, its descriptor says ${d.size}`);
  return layer;
}

/** The image name an index entry carries: containerd's annotation, else ref.name when it is a full name (not just a tag). */
function nameOf(d: Descriptor): string | undefined {
  const full = d.annotations[ANN_CONTAINERD_NAME];
  if (typeof full === 'string' && full !== '') return full;
  const ref = d.annotations[ANN_REF_NAME];
  if (typeof ref === 'string' && (ref.includes('/') || ref.includes(':'))) return ref;
  return undefined;
}

/** Reads index.json and checks every image it names (see archiveplan.ts). */
export function planOciLayout(contents: ArchiveContents, indexBytes: Buffer): PlannedImage[] {
  const index = parseJson(indexBytes, 'index.json');
  if (!isRecord(index) || !Array.isArray(index.manifests) || index.manifests.length === 0) throw new CtuiError('index.json lists no images');
  const out: PlannedImage[] = [];
  index.manifests.forEach((m: unknown, i) => {
    const d = descriptor(m, `index.json manifest ${i + 1}`);
    const name = nameOf(d);
    out.push(planManifest(contents, pickPlatform(contents, d, 0), name ? [name] : [], `index.json manifest ${i + 1}`));
  });
  return out;
}

/** Follows an image index (multi-platform) down to the manifest for this host. */
function pickPlatform(contents: ArchiveContents, d: Descriptor, depth: number): Descriptor {
  if (d.mediaType !== MT_OCI_INDEX && d.mediaType !== MT_DOCKER_LIST) return d;
  if (depth > 2) throw new CtuiError('index.json: image indexes nested too deep');
  const { json } = jsonBlob(contents, d, 'image index');
  const list = Array.isArray(json.manifests) ? json.manifests.map((m, i) => descriptor(m, `image index ${d.digest} entry ${i + 1}`)) : [];
  const mine = list.find((m) => m.platform?.os === 'linux' && m.platform.architecture === goArch()) ?? (list.length === 1 ? list[0] : undefined);
  if (!mine) throw new CtuiError(`image index ${d.digest} has no image for linux/${goArch()}`);
  return pickPlatform(contents, mine, depth + 1);
}

function planManifest(contents: ArchiveContents, d: Descriptor, refs: string[], what: string): PlannedImage {
  if (d.mediaType !== '' && d.mediaType !== MT_OCI_MANIFEST && d.mediaType !== MT_DOCKER_MANIFEST) {
    throw new CtuiError(`${what}: unsupported manifest type ${d.mediaType}`);
  }
  const { json } = jsonBlob(contents, d, 'manifest');
  if (!isRecord(json.config) || !Array.isArray(json.layers)) throw new CtuiError(`manifest ${d.digest} is malformed (needs config and layers)`);
  const configDesc = descriptor(json.config, `manifest ${d.digest} config`);
  const { bytes: config } = jsonBlob(contents, configDesc, 'config');
  const layers = json.layers.map((l, i) => layerBlob(contents, descriptor(l, `manifest ${d.digest} layer ${i + 1}`)));
  return planImage(config, configDesc.digest, layers, refs, what);
}
