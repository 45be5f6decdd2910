import type { CtuiEvent } from '../../core/engine.js';
import { CtuiError } from '../../core/errors.js';
import type { CommandDef } from '../command.js';
import { stringList } from '../flags.js';
import { printFormatted, writeLine } from '../output.js';
import { plainStruct } from '../../present/template/types.js';

/** events.Message: docker runs --format on it (Type, Action, Actor, Time ...). */
const EVENT = plainStruct('events.Message', {});
import { parseTimeArg } from '../timeparse.js';

function matches(e: CtuiEvent, filters: Map<string, string[]>): boolean {
  for (const [k, vals] of filters) {
    const ok = vals.some((v) => {
      switch (k) {
        case 'type': return e.type === v;
        case 'event': return e.action === v || e.action.startsWith(`${v}:`);
        case 'container': return e.type === 'container' && (e.id.startsWith(v) || e.attributes.name === v);
        case 'image': return e.attributes.image === v || (e.type === 'image' && e.id.includes(v));
        case 'label': return Object.entries(e.attributes).some(([ak, av]) => v === ak || v === `${ak}=${av}`);
        default: return false;
      }
    });
    if (!ok) return false;
  }
  return true;
}

/** docker's line: 2026-11-24T07:00:00.000000000Z container start ID (image=busybox, name=web) */
export function formatEvent(e: CtuiEvent): string {
  const ns = BigInt(Math.round(e.time));
  const ms = Number(ns / 1_000_000n);
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0');
  const time = new Date(ms).toISOString().replace(/\.\d{3}Z$/, `.${frac}Z`);
  const attrs = Object.entries(e.attributes).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join(', ');
  return `${time} ${e.type} ${e.action} ${e.id}${attrs ? ` (${attrs})` : ''}`;
}

export const eventsCommand: CommandDef = {
  command: 'events',
  describe: 'Get real time events (from the event log every ctui process writes)',
  flags: {
    filter: { alias: 'f', type: 'string', array: true, describe: 'Filter output based on conditions provided (type, event, container, image, label)' },
    format: { type: 'string', describe: 'Format the output using the given Go template' },
    since: { type: 'string', describe: 'Show all events created since timestamp' },
    until: { type: 'string', describe: 'Stream events until this timestamp' },
  },
  async run(ctx, a) {
    const filters = new Map<string, string[]>();
    for (const f of stringList(a.filter)) {
      const eq = f.indexOf('=');
      if (eq <= 0) throw new CtuiError(`invalid filter '${f}'`);
      const k = f.slice(0, eq);
      if (!['type', 'event', 'container', 'image', 'label'].includes(k)) throw new CtuiError(`invalid filter '${k}'`);
      filters.set(k, [...(filters.get(k) ?? []), f.slice(eq + 1)]);
    }
    const since = typeof a.since === 'string' ? parseTimeArg(a.since, '--since') * 1e6 : undefined;
    const until = typeof a.until === 'string' ? parseTimeArg(a.until, '--until') * 1e6 : undefined;
    const engine = await ctx.engine();
    const ac = new AbortController();
    process.once('SIGINT', () => ac.abort());
    process.once('SIGTERM', () => ac.abort());
    const follow = until === undefined || until > Date.now() * 1e6;
    for await (const e of engine.events({ follow, ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}), signal: ac.signal })) {
      if (!matches(e, filters)) continue;
      if (typeof a.format === 'string' && a.format) {
        await printFormatted(a.format, [{ ...e, Type: e.type, Action: e.action, ID: e.id, Actor: { ID: e.id, Attributes: e.attributes }, Time: Math.floor(e.time / 1e9), TimeNano: e.time, Status: e.action, From: e.attributes.image ?? '' }], { type: EVENT });
      } else writeLine(formatEvent(e));
    }
  },
};
