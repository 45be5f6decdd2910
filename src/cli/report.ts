import { classifyFailure } from '../core/errors.js';

/**
 * Tells the user about a failure: one line on stderr (scripts match on it), the stack as well with
 * --debug; an internal error (a bug) is told as one and asks for a report. Returns the exit code.
 */
export function reportFailure(err: unknown, prefix = 'ctui: '): number {
  const debug = process.argv.includes('--debug') || process.argv.includes('-D');
  const failure = classify(err);
  process.stderr.write(`${prefix}${failure.line}\n`);
  if (debug && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
  return failure.exitCode;
}

/**
 * What escapes every handler (an error event nobody listened to, a rejected promise nobody
 * awaited) gets the same treatment instead of Node's raw stack and exit code 1.
 */
export function reportUncaught(): void {
  const fatal = (err: unknown) => {
    process.exitCode = reportFailure(err);
    process.exit();
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
}

function classify(err: unknown) {
  return classifyFailure(err, process.argv.slice(2).filter((a) => a !== '--debug' && a !== '-D').join(' '));
}

/** The line reportFailure would print, for commands that print their errors in order with their output. */
export function failureLine(err: unknown): string {
  return classify(err).line;
}
