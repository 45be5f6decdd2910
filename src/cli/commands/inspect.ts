import { CtuiError, NotFoundError } from '../../core/errors.js';
import { failureLine } from '../report.js';
import type { ContainerDetails, Engine } from '../../core/engine.js';
import type { CommandDef } from '../command.js';
import { stringList } from '../flags.js';
import { printInspect, printJson } from '../output.js';
import type { InspectItem } from '../format.js';
import { CONTAINER_JSON, IMAGE_INSPECT, VOLUME } from '../../present/template/types.js';
import { dockerContainerJson, dockerImageJson, dockerVolumeJson } from '../../present/present.js';

type Kind = 'container' | 'image' | 'volume' | undefined;
const KINDS = ['container', 'image', 'volume'];

/**
 * docker's --size fields: SizeRw is the writable layer's size, SizeRootFs the whole root
 * filesystem's (the image's layers plus the writable layer), placed where docker puts them (after
 * GraphDriver); without --size docker leaves both out.
 */
async function withSizes(engine: Engine, d: ContainerDetails, json: Record<string, unknown>): Promise<Record<string, unknown>> {
  const rw = await engine.containers.size(d.Record.Id);
  let image = 0;
  try {
    image = engine.images.inspect(d.Record.Image).Size;
  } catch (err) {
    if (!(err instanceof CtuiError)) throw err; // its image is gone: the layer alone
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(json)) {
    out[k] = v;
    if (k === 'GraphDriver') Object.assign(out, { SizeRw: rw, SizeRootFs: rw + image });
  }
  if (!('SizeRw' in out)) Object.assign(out, { SizeRw: rw, SizeRootFs: rw + image });
  return out;
}

function makeInspect(kind: Kind, command: string, describe: string): CommandDef {
  return {
    command,
    describe,
    flags: {
      format: { alias: 'f', type: 'string', describe: 'Format the output using the given Go template' },
      ...(kind === undefined ? { type: { type: 'string', describe: 'Only inspect objects of the given type (container, image, volume)' } } : {}),
      ...(kind !== 'image' ? { size: { alias: 's', type: 'boolean', describe: kind === undefined ? 'Display total file sizes if the type is container' : 'Display total file sizes' } } : {}),
    },
    async run(ctx, a) {
      if (kind === undefined && a.type !== undefined && a.type !== '' && !KINDS.includes(String(a.type))) {
        throw new CtuiError(`unknown type: "${String(a.type)}": must be one of ${KINDS.map((k) => `"${k}"`).join(', ')}`, 1);
      }
      const engine = await ctx.engine();
      const wanted = (kind ?? (a.type as Kind)) || undefined;
      const format = typeof a.format === 'string' ? a.format : '';
      const items: Array<InspectItem | { error: string }> = [];
      for (const name of stringList(a.names)) {
        try {
          const k = wanted ?? engine.kindOf(name);
          // The Go struct docker runs the template on; all three have raw JSON to fall back on.
          if (k === 'container') {
            const d = engine.containers.inspect(name);
            const json = dockerContainerJson(d) as Record<string, unknown>;
            items.push({ data: a.size ? await withSizes(engine, d, json) : json, type: CONTAINER_JSON, raw: true });
          }
          else if (k === 'image') items.push({ data: dockerImageJson(engine.images.inspect(name)), type: IMAGE_INSPECT, raw: true });
          else if (k === 'volume') items.push({ data: dockerVolumeJson(engine.volumes.inspect(name)), type: VOLUME, raw: true });
          else throw new NotFoundError(`No such object: ${name}`);
        } catch (err) {
          items.push({ error: `Error: ${failureLine(err)}` });
        }
      }
      if (format) return printInspect(format, items);
      for (const i of items) if ('error' in i) process.stderr.write(i.error + '\n');
      printJson(items.flatMap((i) => ('data' in i ? [i.data] : [])));
      return items.some((i) => 'error' in i) ? 1 : 0;
    },
  };
}

export const inspectCommand = makeInspect(undefined, 'inspect <names..>', 'Return low-level information on containers or images');
export const imageInspectCommand = makeInspect('image', 'inspect <names..>', 'Display detailed information on one or more images');
export const containerInspectCommand = makeInspect('container', 'inspect <names..>', 'Display detailed information on one or more containers');
