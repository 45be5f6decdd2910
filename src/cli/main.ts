import { trace } from '../core/util/trace.js';
import { createContext } from './context.js';
import { parseCommandLine } from './parse.js';
import { reportFailure, reportUncaught } from './report.js';

/** The CLI entry: parse, then run one command; errors become one line and docker's exit code. */
export async function main(argv: readonly string[]): Promise<void> {
  trace('cli: loaded');
  // The shells' completion helper: hidden from help, and silent whatever happens.
  if (argv[0] === '__complete') return (await import('./complete.js')).runComplete(argv.slice(1));
  try {
    const parsed = parseCommandLine(argv);
    trace('cli: parsed');
    if (parsed.kind === 'tui') {
      // No verb: the terminal UI, a bundle of its own (so CLI verbs never pay for Ink/React).
      const { runTui } = await import('../ui/entry.js');
      process.exitCode = await runTui(parsed.globals.root, process.env);
      return;
    }
    if (parsed.kind === 'help') {
      // yargs renders help: a bundle of its own too (~160 kB no other path needs).
      const { showHelp } = await import('./help.js');
      await showHelp(parsed.path);
      return;
    }
    reportUncaught();
    const ctx = createContext(parsed.globals.root, parsed.globals.debug, parsed.trailing);
    const code = await parsed.def.run(ctx, parsed.args);
    process.exitCode = typeof code === 'number' ? code : 0;
  } catch (err) {
    process.exitCode = reportFailure(err);
  }
}
