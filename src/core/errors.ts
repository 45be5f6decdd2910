/**
 * Errors that reach the user. Each carries docker's exit code so the CLI can exit as docker would:
 * 125 ctui itself failed, 126 the command cannot be invoked, 127 the command was not found,
 * 1 for the "no such object" / conflict errors docker's non-run commands report.
 */
export class CtuiError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 125) {
    super(message);
    this.name = 'CtuiError';
    this.exitCode = exitCode;
  }
}

export class NotFoundError extends CtuiError {
  constructor(message: string, exitCode = 1) {
    super(message, exitCode);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends CtuiError {
  constructor(message: string, exitCode = 1) {
    super(message, exitCode);
    this.name = 'ConflictError';
  }
}

/** A failure reported by the native helper or a runtime. */
export class RuntimeError extends CtuiError {
  constructor(message: string, exitCode = 125) {
    super(message, exitCode);
    this.name = 'RuntimeError';
  }
}

/** Node's fs errors carry a code; narrow unknown to it. */
export function errnoCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** One line for the user: no stack, no multi-line noise. */
export function oneLine(err: unknown): string {
  let msg = err instanceof Error ? err.message : String(err);
  // Node's system errors ("ENOSPC: no space left on device, write", "EACCES: permission denied,
  // open '/x'") read as Go's, as docker's do: "write: no space left on device", "open /x: ...".
  const sys = /^E[A-Z]+: (.+?), (\w+)(?: '([^']*)')?(?: -> '[^']*')?$/.exec(msg);
  if (sys && !(err instanceof CtuiError)) msg = `${sys[2]}${sys[3] ? ` ${sys[3]}` : ''}: ${sys[1]}`;
  return msg.replace(/\s*\n\s*/g, ' ').trim();
}
