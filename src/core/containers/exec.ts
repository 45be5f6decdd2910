import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { constants as osConstants } from 'node:os';
import * as path from 'node:path';
import { ConflictError, CtuiError, NotFoundError, RuntimeError } from '../errors.js';
import { hostBoundingCaps } from '../bundle/caps.js';
import type { OciSpec } from '../bundle/spec.js';
import { resolveRuntime } from '../runtime/oci.js';
import type { Store } from '../store/store.js';
import { readJsonSync, writeJsonAtomicSync } from '../util/fs.js';
import { recordEvent } from './lifecycle.js';
import { mergeEnv, parseEnv } from './options.js';
import { resolveUser } from './rootfs.js';

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

/**
 * `exec`: a new process in a running container, through the runtime's exec verb (which joins the
 * container's namespaces, cgroups, root, capabilities and seccomp filter). Foreground execs get our stdio
 * (and, with -t, a pty the runtime proxies); the result is the process's exit code (126/127 when it cannot
 * be started, as docker).
 */
export async function execInContainer(store: Store, nameOrId: string, o: ExecOptions): Promise<number> {
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
  const userSpec = o.user ?? r.Config.User;
  if (inRuntime) {
    // Resolved by the runtime inside the container (src/native/runtime/userdb.c).
    proc.user = { uid: 0, gid: 0 };
    proc.ctuiUser = userSpec;
  } else {
    // Read through /proc/PID/root with in-root symlink resolution: the container's files, never the host's.
    const u = resolveUser(`/proc/${v.state.Pid}/root`, userSpec || undefined);
    proc.user = { uid: u.uid, gid: u.gid, ...(u.additionalGids.length ? { additionalGids: u.additionalGids } : {}) };
    if (!env.some((e) => e.startsWith('HOME='))) (proc.env as string[]).push(`HOME=${u.home}`);
  }
  const procFile = path.join(store.layout.containerDir(id), `exec-${process.pid}-${randomBytes(4).toString('hex')}.json`);
  writeJsonAtomicSync(procFile, proc);
  const args = ['--root', rt.stateRoot, 'exec', '--process', procFile];
  if (o.tty) args.push('--tty');
  if (o.detach) args.push('--detach');
  args.push(id);
  const execId = randomBytes(32).toString('hex');
  recordEvent(store, r, `exec_start: ${o.cmd.join(' ')}`, { execID: execId });
  try {
    const child = spawn(rt.binary, args, {
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
      child.on('error', (err) => reject(new RuntimeError(`cannot run ${rt.binary}: ${err.message}`)));
      child.on('close', (c, sig) => resolve(sig ? 128 + (osConstants.signals[sig] ?? 0) : (c ?? 125)));
    });
    for (const s of ['SIGINT', 'SIGQUIT', 'SIGTSTP'] as const) process.off(s, ignore);
    for (const s of ['SIGTERM', 'SIGHUP'] as const) process.off(s, forward);
    o.signal?.removeEventListener('abort', abort);
    if (!o.detach) recordEvent(store, r, 'exec_die', { execID: execId, exitCode: String(code) });
    return code;
  } finally {
    fs.rmSync(procFile, { force: true });
  }
}
