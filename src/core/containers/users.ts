import { spawnSync } from 'node:child_process';
import { CtuiError, RuntimeError } from '../errors.js';
import { runtimeBinary } from '../helper/native.js';
import { pidStartTime } from '../util/fs.js';
import { containerProcessAlive } from './monitor.js';

/**
 * docker's `-u user[:group]` for runtimes that take numeric ids (runc, crun), and the login shell of
 * a running container's user. Never read from the host through the container's paths: the lookup
 * runs in ctui-runtime's `_user`, which joins the running container's mount namespace (or chroots
 * into a rootfs that nothing runs in yet) before it opens /etc/passwd, so a container swapping its
 * files for symlinks cannot make the host's files be read (src/native/runtime/usercmd.c).
 */

export interface ResolvedUser {
  readonly uid: number;
  readonly gid: number;
  readonly additionalGids: number[];
  readonly home: string;
  readonly shell?: string;
  /** With loginShell: the user's shell if executable there, else /bin/bash, else /bin/sh. */
  readonly login?: string;
}

/** Where to look: a running container (its init's pid) or a rootfs not yet running. */
export type UserSource = { readonly pid: number; readonly containerId: string } | { readonly rootfs: string };

/** One clear line for an unknown user/group (docker's words); exit code 126 for exec, 125 elsewhere. */
export function resolveUser(where: UserSource, spec: string | undefined, opts: { loginShell?: boolean; exitCode?: number } = {}): ResolvedUser {
  const args = ['_user'];
  if ('pid' in where) {
    // The pid must be the container's (a recycled pid could be a host process, whose "/" is the
    // host's): its start time read first, then its cgroup checked; the helper re-checks the start
    // time through a pidfd before it joins.
    const start = pidStartTime(where.pid);
    if (!start || !containerProcessAlive(where.pid, where.containerId)) throw new CtuiError(`container ${where.containerId} is not running`, opts.exitCode ?? 125);
    args.push('--pid', String(where.pid), '--start-time', String(start));
  } else {
    args.push('--rootfs', where.rootfs);
  }
  if (opts.loginShell) args.push('--login-shell');
  args.push('--', spec ?? '');
  const r = spawnSync(runtimeBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (r.error) throw new RuntimeError(`native helper: ${r.error.message}`);
  if (r.status !== 0) {
    const msg = r.stderr.trim().split('\n').pop() || `exit status ${r.status}`;
    throw new CtuiError(msg, opts.exitCode ?? 125);
  }
  const f = new Map(r.stdout.split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]));
  const groups = (f.get('groups') ?? '').split(',').filter(Boolean).map(Number);
  return {
    uid: Number(f.get('uid')),
    gid: Number(f.get('gid')),
    additionalGids: groups,
    home: f.get('home') || '/',
    ...(f.get('shell') ? { shell: f.get('shell')! } : {}),
    ...(f.get('login') ? { login: f.get('login')! } : {}),
  };
}
