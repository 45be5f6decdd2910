import { ConflictError, NotFoundError } from '../errors.js';
import type { Store } from '../store/store.js';
import { resolveUser } from './users.js';

/**
 * The shell an interactive exec should start: the login shell of the container's user (its -u, or
 * root) from the container's own /etc/passwd, when that file exists and is executable there; else
 * /bin/bash; else /bin/sh. Looked up inside the container's mount namespace (users.ts), so a hostile
 * image's passwd or shell symlink can never point at the host's files.
 */
export function loginShell(store: Store, nameOrId: string): string {
  const id = store.containers.resolve(nameOrId);
  const v = store.containers.get(id);
  if (!v) throw new NotFoundError(`No such container: ${nameOrId}`);
  if (v.state.Status !== 'running' || !v.state.Pid) throw new ConflictError(`Container ${id} is not running`, 1);
  try {
    return resolveUser({ pid: v.state.Pid, containerId: id }, v.record.Config.User || undefined, { loginShell: true }).login ?? '/bin/sh';
  } catch {
    // no such user in its passwd: what a shell would fall back to
    try {
      return resolveUser({ pid: v.state.Pid, containerId: id }, '0', { loginShell: true }).login ?? '/bin/sh';
    } catch {
      return '/bin/sh';
    }
  }
}
