import type { CreateOptions } from '../../core/engine.js';
import { fieldValue, type Form } from './state.js';
import { splitWords } from '../../core/util/words.js';
import { splitList } from './words.js';

/** The run form for an image: the fields of `ctui run` people use most, the image prefilled. */
export function runForm(image: string): Form {
  return {
    id: 'run',
    title: `Run a container of ${image}`,
    info: [],
    target: image,
    focus: 1,
    fields: [
      { key: 'image', label: 'image', value: image },
      { key: 'name', label: 'name', value: '', hint: 'empty: a generated name' },
      { key: 'command', label: 'command', value: '', hint: "empty: the image's default; quotes group words" },
      { key: 'mode', label: 'mode', value: 'detached', choices: ['detached', 'interactive'], hint: 'space or left/right: detached (-dit: a attaches later) or interactive (-it, full screen)' },
      { key: 'env', label: 'env', value: '', hint: 'KEY=VAL, separated by commas or spaces' },
      { key: 'volumes', label: 'volumes', value: '', hint: '-v syntax, space separated: NAME:/path  /host:/path:ro' },
    ],
  };
}

/** The form as create options and whether it runs interactively; throws with a message for the status line. */
export function runOptions(f: Form): { opts: CreateOptions; interactive: boolean } {
  const image = fieldValue(f, 'image');
  if (!image) throw new Error('the image is required');
  const name = fieldValue(f, 'name');
  if (name && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name)) throw new Error(`invalid name "${name}": letters, digits, _ . - only`);
  const env = splitList(fieldValue(f, 'env'));
  const bad = env.find((e) => !/^[^=\s]+(=|$)/.test(e));
  if (bad) throw new Error(`invalid env "${bad}": KEY=VAL`);
  const volumes = splitWords(fieldValue(f, 'volumes'));
  const badVol = volumes.find((v) => !v.includes(':') && !v.startsWith('/'));
  if (badVol) throw new Error(`invalid volume "${badVol}": NAME:/path or /host:/path[:ro]`);
  const interactive = fieldValue(f, 'mode') === 'interactive';
  // Both modes give it a terminal and an open stdin (docker run -dit / -it): a shell started detached
  // stays up, and `a` can attach to it later and type (a plain -d shell would exit at once).
  return {
    opts: { image, cmd: splitWords(fieldValue(f, 'command')), ...(name ? { name } : {}), env, volumes, tty: true, interactive: true },
    interactive,
  };
}
