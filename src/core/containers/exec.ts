import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { constants as osConstants } from 'node:os';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { ConflictError, CtuiError, NotFoundError, RuntimeError } from '../errors.js';
import { hostBoundingCaps } from '../bundle/caps.js';
import type { OciSpec } from '../bundle/spec.js';
import { resolveRuntime, type OciRuntime } from '../runtime/oci.js';
import type { Store } from '../store/store.js';
import { readJsonSync, writeJsonAtomicSync } from '../util/fs.js';
import { recordEvent } from './lifecycle.js';
import type { ContainerRecord } from './model.js';
import { monitorBinary } from './monitor.js';
import { watchInput, type Session, type SessionEnd } from './session.js';
import { mergeEnv, parseEnv, validateUserSpec } from './options.js';
import { resolveUser } from './users.js';

export interface ExecOptions {
  readonly cmd: readonly string[];
  readonly interactive?: boolean;
  readonly tty?: boolean;
  readonly detach?: boolean;
  readonly env?: readonly string[];
  readonly envFiles?: readonly string[];
  readonly user?: string;
  readonly workdir?: string;
  readonly privileged?: boolean;
  /** Ends the exec at once (the runtime is killed; the pty it held closes, so the process gets a hangup). */
  readonly signal?: AbortSignal;
}

/** A prepared exec: the process file the runtime reads and the command line's common part. */
interface PreparedExec {
  readonly record: ContainerRecord;
  readonly rt: OciRuntime;
  readonly procFile: string;
  /** `--root R exec --process F`: the caller adds its flags and the container id. */
  readonly args: string[];
  readonly id: string;
}

/** Checks the container and writes the process the runtime will start (its env, user, caps, cwd). */
function prepareExec(store: Store, nameOrId: string, o: ExecOptions): PreparedExec {
  if (o.cmd.length === 0) throw new CtuiError(`exec: "ctui exec" requires at least 2 arguments, a container and a command (see 'ctui exec --help')`);
  const id = store.containers.resolve(nameOrId);
  const v = store.containers.get(id);
  if (!v) throw new NotFoundError(`No such container: ${nameOrId}`);
  const r = v.record;
  if (v.state.Status === 'paused') throw new ConflictError(`Container ${id} is paused, unpause the container before exec`, 1);
  if (v.state.Status !== 'running') throw new ConflictError(`Container ${id} is not running`, 1);
  const spec = readJsonSync<OciSpec>(path.join(store.layout.containerBundle(id), 'config.json'));
  if (!spec) throw new CtuiError(`container ${r.Name} has no bundle`);
  const rt = resolveRuntime(r.HostConfig.Runtime, store.layout);
  const inRuntime = rt.name === 'ctui';
  const env = mergeEnv(spec.process.env, parseEnv(o.env ?? [], o.envFiles ?? []), o.tty ? ['TERM=xterm'] : []);
  const caps = o.privileged ? [...hostBoundingCaps()] : spec.process.capabilities.bounding;
  const proc: Record<string, unknown> = {
    terminal: Boolean(o.tty),
    args: [...o.cmd],
    env,
    cwd: o.workdir || spec.process.cwd,
    capabilities: { bounding: caps, effective: caps, permitted: caps, inheritable: [], ambient: [] },
    noNewPrivileges: spec.process.noNewPrivileges,
  };
  try {
    validateUserSpec(o.user);
  } catch (err) {
    throw new CtuiError((err as Error).message, 126);
  }
  const userSpec = o.user ?? r.Config.User;
  if (inRuntime) {
    // Resolved by the runtime inside the container (src/native/runtime/userdb.c). A name it will not
    // find is told here first, in docker's words and with its 126 (the runtime's own line would
    // reach the terminal as it is).
    if (userSpec && !/^\d+(:\d+)?$/.test(userSpec)) resolveUser({ pid: v.state.Pid, containerId: id }, userSpec, { exitCode: 126 });
    proc.user = { uid: 0, gid: 0 };
    proc.ctuiUser = userSpec;
  } else {
    // Looked up inside the container's mount namespace: its files, never the host's. docker: an exec
    // that cannot get its user is one that cannot be invoked (126).
    const u = resolveUser({ pid: v.state.Pid, containerId: id }, userSpec || undefined, { exitCode: 126 });
    proc.user = { uid: u.uid, gid: u.gid, ...(u.additionalGids.length ? { additionalGids: u.additionalGids } : {}) };
    if (!env.some((e) => e.startsWith('HOME='))) (proc.env as string[]).push(`HOME=${u.home}`);
  }
  const procFile = path.join(store.layout.containerDir(id), `exec-${process.pid}-${randomBytes(4).toString('hex')}.json`);
  writeJsonAtomicSync(procFile, proc);
  return { record: r, rt, procFile, args: ['--root', rt.stateRoot, 'exec', '--process', procFile], id };
}

function exitCodeOf(c: number | null, sig: NodeJS.Signals | null): number {
  return sig ? 128 + (osConstants.signals[sig] ?? 0) : (c ?? 125);
}

/**
 * `exec`: a new process in a running container, through the runtime's exec verb (which joins the
 * container's namespaces, cgroups, root, capabilities and seccomp filter). Foreground execs get our stdio
 * (and, with -t, a pty the runtime proxies); the result is the process's exit code (126/127 when it cannot
 * be started, as docker).
 */
