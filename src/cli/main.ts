import { classifyFailure } from '../core/errors.js';
import { trace } from '../core/util/trace.js';
import { createContext } from './context.js';
import { parseCommandLine } from './parse.js';

/** The CLI entry: parse, then run one command; errors become one line and docker's exit code. */
export async function main(argv: readonly string[]): Promise<void> {
  trace('cli: loaded');
  const debug = argv.includes('--debug') || argv.includes('-D');
  try {
    const parsed = parseCommandLine(argv);
    trace('cli: parsed');
    if (parsed.kind === 'tui') {
      // No verb: the terminal UI. Loaded lazily, so CLI verbs never pay for Ink/React.
      const { startTui } = await import('../ui/start.js');
      const { createTuiHost } = await import('./tuihost.js');
      process.exitCode = await startTui({ root: parsed.globals.root, host: createTuiHost(process.env, parsed.globals.root) });
      return;
    }
    if (parsed.kind === 'help') {
      const { showHelp } = await import('./help.js');
      await showHelp(parsed.path);
      return;
    }
    const ctx = createContext(parsed.globals.root, parsed.globals.debug, parsed.trailing);
    const code = await parsed.def.run(ctx, parsed.args);
    process.exitCode = typeof code === 'number' ? code : 0;
  } catch (err) {
    // One line always (scripts match on it); the stack only with --debug.
    const failure = classifyFailure(err, argv.filter((a) => a !== '--debug' && a !== '-D').join(' '));
    process.stderr.write(`ctui: ${failure.line}\n`);
    if (debug && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
    process.exitCode = failure.exitCode;
  }
}
