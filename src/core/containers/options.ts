import * as fs from 'node:fs';
import { availableParallelism } from 'node:os';
import { CtuiError, systemReason } from '../errors.js';
import { normalizeCap } from '../bundle/caps.js';
import { parseBytes } from '../util/humanize.js';

/** What `create`/`run` were asked for, before anything is resolved against the store. */
export interface CreateOptions {
  readonly image: string;
  readonly cmd: readonly string[];
  readonly name?: string;
  /** undefined: the image's; '': none. */
  readonly entrypoint?: string;
  readonly env?: readonly string[];
  readonly envFiles?: readonly string[];
  readonly workdir?: string;
  readonly user?: string;
  readonly hostname?: string;
  readonly tty?: boolean;
  readonly interactive?: boolean;
  readonly rm?: boolean;
  /** The caller starts it right away (run): with rm, a repair marker makes --rm hold if it dies first. */
  readonly startsNow?: boolean;
  readonly init?: boolean;
  readonly privileged?: boolean;
  readonly readOnly?: boolean;
  readonly capAdd?: readonly string[];
  readonly capDrop?: readonly string[];
  readonly securityOpt?: readonly string[];
  readonly network?: string;
  readonly memory?: string;
  readonly memorySwap?: string;
  readonly cpus?: string;
  readonly pidsLimit?: number;
  readonly runtime?: string;
  readonly labels?: readonly string[];
  readonly restart?: string;
  readonly stopSignal?: string;
  readonly stopTimeout?: number;
  readonly healthCmd?: string;
  readonly healthInterval?: string;
  readonly healthTimeout?: string;
  readonly healthStartPeriod?: string;
  readonly healthRetries?: number;
  readonly noHealthcheck?: boolean;
  /** -v SRC:DST[:MODE] and -v DST (anonymous). */
  readonly volumes?: readonly string[];
  /** --mount type=...,... */
  readonly mounts?: readonly string[];
  /** --tmpfs DST[:OPTS] */
  readonly tmpfs?: readonly string[];
  /** --volumes-from CONTAINER[:ro|rw] */
  readonly volumesFrom?: readonly string[];
}

/** docker's --restart: no, always, unless-stopped, on-failure[:N]. */
export function parseRestart(v: string | undefined): { Name: 'no' | 'always' | 'unless-stopped' | 'on-failure'; MaximumRetryCount: number } {
  const s = v ?? 'no';
  const m = /^(no|always|unless-stopped|on-failure)(?::(\d+))?$/.exec(s);
  if (!m || (m[2] !== undefined && m[1] !== 'on-failure')) throw new CtuiError(`invalid restart policy: ${s}`);
  return { Name: m[1] as 'no', MaximumRetryCount: m[2] ? Number(m[2]) : 0 };
}

