import { CtuiError } from '../core/errors.js';
import type { PruneFilter } from '../core/engine.js';
import { stringList } from './flags.js';
import { parseTimeArg } from './timeparse.js';

/** `--filter until=24h`, `--filter label=k[=v]`, `--filter label!=k[=v]` as docker's prune takes them. */
export function parsePruneFilter(v: unknown): PruneFilter {
  let until: number | undefined;
  const labels: Array<{ key: string; value?: string; negate?: boolean }> = [];
  for (const f of stringList(v)) {
    const m = /^(until|label!?)=(.*)$/.exec(f);
    if (!m) throw new CtuiError(`invalid filter '${f.split('=')[0]}' (prune takes until=… and label=…)`);
    if (m[1] === 'until') {
      until = parseTimeArg(m[2]!, 'until filter');
      continue;
    }
    const [key, ...rest] = m[2]!.split('=');
    if (!key) throw new CtuiError(`invalid filter '${f}'`);
    labels.push({ key, ...(rest.length ? { value: rest.join('=') } : {}), ...(m[1] === 'label!' ? { negate: true } : {}) });
  }
  return { ...(until !== undefined ? { until } : {}), labels };
}
