import * as fs from 'node:fs';

/**
 * docker's "Are you sure you want to continue? [y/N]": the question goes to stdout, one line is read
 * from stdin (a terminal or a pipe, as `echo y | docker container prune` works); anything but y/yes,
 * or end of input, is a no.
 */
export function confirm(warning: string): boolean {
  process.stdout.write(`${warning}\nAre you sure you want to continue? [y/N] `);
  const buf = Buffer.alloc(1);
  let line = '';
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(0, buf, 0, 1, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      n = 0;
    }
    if (n === 0 || buf[0] === 0x0a) break;
    line += String.fromCharCode(buf[0]!);
  }
  return /^\s*y(es)?\s*$/i.test(line);
}
