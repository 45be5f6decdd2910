import { classifyFailure } from '../core/errors.js';
import { stringList } from './flags.js';

/**
 * Runs fn for each name, as docker's multi-name verbs do (rm, rmi, stop, kill...): go on after a
 * failure, one line per error on stderr, exit 1 if any failed (or the error's own code).
 */
export async function forEachName(names: unknown, fn: (name: string) => Promise<void>): Promise<number> {
  let status = 0;
  for (const name of stringList(names)) {
    try {
      await fn(name);
    } catch (err) {
      const f = classifyFailure(err, process.argv.slice(2).join(' '));
      process.stderr.write(`ctui: ${f.line}\n`);
      if (process.argv.includes('--debug') && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
      status = f.exitCode !== 125 ? f.exitCode : 1;
    }
  }
  return status;
}
