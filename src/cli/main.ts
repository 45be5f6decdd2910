import { CtuiError, oneLine } from '../core/errors.js';
import { trace } from '../core/util/trace.js';
import { createContext } from './context.js';
import { parseCommandLine } from './parse.js';

/** A CtuiError from another bundle (the UI's, help's: each has its own class) by its shape. */
function exitCodeOf(err: unknown): number {
  const code = (err as { exitCode?: unknown } | null)?.exitCode;
  return err instanceof Error && Number.isInteger(code) && (code as number) > 0 && (code as number) < 256 ? (code as number) : 125;
}

/** The CLI entry: parse, then run one command; errors become one line and docker's exit code. */
export async function main(argv: readonly string[]): Promise<void> {
  trace('cli: loaded');
  const debug = argv.includes('--debug') || argv.includes('-D');
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
    const ctx = createContext(parsed.globals.root, parsed.globals.debug, parsed.trailing);
    const code = await parsed.def.run(ctx, parsed.args);
    process.exitCode = typeof code === 'number' ? code : 0;
  } catch (err) {
    if (debug && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
    else process.stderr.write(`ctui: ${oneLine(err)}\n`);
    // The UI and help bundles have their own CtuiError class: its exit code is read by shape.
    process.exitCode = err instanceof CtuiError ? err.exitCode : exitCodeOf(err);
  }
}
