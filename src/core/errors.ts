/**
 * Errors by intent (as Shopify cli-kit's AbortError vs BugError): a CtuiError is a failure the user
 * can act on (a bad flag, a missing container, a conflict, the host refusing something), told in
 * one line that says what went wrong and what to do. Anything else that reaches the top (a
 * TypeError, an assertion) is ctui's own bug and is reported as one (see classifyFailure).
 * Each CtuiError carries docker's exit code so the CLI can exit as docker would:
 * 125 ctui itself failed, 126 the command cannot be invoked, 127 the command was not found,
 * 1 for the "no such object" / conflict errors docker's non-run commands report.
 */
/**
 * The CLI, the UI and help are separate bundles, each with its own copy of this class, so
 * instanceof fails across them: a registry-wide symbol marks a user error in any of them.
 */
const USER_ERROR = Symbol.for('ctui.user-error');

export class CtuiError extends Error {
  readonly exitCode: number;
  readonly [USER_ERROR] = true;
  constructor(message: string, exitCode = 125) {
    super(message);
    this.name = 'CtuiError';
    this.exitCode = exitCode;
  }
}

/** A CtuiError from this bundle or another one. */
export function isUserError(err: unknown): err is CtuiError {
  if (err instanceof CtuiError) return true;
  const code = (err as { exitCode?: unknown } | null)?.exitCode;
  return err instanceof Error && (err as unknown as Record<symbol, unknown>)[USER_ERROR] === true && Number.isInteger(code) && (code as number) > 0 && (code as number) < 256;
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

/**
 * A Node system error (errno code and syscall): the host refused something (EACCES, ENOSPC, EROFS,
 * EMFILE ...). Not a bug of ctui's, but told with what to do, never as a raw "EACCES: ..." line.
 */
export function isSystemError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof errnoCode(err) === 'string' && /^E[A-Z0-9]+$/.test(errnoCode(err)!) && 'syscall' in err;
}

/**
 * What to do about the host errors a user can meet; the rest read as Go's "op path: reason" (a full
 * disk too: docker's line ends with "no space left on device", and scripts match on it).
 */
const SYSTEM_HINTS: Readonly<Record<string, string>> = {
  EACCES: 'ctui needs root for this (run it as root, or use --root with a store you own)',
  EPERM: 'ctui needs root for this (run it as root)',
  EROFS: 'the store is on a read-only filesystem: use --root with a writable directory',
  EMFILE: 'raise the open files limit (ulimit -n)',
  ENFILE: 'raise the system open files limit (fs.file-max)',
};

/**
 * What the host said, without Node's decoration: "no such file or directory" from "ENOENT: no such
 * file or directory, open '/x.tmp-1-ab'" (a temp name is ours, not the user's path).
 */
export function systemReason(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return /^E[A-Z0-9]+: (.+?)(?:, \w+(?: '.*')?)?$/.exec(msg)?.[1] ?? msg;
}

export interface Failure {
  /** The one line for stderr (without the "ctui: " prefix). */
  readonly line: string;
  readonly exitCode: number;
  /** A bug: the line asks for a report. */
  readonly internal: boolean;
}

/**
 * The one place that turns what reached the top into a line and an exit code: a CtuiError as it is;
 * a host error with a hint; anything else as an internal error that asks for a report.
 */
export function classifyFailure(err: unknown, command: string): Failure {
  if (isUserError(err)) return { line: oneLine(err), exitCode: err.exitCode, internal: false };
  if (isSystemError(err)) {
    const hint = SYSTEM_HINTS[err.code!];
    return { line: hint ? `${oneLine(err)}: ${hint}` : oneLine(err), exitCode: 125, internal: false };
  }
  const msg = err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${oneLine(err)}` : oneLine(err);
  return {
    line: `internal error: ${msg} (this is a bug in ctui: please report it with the output of \`ctui --debug ${command}\`)`,
    exitCode: 125,
    internal: true,
  };
}
