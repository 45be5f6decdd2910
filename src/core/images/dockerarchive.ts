import { CtuiError } from '../errors.js';
import type { TarWriter } from '../archive/tarwriter.js';
import { hexOf } from '../layers/store.js';
import type { ArchiveContents } from './archivein.js';
import { isRecord, parseJson, planImage, type PlannedImage } from './archiveplan.js';
import { familiarReference, splitReference } from './reference.js';
import type { LayerSource, SavedImage } from './save.js';

/**
 * docker-archive, the format of `docker save` (and podman's and skopeo's docker-archive):
 *
 *   manifest.json      [{"Config": "<hex>.json", "RepoTags": ["busybox:latest"] | null, "Layers": ["<hex>/layer.tar", ...]}]
 *   repositories       {"busybox": {"latest": "<top layer dir>"}} (legacy readers; tagged images only)
 *   <config hex>.json  the config, its exact bytes
 *   <diff_id hex>/layer.tar   each layer once, uncompressed, byte for byte its diff_id
 *
 * docker's per-layer VERSION and json files are left out: docker (since 1.10), podman and skopeo all
 * read manifest.json alone.
 */

export async function writeDockerArchive(tw: TarWriter, images: readonly SavedImage[], layers: LayerSource): Promise<void> {
  const written = new Set<string>();
  for (const img of images) {
    for (const d of img.diffIds) {
      if (written.has(d)) continue;
      written.add(d);
      await layers.write(d, `${hexOf(d)}/layer.tar`);
    }
  }
  for (const img of images) await tw.file(`${hexOf(img.id)}.json`, img.config);
  const manifest = images.map((img) => ({
    Config: `${hexOf(img.id)}.json`,
    // docker writes null for an image saved by id, and familiar names (busybox:latest).
    RepoTags: img.refs.length > 0 ? img.refs.map(familiarReference) : null,
    Layers: img.diffIds.map((d) => `${hexOf(d)}/layer.tar`),
  }));
  await tw.file('manifest.json', Buffer.from(JSON.stringify(manifest) + '\n'));
  const repositories: Record<string, Record<string, string>> = {};
  for (const img of images) {
    const top = img.diffIds[img.diffIds.length - 1];
    if (!top) continue;
    for (const ref of img.refs) {
      const { repository, tag } = splitReference(familiarReference(ref));
      (repositories[repository] ??= {})[tag] = hexOf(top);
    }
  }
  if (Object.keys(repositories).length > 0) await tw.file('repositories', Buffer.from(JSON.stringify(repositories) + '\n'));
}

/** A config name that carries its digest: `<hex>.json` (docker, podman) or `blobs/sha256/<hex>` (docker 25+). */
function digestInName(name: string): string | undefined {
  const m = /(?:^|\/)([0-9a-f]{64})(?:\.json)?$/.exec(name);
  return m ? `sha256:${m[1]}` : undefined;
}

/** Reads manifest.json and checks every image it lists (see archiveplan.ts). */
export function planDockerArchive(contents: ArchiveContents, manifestBytes: Buffer): PlannedImage[] {
  const manifest = parseJson(manifestBytes, 'manifest.json');
  if (!Array.isArray(manifest) || manifest.length === 0) throw new CtuiError('manifest.json lists no images');
  return manifest.map((item: unknown, i) => {
    const what = `manifest.json image ${i + 1}`;
    if (!isRecord(item) || typeof item.Config !== 'string' || !Array.isArray(item.Layers) || !item.Layers.every((l) => typeof l === 'string')) {
      throw new CtuiError(`${what} is malformed (needs Config and Layers)`);
    }
    const tags = item.RepoTags ?? [];
    if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string')) throw new CtuiError(`${what} has malformed RepoTags`);
    const configEntry = contents.lookup(item.Config, 'config');
    const config = contents.small(item.Config, 'config');
    const layers = (item.Layers as string[]).map((l) => contents.layer(l, 'layer'));
    return planImage(config, digestInName(configEntry.name), layers, tags as string[], what);
  });
}
