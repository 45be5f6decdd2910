import type { DiskUsage } from '../../core/engine.js';
import { familiarReference } from '../../core/images/reference.js';
import { humanSize, timeAgo } from '../../core/util/humanize.js';
import type { CommandDef } from '../command.js';
import { formatTable, printFormatted, write } from '../output.js';
import { DF_ROW } from '../../present/template/types.js';
import { statusText } from '../../present/present.js';

const pct = (part: number, whole: number) => (whole > 0 ? ` (${Math.round((part / whole) * 100)}%)` : '');

interface Row {
  Type: string;
  TotalCount: number;
  Active: number;
  Size: string;
  Reclaimable: string;
}

export interface VolumeUsage {
  readonly Name: string;
  readonly Links: number;
  readonly Size: number;
}

function summary(u: DiskUsage, vols: readonly VolumeUsage[]): Row[] {
  const vSize = vols.reduce((s, v) => s + v.Size, 0);
  const vFree = vols.filter((v) => v.Links === 0).reduce((s, v) => s + v.Size, 0);
  const activeImages = u.Images.filter((i) => i.Containers > 0).length;
  const rw = u.Containers.reduce((s, c) => s + c.SizeRw, 0);
  const running = u.Containers.filter((c) => c.State.Status === 'running' || c.State.Status === 'paused');
  const rwReclaim = u.Containers.filter((c) => !running.includes(c)).reduce((s, c) => s + c.SizeRw, 0);
  return [
    { Type: 'Images', TotalCount: u.Images.length, Active: activeImages, Size: humanSize(u.LayersSize), Reclaimable: `${humanSize(u.ImagesReclaimable)}${pct(u.ImagesReclaimable, u.LayersSize)}` },
    { Type: 'Containers', TotalCount: u.Containers.length, Active: running.length, Size: humanSize(rw), Reclaimable: `${humanSize(rwReclaim)}${pct(rwReclaim, rw)}` },
    { Type: 'Local Volumes', TotalCount: vols.length, Active: vols.filter((v) => v.Links > 0).length, Size: humanSize(vSize), Reclaimable: `${humanSize(vFree)}${pct(vFree, vSize)}` },
    { Type: 'Build Cache', TotalCount: 0, Active: 0, Size: humanSize(0), Reclaimable: humanSize(0) },
  ];
}

function verbose(u: DiskUsage, vols: readonly VolumeUsage[]): string {
  const images = u.Images.flatMap((i) => {
    const tags = i.RepoTags.length > 0 ? i.RepoTags.map(familiarReference) : ['<none>:<none>'];
    return tags.map((t) => {
      const at = t.lastIndexOf(':');
      return [t.slice(0, at), t.slice(at + 1), i.Id.slice(7, 19), timeAgo(i.Created), humanSize(i.Size), humanSize(i.SharedSize), humanSize(i.Size - i.SharedSize), String(i.Containers)];
    });
  });
  const containers = u.Containers.map((c) => [c.Id.slice(0, 12), c.Image, JSON.stringify(c.Command.length > 20 ? `${c.Command.slice(0, 19)}…` : c.Command), String(c.LocalVolumes), humanSize(c.SizeRw), timeAgo(c.Created), statusText(c.State), c.Name]);
  return [
    'Images space usage:\n',
    formatTable(['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE', 'SHARED SIZE', 'UNIQUE SIZE', 'CONTAINERS'], images),
    '\nContainers space usage:\n',
    formatTable(['CONTAINER ID', 'IMAGE', 'COMMAND', 'LOCAL VOLUMES', 'SIZE', 'CREATED', 'STATUS', 'NAMES'], containers),
    '\nLocal Volumes space usage:\n',
    formatTable(['VOLUME NAME', 'LINKS', 'SIZE'], vols.map((v) => [v.Name, String(v.Links), humanSize(v.Size)])),
    '\nBuild cache usage: 0B\n',
  ].join('\n');
}

export const dfCommand: CommandDef = {
  command: 'df',
  describe: 'Show ctui disk usage',
  flags: {
    format: { type: 'string', describe: 'Format output using a custom template' },
    verbose: { alias: 'v', type: 'boolean', describe: 'Show detailed information on space usage' },
  },
  async run(ctx, a) {
    const engine = await ctx.engine();
    const u = await engine.system.df();
    const vols: VolumeUsage[] = [];
    for (const v of engine.volumes.list()) vols.push({ Name: v.Name, Links: v.UsedBy.length, Size: await engine.volumes.size(v.Name) });
    if (a.verbose) {
      write(verbose(u, vols));
      return;
    }
    const rows = summary(u, vols);
    if (typeof a.format === 'string') {
      await printFormatted(a.format, rows, { type: DF_ROW, defaultTable: '{{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}', headers: { TotalCount: 'TOTAL' } });
      return;
    }
    write(formatTable(['TYPE', 'TOTAL', 'ACTIVE', 'SIZE', 'RECLAIMABLE'], rows.map((r) => [r.Type, String(r.TotalCount), String(r.Active), r.Size, r.Reclaimable])));
  },
};