/** Go durations as docker's flags take them: 30s, 1m30s, 500ms, 1h. Returns nanoseconds. */
export function parseDuration(v: string | undefined, flag: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (v === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  const unit: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  let total = 0;
  let m: RegExpExecArray | null;
  let pos = 0;
  while ((m = re.exec(v)) !== null) {
    total += Number(m[1]) * unit[m[2]!]!;
    pos = re.lastIndex;
  }
  if (pos !== v.length || pos === 0) throw new CtuiError(`invalid argument "${v}" for "${flag}" flag: time: invalid duration "${v}"`);
  return Math.round(total);
}

export interface SecurityOptions {
  /** undefined: the default profile; else the value as given ('unconfined', a profile name or a file), see chooseProfile. */
  readonly seccomp?: string;
  readonly noNewPrivileges: boolean;
}

export function parseSecurityOpts(opts: readonly string[]): SecurityOptions {
  let seccomp: string | undefined;
  let noNewPrivileges = false;
  for (const raw of opts) {
    const [key = '', value] = raw.includes('=') ? [raw.slice(0, raw.indexOf('=')), raw.slice(raw.indexOf('=') + 1)] : raw.includes(':') ? [raw.slice(0, raw.indexOf(':')), raw.slice(raw.indexOf(':') + 1)] : [raw, undefined];
    switch (key) {
      case 'seccomp':
        if (!value) throw new CtuiError(`invalid --security-opt: ${raw}`);
        seccomp = value;
        break;
      case 'no-new-privileges':
        if (value === undefined || value === 'true') noNewPrivileges = true;
        else if (value === 'false') noNewPrivileges = false;
        else throw new CtuiError(`invalid --security-opt: ${raw}`);
        break;
      case 'label':
      case 'apparmor':
        // No SELinux or AppArmor on ctui's hosts yet: accepted as docker does on hosts without them.
        break;
      default:
        throw new CtuiError(`invalid --security-opt: ${raw}`);
    }
  }
  return { ...(seccomp !== undefined ? { seccomp } : {}), noNewPrivileges };
}

export function parseCpus(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = v.trim() === '' ? NaN : Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new CtuiError(`invalid argument "${v}" for "--cpus" flag: must be a positive number`);
  // docker's range: a quota below 1/100 of a CPU or above what the host has cannot be honoured.
  const cpus = availableParallelism();
  if (n < 0.01 || n > cpus) throw new CtuiError(`Range of CPUs is from 0.01 to ${cpus}.00, as there are only ${cpus} CPUs available`);
  return n;
}

/** docker: the working directory must be absolute (relative to what? the image's is not known yet). */
export function validateWorkdir(v: string | undefined): void {
  if (v !== undefined && v !== '' && !v.startsWith('/')) {
    throw new CtuiError(`the working directory '${v}' is invalid, it needs to be an absolute path`);
  }
}

export function parseMemory(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  if (v === '-1' && flag === '--memory-swap') return -1;
  let n: number;
  try {
    n = parseBytes(v);
  } catch {
    throw new CtuiError(`invalid argument "${v}" for "${flag}" flag: invalid size: '${v}'`);
  }
  // Beyond 2^53 a number is no longer exact (and the kernel caps limits far below): refuse it here
  // rather than have the cgroup write fail at start.
  if (!Number.isSafeInteger(n)) throw new CtuiError(`invalid argument "${v}" for "${flag}" flag: the value is too large`);
  if (flag === '--memory' && n < 6 * 1024 * 1024) throw new CtuiError('Minimum memory limit allowed is 6MB');
  return n;
}

export function parseNetwork(v: string | undefined): 'none' | 'host' | 'default' {
  const n = v ?? 'default';
  if (n === 'none' || n === 'host') return n;
  if (n === 'default' || n === 'bridge') return 'default';
  throw new CtuiError(`network ${n} not found`);
}

/** docker's env rules: KEY=VAL, or KEY alone to copy the caller's value (dropped when unset). */
export function parseEnv(list: readonly string[], files: readonly string[]): string[] {
  const out: string[] = [];
  const take = (entry: string, where: string) => {
    const t = entry.trim();
    if (t === '' || t.startsWith('#')) return;
    const eq = entry.indexOf('=');
    if (eq === 0) throw new CtuiError(`invalid environment variable: ${entry}${where}`);
    if (eq < 0) {
      const v = process.env[t];
      if (v !== undefined) out.push(`${t}=${v}`);
      return;
    }
    out.push(entry);
  };
  for (const f of files) {
    let text: string;
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch (err) {
      throw new CtuiError(`open ${f}: ${systemReason(err)}`);
    }
    for (const line of text.split('\n')) take(line.replace(/\r$/, '').replace(/^\s+/, ''), ` (in ${f})`);
  }
  for (const e of list) take(e, '');
  return out;
}

/** Merges env lists: later entries override earlier ones with the same key, order kept. */
export function mergeEnv(...lists: ReadonlyArray<readonly string[]>): string[] {
  const map = new Map<string, string>();
  for (const list of lists) {
    for (const e of list) {
      const eq = e.indexOf('=');
      const k = eq < 0 ? e : e.slice(0, eq);
      map.delete(k);
      map.set(k, e);
    }
  }
  return [...map.values()];
}

export function validateCaps(list: readonly string[]): void {
  for (const c of list) normalizeCap(c);
}

/** docker's checks of the limits against each other (daemon's verifyPlatformContainerResources). */
export function validateMemory(memory: number | undefined, swap: number | undefined): void {
  if (swap !== undefined && swap > 0 && !memory) throw new CtuiError('You should always set the Memory limit when using Memoryswap limit, see usage');
  if (swap !== undefined && swap > 0 && memory && swap < memory) throw new CtuiError('Minimum memoryswap limit should be larger than memory limit, see usage');
}

/** A whole number of seconds (docker's flag is an int); undefined when not given. */
export function validateStopTimeout(v: number | undefined): void {
  if (v !== undefined && !Number.isInteger(v)) throw new CtuiError(`invalid argument "${v}" for "--stop-timeout" flag: must be a whole number of seconds`);
}

/** docker's healthcheck limits: durations of at least 1ms (0: the default), retries not negative. */
export function validateHealth(h: { Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number }): void {
  for (const [k, v] of [['Interval', h.Interval], ['Timeout', h.Timeout], ['StartPeriod', h.StartPeriod]] as const) {
    if (v !== undefined && v !== 0 && v < 1e6) throw new CtuiError(`${k} in Healthcheck cannot be less than 1ms`);
  }
  if (h.Retries !== undefined && (!Number.isInteger(h.Retries) || h.Retries < 0)) throw new CtuiError('--health-retries cannot be negative');
}

/** The kernel keeps 64 bytes of hostname: a longer one fails the container's start, not its create. */
export function validateHostname(v: string | undefined): void {
  if (v === undefined || v === '') return;
  if (Buffer.byteLength(v) > 64) throw new CtuiError(`invalid hostname "${v.slice(0, 20)}…": longer than 64 characters`);
  if (/[\x00-\x20\x7f/]/.test(v)) throw new CtuiError(`invalid hostname ${JSON.stringify(v)}`);
}

/**
 * `-u name|uid[:group|gid]`: a name is looked up in the container later; what cannot be a name or an
 * id at all is refused now (a newline or a NUL would reach the runtime's lookup and its error text).
 * Ids are runc's range (0-2147483647), so both runtimes take the same users.
 */
export function validateUserSpec(v: string | undefined): void {
  if (v === undefined || v === '') return;
  const parts = v.split(':');
  if (parts.length > 2 || /[\x00-\x1f\x7f]/.test(v)) throw new CtuiError(`invalid user: ${JSON.stringify(v)}`);
  for (const p of parts) {
    if (/^\d+$/.test(p) && Number(p) > 2147483647) throw new CtuiError('uids and gids must be in range 0-2147483647');
    if (/^[+-]?\s*\d/.test(p) && !/^\d+$/.test(p)) throw new CtuiError(`invalid user: ${JSON.stringify(v)}`);
  }
}
