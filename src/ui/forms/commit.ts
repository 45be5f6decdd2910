import type { ChangeSummary } from '../../core/engine.js';
import { humanSize } from '../../core/util/humanize.js';
import type { Form } from './state.js';

/** The commit form: what the new layer holds first (docker diff in numbers), then the image's name and notes. */
export function commitForm(id: string, name: string, image: string, diff: ChangeSummary): Form {
  return {
    id: 'commit',
    title: `Commit ${name} (${id.slice(0, 12)}, from ${image}) as a new image`,
    info: diffLines(diff),
    target: id,
    focus: 0,
    fields: [
      { key: 'reference', label: 'repo:tag', value: '', hint: 'empty: an untagged image (only its id)' },
      { key: 'message', label: 'message', value: '' },
      { key: 'author', label: 'author', value: '' },
    ],
  };
}

export function diffLines(d: ChangeSummary): string[] {
  const head = `${d.added} added, ${d.changed} changed, ${d.deleted} deleted; the layer adds ${humanSize(d.size)}`;
  const sample = d.changes.slice(0, 5).map((c) => `  ${['C', 'A', 'D'][c.Kind] ?? '?'} ${c.Path}`);
  const more = d.changes.length > 5 ? [`  ... and ${d.changes.length - 5} more`] : [];
  return [head, ...sample, ...more];
}
