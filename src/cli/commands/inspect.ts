import { NotFoundError, oneLine } from '../../core/errors.js';
import type { CommandDef } from '../command.js';
import { stringList } from '../flags.js';
import { printInspect, printJson } from '../output.js';
import type { InspectItem } from '../format.js';
import { CONTAINER_JSON, IMAGE_INSPECT, VOLUME } from '../../present/template/types.js';
import { dockerContainerJson, dockerImageJson, dockerVolumeJson } from '../../present/present.js';

type Kind = 'container' | 'image' | 'volume' | undefined;

function makeInspect(kind: Kind, command: string, describe: string): CommandDef {
  return {
    command,
    describe,
    flags: {
      format: { alias: 'f', type: 'string', describe: 'Format the output using the given Go template' },
      ...(kind === undefined ? { type: { type: 'string', describe: 'Return JSON for specified type (container, image, volume)' } } : {}),
      size: { alias: 's', type: 'boolean', describe: 'Display total file sizes' },
    },
    async run(ctx, a) {
      const engine = await ctx.engine();
      const wanted = (kind ?? (a.type as Kind)) || undefined;
      const format = typeof a.format === 'string' ? a.format : '';
      const items: Array<InspectItem | { error: string }> = [];
      for (const name of stringList(a.names)) {
        try {
          const k = wanted ?? engine.kindOf(name);
          // The Go struct docker runs the template on; all three have raw JSON to fall back on.
          if (k === 'container') items.push({ data: dockerContainerJson(engine.containers.inspect(name)), type: CONTAINER_JSON, raw: true });
          else if (k === 'image') items.push({ data: dockerImageJson(engine.images.inspect(name)), type: IMAGE_INSPECT, raw: true });
          else if (k === 'volume') items.push({ data: dockerVolumeJson(engine.volumes.inspect(name)), type: VOLUME, raw: true });
          else throw new NotFoundError(`No such object: ${name}`);
        } catch (err) {
          items.push({ error: `Error: ${oneLine(err)}` });
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
