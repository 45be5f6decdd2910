import { NotFoundError, oneLine } from '../../core/errors.js';
import type { CommandDef } from '../command.js';
import { stringList } from '../flags.js';
import { printFormatted, printJson } from '../output.js';
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
      const out: unknown[] = [];
      let status = 0;
      for (const name of stringList(a.names)) {
        try {
          const k = wanted ?? engine.kindOf(name);
          if (k === 'container') out.push(dockerContainerJson(engine.containers.inspect(name)));
          else if (k === 'image') out.push(dockerImageJson(engine.images.inspect(name)));
          else if (k === 'volume') out.push(dockerVolumeJson(engine.volumes.inspect(name)));
          else throw new NotFoundError(`No such object: ${name}`);
        } catch (err) {
          process.stderr.write(`Error: ${oneLine(err)}\n`);
          status = 1;
        }
      }
      if (typeof a.format === 'string' && a.format) printFormatted(a.format, out);
      else printJson(out);
      return status;
    },
  };
}

export const inspectCommand = makeInspect(undefined, 'inspect <names..>', 'Return low-level information on containers or images');
export const imageInspectCommand = makeInspect('image', 'inspect <names..>', 'Display detailed information on one or more images');
export const containerInspectCommand = makeInspect('container', 'inspect <names..>', 'Display detailed information on one or more containers');
