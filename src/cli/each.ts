import { reportFailure } from './report.js';
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
      const code = reportFailure(err);
      status = code !== 125 ? code : 1;
    }
  }
  return status;
}
