import type { ContainerSummary, ImageSummary, Volume } from '../core/engine.js';
import { freedBytes, isAncestor, type ImageLayers } from '../core/maintenance/reclaim.js';
import { nameOf, short } from './actioncontext.js';
import type { Row } from './state/rows.js';
import type { Dialog, DialogItem, PaneKind } from './state/ui.js';

/**
 * The remove and prune confirmations, built as pure functions of the engine's data (the actions pass
 * it in): what each lists, what starts ticked and what the title promises. Prune ticks what the CLI's
 * prune of the same kind removes (`ctui container|image|volume prune`); what only `--all` would take
 * is listed unticked, so one enter never deletes more than the CLI would.
 */

/** A container that prune takes: not running (created, exited or dead), as the core's prune. */
export function isStopped(c: ContainerSummary): boolean {
  return ['created', 'exited', 'dead'].includes(c.State.Status);
}

/** A volume `volume prune` takes without --all: anonymous (docker 23+) and no container uses it. */
export function prunesByDefault(v: Volume): boolean {
  return v.Anonymous && v.UsedBy.length === 0;
}

/** Every image's layers, for the freed-space arithmetic (kept images included: they keep shared layers). */
export function layersOfAll(images: readonly ImageSummary[], layersOf: (id: string) => ImageLayers['layers']): ImageLayers[] {
  return images.map((i) => ({ id: i.Id, layers: layersOf(i.Id) }));
}

const shortId = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);
/** An anonymous volume's 64-hex name, cut as ids are: the status line has one line. */
const volumeName = (name: string) => (/^[0-9a-f]{64}$/.test(name) ? name.slice(0, 12) : name);

/** Ticked first: what goes is at the top, what would stay below it. */
function tickedFirst(items: DialogItem[]): DialogItem[] {
  return [...items.filter((i) => i.ticked), ...items.filter((i) => !i.ticked)];
}

export function containerPruneDialog(containers: readonly ContainerSummary[]): Dialog {
  const items = containers.filter(isStopped).map((c) => ({ id: c.Id, label: `${c.Name} (${c.Id.slice(0, 12)}) ${c.State.Status}`, name: c.Name, ticked: true }));
  return { kind: 'prune', pane: 'containers', title: 'Prune stopped containers? (their writable layers and logs go)', items, cursor: 0, measuring: items.length > 0 };
}

/**
 * Dangling images no container uses are ticked, unless an image that stays was made on top of one
 * (prune keeps such parents); unused tagged ones are listed unticked (`image prune -a` would take
 * them). Each item's size is what it frees by itself; the dialog's total is what the ticked set frees.
 */
export function imagePruneDialog(images: readonly ImageSummary[], layersOf: (id: string) => ImageLayers['layers']): Dialog {
  const layers = layersOfAll(images, layersOf);
  const diffIds = new Map(layers.map((l) => [l.id, l.layers.map((x) => x.diffId)]));
  const candidates = new Set(images.filter((i) => i.Containers === 0 && i.RepoTags.length === 0).map((i) => i.Id));
  const kept = images.filter((i) => !candidates.has(i.Id));
  const items = images.filter((i) => i.Containers === 0).map((i): DialogItem => {
    const parent = candidates.has(i.Id) && kept.some((k) => isAncestor(diffIds.get(i.Id)!, diffIds.get(k.Id)!));
    const label = i.RepoTags.length
      ? `${i.RepoTags.map(short).join(', ')} (${shortId(i.Id)})`
      : `<none> (${shortId(i.Id)}) dangling${parent ? ', below a kept image: prune keeps it' : ''}`;
    const name = i.RepoTags.length ? i.RepoTags.map(short).join(', ') : `<none> (${shortId(i.Id)})`;
    return { id: i.Id, label, name, size: freedBytes(layers, new Set([i.Id])), ticked: candidates.has(i.Id) && !parent, frees: { image: i.Id, of: 1 } };
  });
  return { kind: 'prune', pane: 'images', title: 'Prune dangling images? (unused tagged ones listed unticked: tick to add)', items: tickedFirst(items), cursor: 0, measuring: false, layers };
}

/** Anonymous unused volumes are ticked; named unused ones are listed unticked (their data is somebody's). */
export function volumePruneDialog(volumes: readonly Volume[]): Dialog {
  const items = volumes.filter((v) => v.UsedBy.length === 0).map((v) => ({ id: v.Name, label: `${v.Anonymous ? 'anonymous' : 'named    '}  ${v.Name}`, name: volumeName(v.Name), ticked: prunesByDefault(v) }));
  return { kind: 'prune', pane: 'volumes', title: 'Prune anonymous volumes? (named ones listed unticked: tick to delete their data)', items: tickedFirst(items), cursor: 0, measuring: items.length > 0 };
}

export function pruneDialog(pane: PaneKind, data: { images: readonly ImageSummary[]; containers: readonly ContainerSummary[]; volumes: readonly Volume[] }, layersOf: (id: string) => ImageLayers['layers']): Dialog {
  if (pane === 'containers') return containerPruneDialog(data.containers);
  if (pane === 'images') return imagePruneDialog(data.images, layersOf);
  return volumePruneDialog(data.volumes);
}

function singular(pane: PaneKind, n: number): string {
  const word = pane === 'images' ? 'image' : pane === 'containers' ? 'container' : 'volume';
  return n === 1 ? word : word + 's';
}

/**
 * d: every selected row, ticked. Containers: running ones are killed first when `force` (d says so in
 * the label); without it (the bulk menu's "remove all stopped") a container that started meanwhile is
 * refused, not killed. Images: a row is one tag; the image goes with its last one.
 */
export function removeDialog(pane: PaneKind, rows: readonly Row[], opts: { force: boolean; images?: readonly ImageSummary[]; layersOf?: (id: string) => ImageLayers['layers'] } = { force: true }): Dialog {
  const layers = pane === 'images' && opts.images && opts.layersOf ? layersOfAll(opts.images, opts.layersOf) : undefined;
  const tagsOf = new Map((opts.images ?? []).map((i) => [i.Id, Math.max(1, i.RepoTags.length)]));
  const items: DialogItem[] = rows.map((r) => {
    if (pane === 'containers') {
      const killed = r.running && opts.force ? ' - running: it is killed first' : '';
      return { id: r.target, label: `${nameOf(r)} (${r.target.slice(0, 12)}) ${r.cells[4]}${killed}`, name: nameOf(r), ticked: true, ...(r.bytes !== undefined ? { size: r.bytes } : {}) };
    }
    if (pane === 'images') {
      const of = r.target.startsWith('sha256:') ? 1 : tagsOf.get(r.objectId) ?? 1;
      const size = layers && of === 1 ? { size: freedBytes(layers, new Set([r.objectId])) } : {};
      return { id: r.target, name: r.target.startsWith('sha256:') ? `<none> (${shortId(r.target)})` : short(r.target), label: `${r.target}${r.target.startsWith('sha256:') ? '' : of > 1 ? ' (one of its tags)' : ' (untagged; the image goes with its last tag)'}`, ticked: true, frees: { image: r.objectId, of }, ...size };
    }
    return { id: r.target, label: r.target, name: volumeName(r.target), ticked: true };
  });
  const measure = pane === 'volumes' || (pane === 'containers' && items.some((i) => i.size === undefined));
  return { kind: 'remove', pane, title: `Remove ${items.length} ${singular(pane, items.length)}?`, items, cursor: 0, measuring: measure && items.length > 0, force: opts.force, ...(layers ? { layers } : {}) };
}

export { singular };
