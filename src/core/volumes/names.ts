import { randomBytes } from 'node:crypto';
import { CtuiError } from '../errors.js';

/**
 * docker's local volume names. A name becomes a directory under volumes/, so this rule is also
 * what keeps `..`, `/` and other path tricks out of the store: nothing else reaches the path.
 */
export const VALID_VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export function isVolumeName(name: string): boolean {
  return VALID_VOLUME_NAME.test(name) && name.length <= 255;
}

export function validateVolumeName(name: string): void {
  if (isVolumeName(name)) return;
  if (/^[a-zA-Z0-9]$/.test(name)) throw new CtuiError(`create ${name}: volume name is too short, names should be at least two alphanumeric characters`);
  throw new CtuiError(
    `create ${name}: "${name}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`,
  );
}

/** An anonymous volume's name: 64 hex digits, as docker makes them. */
export function randomVolumeName(): string {
  return randomBytes(32).toString('hex');
}
