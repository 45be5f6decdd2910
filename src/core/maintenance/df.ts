import type { ContainerState } from '../containers/model.js';
import { hexOf } from '../layers/store.js';
import type { Store } from '../store/store.js';
import { treeSize } from '../util/fs.js';

export interface ImageUsage {
  readonly Id: string;
  readonly RepoTags: string[];
  readonly Created: string;
  /** All its layers. */
  readonly Size: number;
  /** Its layers that other images share. */
  readonly SharedSize: number;
  readonly Containers: number;
}

export interface ContainerUsage {
  readonly Id: string;
  readonly Name: string;
  readonly Image: string;
  readonly Command: string;
  readonly Created: string;
  readonly State: ContainerState;
  /** The writable layer. */
  readonly SizeRw: number;
  /** Volumes it mounts. */
  readonly LocalVolumes: number;
}

export interface DiskUsage {
  /** Every layer once, however many images share it. */
  readonly LayersSize: number;
  /** Bytes that image prune -a would free: layers only unused images have. */
  readonly ImagesReclaimable: number;
  readonly Images: ImageUsage[];
  readonly Containers: ContainerUsage[];
}

/** docker system df's numbers: layers counted once, reclaimable = what prune could free now. */
export async function diskUsage(store: Store): Promise<DiskUsage> {
  const layers = new Map(store.layers.list().map((l) => [hexOf(l.diffId), l.size]));
  const images = store.images.list();
  const tags = store.images.tags();
  const containers = store.containers.list();
  const usersOf = new Map<string, number>();
  for (const c of containers) usersOf.set(c.record.Image, (usersOf.get(c.record.Image) ?? 0) + 1);
  const imagesOfLayer = new Map<string, number>();
  for (const img of images) for (const d of new Set(img.config.rootfs.diff_ids)) imagesOfLayer.set(hexOf(d), (imagesOfLayer.get(hexOf(d)) ?? 0) + 1);
  const usedLayers = new Set<string>();
  for (const img of images) if (usersOf.has(img.id)) for (const d of img.config.rootfs.diff_ids) usedLayers.add(hexOf(d));
  let reclaimable = 0;
  for (const [h, size] of layers) if (!usedLayers.has(h)) reclaimable += size;
  const Images: ImageUsage[] = images.map((img) => {
    const ds = [...new Set(img.config.rootfs.diff_ids.map(hexOf))];
    return {
      Id: img.id,
      RepoTags: store.images.tagsOf(img.id, tags),
      Created: img.config.created ?? '',
      Size: ds.reduce((s, d) => s + (layers.get(d) ?? 0), 0),
      SharedSize: ds.filter((d) => (imagesOfLayer.get(d) ?? 0) > 1).reduce((s, d) => s + (layers.get(d) ?? 0), 0),
      Containers: usersOf.get(img.id) ?? 0,
    };
  });
  const Containers: ContainerUsage[] = [];
  for (const c of containers) {
    const r = c.record;
    Containers.push({
      Id: r.Id,
      Name: r.Name,
      Image: r.Config.Image,
      Command: [r.Path, ...r.Args].join(' '),
      Created: r.Created,
      State: c.state,
      SizeRw: await treeSize(store.layout.containerUpper(r.Id)),
      LocalVolumes: (r.Mounts ?? []).filter((m) => m.Type === 'volume').length,
    });
  }
  return { LayersSize: [...layers.values()].reduce((a, b) => a + b, 0), ImagesReclaimable: reclaimable, Images, Containers };
}
