import type { ContainerRecord } from '../containers/model.js';

/**
 * Which containers (running or not) use which volumes, from their records: docker refuses to remove
 * a volume any container refers to, and `dangling` means used by none.
 */
export function volumeUsers(records: readonly ContainerRecord[]): Map<string, string[]> {
  const users = new Map<string, string[]>();
  for (const r of records) {
    for (const m of r.Mounts ?? []) {
      if (m.Type !== 'volume' || !m.Name) continue;
      const list = users.get(m.Name) ?? [];
      if (!list.includes(r.Id)) list.push(r.Id);
      users.set(m.Name, list);
    }
  }
  return users;
}
