import type { VolumePruneReport } from '../../core/engine.js';
import { humanSize } from '../../core/util/humanize.js';
import type { CommandDef } from '../command.js';
import { stringList } from '../flags.js';
import { write } from '../output.js';

const ANONYMOUS_WARNING = 'WARNING! This will remove anonymous local volumes not used by at least one container.';
const ALL_WARNING = 'WARNING! This will remove all local volumes not used by at least one container.';

/** docker's prune report: the deleted names, a blank line, then the space reclaimed (also for `system prune`). */
export function formatVolumePrune(r: VolumePruneReport): string {
  const list = r.deleted.length > 0 ? `Deleted Volumes:\n${r.deleted.map((n) => n + '\n').join('')}\n` : '';
  return `${list}Total reclaimed space: ${humanSize(r.deleted.length > 0 ? r.reclaimed : 0)}\n`;
}

export const volumePruneCommand: CommandDef = {
  command: 'prune',
  describe: 'Remove unused local volumes',
  flags: {
    all: { alias: 'a', type: 'boolean', describe: 'Remove all unused volumes, not just anonymous ones' },
    filter: { type: 'string', array: true, describe: "Provide filter values (e.g. 'label=<key>=<value>')" },
    force: { alias: 'f', type: 'boolean', describe: 'Do not prompt for confirmation' },
  },
  async run(ctx, a) {
    const filters = stringList(a.filter);
    const all = Boolean(a.all) || filters.some((f) => /^all=(true|1)$/.test(f));
    const engine = await ctx.engine();
    if (!a.force && !(await (await import('../prompt.js')).confirm(`${all ? ALL_WARNING : ANONYMOUS_WARNING}\nAre you sure you want to continue?`))) {
      write(formatVolumePrune({ deleted: [], reclaimed: 0 }));
      return 0;
    }
    write(formatVolumePrune(await engine.volumes.prune({ all, filters })));
  },
};
