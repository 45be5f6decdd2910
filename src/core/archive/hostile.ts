import { CtuiError } from '../errors.js';

/** An archive that tries something no honest one does: refused with one line, the store untouched. */
export class HostileArchiveError extends CtuiError {
  constructor(message: string) {
    super(message, 125);
    this.name = 'HostileArchiveError';
  }
}
