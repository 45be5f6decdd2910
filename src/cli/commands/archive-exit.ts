import { CtuiError, oneLine } from '../../core/errors.js';

/**
 * save and load fail with exit status 1, as docker's do (125 is docker's code for `run` failing
 * before the container starts); "no such image" and conflicts already carry 1.
 */
export async function withExitCode<T>(code: number, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CtuiError && err.exitCode === code) throw err;
    const wrapped = new CtuiError(oneLine(err), code);
    if (err instanceof Error && err.stack) wrapped.stack = err.stack;
    throw wrapped;
  }
}
