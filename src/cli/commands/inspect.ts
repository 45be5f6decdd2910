import { CtuiError, NotFoundError } from '../../core/errors.js';
import { reportFailure } from '../report.js';
import type { ContainerDetails, Engine } from '../../core/engine.js';
import type { CommandDef } from '../command.js';
import { stringList } from '../flags.js';
import { printFormatted, printJson } from '../output.js';
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
      const out: unknown[] = [];
      let status = 0;
      for (const name of stringList(a.names)) {
        try {
          const k = wanted ?? engine.kindOf(name);
          if (k === 'container') {
            const d = engine.containers.inspect(name);
            const json = dockerContainerJson(d) as Record<string, unknown>;
            out.push(a.size ? await withSizes(engine, d, json) : json);
          }
          else if (k === 'image') out.push(dockerImageJson(engine.images.inspect(name)));
          else if (k === 'volume') out.push(dockerVolumeJson(engine.volumes.inspect(name)));
          else throw new NotFoundError(`No such object: ${name}`);
        } catch (err) {
          reportFailure(err, 'Error: ');
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
