import { classifyFailure } from '../core/errors.js';
import { parseGlobals } from './parse.js';

/**
 * Tells the user about a failure: one line on stderr (scripts match on it), the stack as well with
 * --debug; an internal error (a bug) is told as one and asks for a report. Returns the exit code.
 */
export function reportFailure(err: unknown, prefix = 'ctui: '): number {
  const failure = classify(err);
  process.stderr.write(`${prefix}${failure.line}\n`);
  if (invocation().debug && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
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

/**
 * --debug as the parser reads it: a global flag before the verb. A `-D` in the container's command
 * (`ctui exec c grep -D x`) is the command's own, neither a request for stacks nor cut from the
 * command the bug hint repeats.
 */
function invocation(): { debug: boolean; command: string } {
  const argv = process.argv.slice(2);
  try {
    const { globals, rest } = parseGlobals(argv);
    const lead = argv.slice(0, argv.length - rest.length).filter((a) => a !== '--debug' && a !== '-D');
    return { debug: globals.debug, command: [...lead, ...rest].join(' ') };
  } catch {
    return { debug: false, command: argv.join(' ') };
  }
}

function classify(err: unknown) {
  return classifyFailure(err, invocation().command);
}

/** The line reportFailure would print, for commands that print their errors in order with their output. */
export function failureLine(err: unknown): string {
  return classify(err).line;
}
