import { splitWords } from '../../core/util/words.js';

/** KEY=VAL lists as typed in a form: separated by commas or spaces (quotes group a value with spaces). */
export function splitList(text: string): string[] {
  return splitWords(text.replace(/,/g, ' ')).filter(Boolean);
}