export async function execInContainer(store: Store, nameOrId: string, o: ExecOptions): Promise<number> {
  const x = prepareExec(store, nameOrId, o);
  const args = [...x.args];
  if (o.tty) args.push('--tty');
  if (o.detach) args.push('--detach');
  args.push(x.id);
  const execId = randomBytes(32).toString('hex');
  recordEvent(store, x.record, `exec_start: ${o.cmd.join(' ')}`, { execID: execId });
  try {
    const child = spawn(x.rt.binary, args, {
      stdio: o.detach ? ['ignore', 'ignore', 'inherit'] : [o.interactive || o.tty ? 'inherit' : 'ignore', 'inherit', 'inherit'],
    });
    // Terminal-made signals reach the runtime through the process group; keep ctui alive meanwhile.
    const ignore = () => {};
    const forward = (sig: NodeJS.Signals) => child.kill(sig);
    for (const s of ['SIGINT', 'SIGQUIT', 'SIGTSTP'] as const) process.on(s, ignore);
    for (const s of ['SIGTERM', 'SIGHUP'] as const) process.on(s, forward);
    const abort = () => child.kill('SIGKILL');
    o.signal?.addEventListener('abort', abort, { once: true });
    if (o.signal?.aborted) abort();
    const code = await new Promise<number>((resolve, reject) => {
      child.on('error', (err) => reject(new RuntimeError(`cannot run ${x.rt.binary}: ${err.message}`)));
      child.on('close', (c, sig) => resolve(exitCodeOf(c, sig)));
    });
    for (const s of ['SIGINT', 'SIGQUIT', 'SIGTSTP'] as const) process.off(s, ignore);
    for (const s of ['SIGTERM', 'SIGHUP'] as const) process.off(s, forward);
    o.signal?.removeEventListener('abort', abort);
    if (!o.detach) recordEvent(store, x.record, 'exec_die', { execID: execId, exitCode: String(code) });
    return code;
  } finally {
    fs.rmSync(x.procFile, { force: true });
  }
}

/** An exec whose terminal is not ours: the TUI's pane. */
export interface ExecSessionOptions extends Pick<ExecOptions, 'cmd' | 'env' | 'user' | 'workdir' | 'privileged'> {
  /** Keys for the process's terminal. */
  readonly stdin: Readable;
  /** What the process's terminal shows (escape sequences and all). */
  readonly stdout: Writable;
  readonly size: { rows: number; cols: number };
  /** Keys that end the session (the process's terminal hangs up): "ctrl-p,ctrl-q" by default. */
  readonly detachKeys?: string;
}

/**
 * An exec with a pty that we drive over pipes (ctui-monitor --exec-tty holds the master, the
 * runtime runs the process detached and hands the master over its console socket): bytes in and
 * out through streams, the window size from resize(). detach() ends it: the terminal hangs up, as
 * when a terminal window closes. done rejects when the process could not be started (the runtime's
 * line: executable not found, 126/127 as docker).
 */
export async function openExecSession(store: Store, nameOrId: string, o: ExecSessionOptions): Promise<Session> {
  const x = prepareExec(store, nameOrId, { ...o, tty: true });
  const tag = `exec-${process.pid}-${randomBytes(4).toString('hex')}`;
  // Relative names (the proxy and runtime run in the container's dir): a unix socket path has 108 bytes.
  const sock = `${tag}.sock`;
  const pidFile = `${tag}.pid`;
  const args = [...x.args, '--tty', '--detach', '--console-socket', sock, '--pid-file', pidFile, x.id];
  const cwd = store.layout.containerDir(x.id);
  const execId = randomBytes(32).toString('hex');
  recordEvent(store, x.record, `exec_start: ${o.cmd.join(' ')}`, { execID: execId });
  const child = spawn(monitorBinary(), ['--exec-tty', sock, pidFile, '--', x.rt.binary, ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
  const control = child.stdio[3] as Writable;
  const resize = (rows: number, cols: number) => {
    if (control.writable) control.write(`${rows} ${cols}\n`);
  };
  resize(o.size.rows, o.size.cols);
  control.on('error', () => {}); // the proxy gone: its exit says why
  child.stdin!.on('error', () => {});
  let detached = false;
  const unwatch = watchInput(o.stdin, o.detachKeys, (d) => child.stdin!.write(d), () => hangUp());
  // Piped: a reader slower than a flooding program holds the proxy back (the pty fills, the program waits).
  child.stdout!.pipe(o.stdout, { end: false });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString('utf8')).slice(-4096)));
  const done = new Promise<SessionEnd>((resolve, reject) => {
    child.on('error', (e) => reject(new RuntimeError(`cannot run ${monitorBinary()}: ${e.message}`)));
    child.on('close', (c, sig) => {
      unwatch();
      fs.rmSync(x.procFile, { force: true });
      for (const f of [sock, pidFile]) fs.rmSync(path.join(cwd, f), { force: true });
      const code = exitCodeOf(c, sig);
      recordEvent(store, x.record, 'exec_die', { execID: execId, exitCode: String(code) });
      // The proxy's one `err CODE MESSAGE` line: the process never started (or the proxy failed).
      const failed = /^err (\d+) (.*)$/m.exec(err);
      if (detached) resolve({ kind: 'detach' });
      else if (failed) reject(new RuntimeError(failed[2]!.replace(/^ctui-runtime: /, ''), Number(failed[1])));
      else resolve({ kind: 'exit', code });
    });
  });
  const hangUp = () => {
    detached = true;
    // The screen is nobody's now: a reader that stopped reading must not keep the end from coming.
    child.stdout!.unpipe(o.stdout);
    child.stdout!.destroy();
    child.kill('SIGTERM');
  };
  return { done, resize, detach: hangUp };
}
