import { CtuiError } from '../../core/errors.js';
import { imageRows, type ImageRow } from '../../present/rows.js';
import type { CommandDef } from '../command.js';
import { stringList } from '../flags.js';
import { formatTable, printFormatted, write } from '../output.js';
import { IMAGE_ROW } from '../../present/template/types.js';

function parseFilters(list: string[]): { dangling?: boolean; reference?: string } {
  const out: { dangling?: boolean; reference?: string } = {};
  for (const f of list) {
    const eq = f.indexOf('=');
    const k = eq < 0 ? f : f.slice(0, eq);
    const v = eq < 0 ? '' : f.slice(eq + 1);
    if (k === 'dangling') {
      if (v !== 'true' && v !== 'false') throw new CtuiError(`invalid filter 'dangling=${v}'`);
      out.dangling = v === 'true';
    } else if (k === 'reference') out.reference = v;
    else throw new CtuiError(`invalid filter '${k}'`);
  }
  return out;
}

/** `reference=` filters match the familiar repo[:tag] with shell-style globs, as docker does. */
function matchesReference(row: ImageRow, pattern: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '.') + '$');
  return re.test(row.Repository) || re.test(`${row.Repository}:${row.Tag}`);
}

export const imagesCommand: CommandDef = {
  command: 'images [repository]',
  describe: 'List images',
  flags: {
    all: { alias: 'a', type: 'boolean', describe: 'Show all images (default hides intermediate images)' },
    quiet: { alias: 'q', type: 'boolean', describe: 'Only show image IDs' },
    digests: { type: 'boolean', describe: 'Show digests' },
    'no-trunc': { type: 'boolean', describe: "Don't truncate output" },
    filter: { alias: 'f', type: 'string', array: true, describe: 'Filter output based on conditions provided (dangling=true, reference=...)' },
    format: { type: 'string', describe: 'Pretty-print images using a Go template' },
  },
  async run(ctx, a) {
    const filters = parseFilters(stringList(a.filter));
    const engine = await ctx.engine();
    const images = engine.images.list({ all: Boolean(a.all), ...(filters.dangling !== undefined ? { dangling: filters.dangling } : {}) });
    let list = imageRows(images, !a['no-trunc']);
    const repo = a.repository === undefined ? undefined : String(a.repository);
    if (repo) list = list.filter((r) => matchesReference(r, repo.includes(':') ? repo : `${repo}`) || matchesReference(r, `${repo}:*`));
    if (filters.reference) list = list.filter((r) => matchesReference(r, filters.reference!));
    if (a.quiet) {
      write([...new Set(list.map((r) => r.ID))].map((id) => id + '\n').join(''));
      return;
    }
    if (typeof a.format === 'string' && a.format !== '') {
      await printFormatted(a.format, list, { type: IMAGE_ROW, headers: { ID: 'IMAGE ID', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT' }, defaultTable: '{{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}' });
      return;
    }
    // --digests: the registry digest column (ctui's images come from archives, not a registry: <none>, as docker shows for loaded ones).
    const digests = Boolean(a.digests);
    const header = ['REPOSITORY', 'TAG', ...(digests ? ['DIGEST'] : []), 'IMAGE ID', 'CREATED', 'SIZE'];
    write(formatTable(header, list.map((r) => [r.Repository, r.Tag, ...(digests ? [r.Digest] : []), r.ID, r.CreatedSince, r.Size])));
  },
};
