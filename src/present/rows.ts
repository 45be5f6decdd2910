import type { ImageSummary, Volume } from '../core/engine.js';
import { familiarRepository, splitReference } from '../core/images/reference.js';
import { humanSize, timeAgo } from '../core/util/humanize.js';
import { goTimeUTC } from './present.js';

/** Row views of images and volumes, shared by `ctui images`, `ctui volume ls` and the TUI's panes. */

export interface ImageRow {
  ID: string;
  Repository: string;
  Tag: string;
  Digest: string;
  CreatedSince: string;
  CreatedAt: string;
  Size: string;
  Containers: string;
  VirtualSize: string;
  SharedSize: string;
  UniqueSize: string;
}

/** One row per tag (docker lists an image once per repository:tag, <none> when untagged). */
export function imageRows(images: readonly ImageSummary[], trunc: boolean, now = Date.now()): ImageRow[] {
  return images.flatMap((img) => {
    const id = trunc ? img.Id.slice(7, 19) : img.Id;
    const base = {
      ID: id,
      Digest: '<none>',
      CreatedSince: timeAgo(img.Created, now),
      CreatedAt: img.Created ? goTimeUTC(img.Created) : '',
      Size: humanSize(img.Size),
      VirtualSize: humanSize(img.Size),
      SharedSize: 'N/A',
      UniqueSize: 'N/A',
      Containers: String(img.Containers),
    };
    if (img.RepoTags.length === 0) return [{ ...base, Repository: '<none>', Tag: '<none>' }];
    return img.RepoTags.map((t) => {
      const r = splitReference(t);
      return { ...base, Repository: familiarRepository(r.repository), Tag: r.tag };
    });
  });
}

/** The fields `volume ls --format` knows (docker's volume formatter). */
export interface VolumeRow {
  Name: string;
  Driver: string;
  Scope: string;
  Mountpoint: string;
  Labels: string;
  Links: string;
  Size: string;
  CreatedAt: string;
}

export function volumeRow(v: Volume): VolumeRow {
  return {
    Name: v.Name,
    Driver: v.Driver,
    Scope: v.Scope,
    Mountpoint: v.Mountpoint,
    Labels: Object.entries(v.Labels ?? {}).map(([k, x]) => `${k}=${x}`).join(','),
    Links: String(v.UsedBy.length),
    Size: 'N/A',
    CreatedAt: v.CreatedAt,
  };
}
