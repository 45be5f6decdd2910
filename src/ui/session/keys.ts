import type { InkKey } from '../keymap.js';

/**
 * Ink parses the terminal's bytes into keys; an in-pane session needs bytes again for the container's
 * tty. This maps Ink's keys back to what an xterm sends (the common keys; others pass as typed).
 */
export function keyBytes(input: string, k: InkKey): string {
  if (k.upArrow) return '\x1b[A';
  if (k.downArrow) return '\x1b[B';
  if (k.rightArrow) return '\x1b[C';
  if (k.leftArrow) return '\x1b[D';
  if (k.pageUp) return '\x1b[5~';
  if (k.pageDown) return '\x1b[6~';
  if (k.home) return '\x1b[H';
  if (k.end) return '\x1b[F';
  if (k.return) return '\r';
  if (k.escape) return '\x1b';
  if (k.tab) return k.shift ? '\x1b[Z' : '\t';
  if (k.backspace || k.delete) return '\x7f';
  if (k.ctrl && input.length === 1) {
    const c = input.toLowerCase().charCodeAt(0);
    if (c >= 97 && c <= 122) return String.fromCharCode(c - 96);
  }
  return (k.meta ? '\x1b' : '') + input;
}

/**
 * One of our own keys (ctrl-t, ctrl-g) inside a chunk of several keys for the session: typed fast or
 * while the UI was busy, one read holds e.g. enter and ctrl-t, which Ink hands over as one "key".
 * Returns where the first of them is, or undefined (none, or the chunk is a single key).
 */
export function findOwnKey(input: string, k: InkKey, keys: readonly string[]): { before: string; key: string; after: string } | undefined {
  if (input.length < 2 || k.ctrl || k.meta) return undefined;
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c < 1 || c > 26) continue;
    const key = `ctrl-${String.fromCharCode(c + 96)}`;
    if (keys.includes(key)) return { before: input.slice(0, i), key, after: input.slice(i + 1) };
  }
  return undefined;
}
