import * as fs from 'node:fs';
import { ConflictError, NotFoundError } from '../errors.js';
import type { Store } from '../store/store.js';
import { resolveInRoot, resolveUser } from './rootfs.js';

/**
 * The shell an interactive exec should start: the login shell of the container's user (its -u, or
 * root) from the container's own /etc/passwd, when that file exists and is executable there; else
 * /bin/bash; else /bin/sh. Read through /proc/PID/root with in-root symlink resolution, so a hostile
 * image's passwd or shell symlink can never point at the host's files.
 */
export function loginShell(store: Store, nameOrId: string): string {
  const id = store.containers.resolve(nameOrId);
  const v = store.containers.get(id);
  if (!v) throw new NotFoundError(`No such container: ${nameOrId}`);
  if (v.state.Status !== 'running' || !v.state.Pid) throw new ConflictError(`Container ${id} is not running`, 1);
  const root = `/proc/${v.state.Pid}/root`;
  let shell: string | undefined;
  try {
    shell = resolveUser(root, v.record.Config.User || undefined).shell;
  } catch {
    /* no such user in its passwd: the fallbacks below */
  }
  const candidates = [shell, '/bin/bash', '/bin/sh'].filter((s): s is string => Boolean(s && s.startsWith('/')));
  return candidates.find((s) => executableIn(root, s)) ?? '/bin/sh';
}

function executableIn(root: string, file: string): boolean {
  try {
    const st = fs.statSync(resolveInRoot(root, file));
    return st.isFile() && (st.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}
