/**
 * What the UI needs from outside the engine, given by the CLI side (src/cli/tuihost.ts): the UI itself
 * never touches the filesystem or child processes (DESIGN §1). Saving a log is a plain file write the
 * CLI already knows how to do, not a container operation, so it lives here rather than on the Engine.
 */
export interface TuiHost {
  /** The user's keys.json, if there is one: its text and where it came from (for messages). */
  readKeyConfig(): { text: string; source: string } | undefined;
  /** Where keys.json is looked for (the help names it), whether or not it exists. */
  keyConfigPath(): string;
  /** Writes text to path (relative to the working directory); resolves with the absolute path. */
  writeFile(path: string, text: string): Promise<string>;
  /** The keys that end an attach (docker's --detach-keys syntax, "ctrl-p,ctrl-q" when unset). */
  detachKeys(): string | undefined;
  /** The command last run by exec in a container of this image (the state file), if any. */
  lastExec(image: string): string | undefined;
  /** Remembers it for the next exec on this image (best effort: a failed write is not an error). */
  rememberExec(image: string, command: string): void;
  /**
   * Runs a custom command's line with the user's shell: on the terminal (stdio inherited; the UI has
   * handed it over) or with its output given to onOutput. Resolves with its exit code, never rejects.
   */
  runCommand(line: string, o: { terminal: boolean; signal?: AbortSignal; onOutput?: (text: string) => void }): Promise<{ code: number; error?: string }>;
  /** Timing marks for bench/tui.mjs (CTUI_TUI_TRACE=FILE); a no-op otherwise. */
  trace(mark: string): void;
}

/** For snapshots and tests: nothing to read, writes refused. */
export const nullHost: TuiHost = {
  readKeyConfig: () => undefined,
  keyConfigPath: () => '$XDG_CONFIG_HOME/ctui/keys.json',
  writeFile: () => Promise.reject(new Error('no file system here')),
  trace: () => {},
  detachKeys: () => undefined,
  lastExec: () => undefined,
  rememberExec: () => {},
  runCommand: () => Promise.resolve({ code: 127, error: 'no shell here' }),
};
