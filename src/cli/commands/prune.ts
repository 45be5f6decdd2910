import type { PrunedContainers, PrunedImages } from '../../core/engine.js';
import { humanSize } from '../../core/util/humanize.js';
import type { CommandDef } from '../command.js';
import { confirm } from '../confirm.js';
import { writeLine } from '../output.js';
import { parsePruneFilter } from '../prunefilter.js';

const FILTER_FLAG = { type: 'string', array: true, describe: 'Provide filter values (e.g. "until=<timestamp>", "label=<key>=<value>")' } as const;
const FORCE_FLAG = { alias: 'f', type: 'boolean', describe: 'Do not prompt for confirmation' } as const;

/** docker's report: each kind's list under its title, then one total. */
export function printContainers(r: PrunedContainers): void {
  if (r.deleted.length === 0) return;
  writeLine('Deleted Containers:');
  for (const id of r.deleted) writeLine(id);
  writeLine();
}

export function printImages(r: PrunedImages): void {
  if (r.items.length === 0) return;
  writeLine('Deleted Images:');
  for (const i of r.items) writeLine(i.Untagged ? `untagged: ${i.Untagged}` : `deleted: ${i.Deleted}`);
  writeLine();
}

export function printTotal(bytes: number): void {
  writeLine(`Total reclaimed space: ${humanSize(bytes)}`);
}

export const containerPruneCommand: CommandDef = {
  command: 'prune',
  describe: 'Remove all stopped containers',
  flags: { filter: FILTER_FLAG, force: FORCE_FLAG },
  async run(ctx, a) {
    const filter = parsePruneFilter(a.filter);
    if (!a.force && !confirm('WARNING! This will remove all stopped containers.')) return 0;
    const engine = await ctx.engine();
    const r = await engine.containers.prune(filter);
    printContainers(r);
    printTotal(r.reclaimed);
  },
};

export const imagePruneCommand: CommandDef = {
  command: 'prune',
  describe: 'Remove unused images',
  flags: {
    all: { alias: 'a', type: 'boolean', describe: 'Remove all unused images, not just dangling ones' },
    filter: FILTER_FLAG,
    force: FORCE_FLAG,
  },
  async run(ctx, a) {
    const filter = parsePruneFilter(a.filter);
    const warning = a.all
      ? 'WARNING! This will remove all images without at least one container associated to them.'
      : 'WARNING! This will remove all dangling images.';
    if (!a.force && !confirm(warning)) return 0;
    const engine = await ctx.engine();
    const r = await engine.images.prune({ all: Boolean(a.all), filter });
    printImages(r);
    printTotal(r.reclaimed);
  },
};

export const systemPruneCommand: CommandDef = {
  command: 'prune',
  describe: 'Remove unused data',
  flags: {
    all: { alias: 'a', type: 'boolean', describe: 'Remove all unused images not just dangling ones' },
    filter: FILTER_FLAG,
    force: FORCE_FLAG,
    volumes: { type: 'boolean', describe: 'Prune anonymous volumes' },
  },
  async run(ctx, a) {
    const filter = parsePruneFilter(a.filter);
    const items = [
      '  - all stopped containers',
      ...(a.volumes ? ['  - all anonymous volumes not used by at least one container'] : []),
      a.all ? '  - all images without at least one container associated to them' : '  - all dangling images',
    ];
    if (!a.force && !confirm(`WARNING! This will remove:\n${items.join('\n')}\n`)) return 0;
    const engine = await ctx.engine();
    // Containers first: the images and volumes they held become unused and go in the same prune.
    const c = await engine.containers.prune(filter);
    printContainers(c);
    let total = c.reclaimed;
    if (a.volumes) {
      // Volumes take label filters only (docker refuses until= for them).
      const labels = (Array.isArray(a.filter) ? a.filter : a.filter ? [a.filter] : []).map(String).filter((f) => /^label!?=/.test(f));
      const v = await engine.volumes.prune({ filters: labels });
      if (v.deleted.length > 0) {
        writeLine('Deleted Volumes:');
        for (const n of v.deleted) writeLine(n);
        writeLine();
      }
      total += v.reclaimed;
    }
    const i = await engine.images.prune({ all: Boolean(a.all), filter });
    printImages(i);
    total += i.reclaimed;
    printTotal(total);
  },
};
