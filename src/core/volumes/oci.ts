import type { OciMount } from '../bundle/spec.js';
import type { ContainerRecord } from '../containers/model.js';
import { CtuiError } from '../errors.js';
import type { Store } from '../store/store.js';
import { tmpfsData } from './flags.js';
import { volumeBacking } from './options.js';

/** docker's options for every tmpfs it mounts in a container (--tmpfs and --mount type=tmpfs). */
const TMPFS_DEFAULTS = ['noexec', 'nosuid', 'nodev', 'rprivate'];

/**
 * A container's volumes, binds and tmpfs mounts as OCI mounts, the same for every runtime (ctui-runtime
 * and runc resolve each destination inside the rootfs). buildSpec orders them parents first.
 */
export function containerMounts(store: Store, r: ContainerRecord): OciMount[] {
  const out: OciMount[] = [];
  const ro = (rw: boolean) => (rw ? [] : ['ro']);
  const specs = r.HostConfig.Mounts ?? [];
  for (const m of r.Mounts ?? []) {
    if (m.Type === 'bind') {
      out.push({ destination: m.Destination, type: 'bind', source: m.Source, options: ['rbind', m.Propagation || 'rprivate', ...ro(m.RW)] });
    } else if (m.Type === 'tmpfs') {
      const t = specs.find((s) => s.Type === 'tmpfs' && s.Target === m.Destination)?.TmpfsOptions;
      out.push({ destination: m.Destination, type: 'tmpfs', source: 'tmpfs', options: [...TMPFS_DEFAULTS, ...tmpfsData(t?.SizeBytes, t?.Mode), ...ro(m.RW)] });
    } else {
      const v = store.volumes.get(m.Name ?? '');
      if (!v) throw new CtuiError(`volume ${m.Name ?? '?'} of container ${r.Name} is missing from the store`);
      const b = volumeBacking(v);
      if (b.kind === 'tmpfs') {
        out.push({ destination: m.Destination, type: 'tmpfs', source: 'tmpfs', options: [...b.options, 'rprivate', ...ro(m.RW)] });
      } else {
        const source = b.kind === 'bind' ? b.device : store.volumes.dataDir(v.Name);
        out.push({ destination: m.Destination, type: 'bind', source, options: ['rbind', 'rprivate', ...ro(m.RW)] });
      }
    }
  }
  for (const [dest, opts] of Object.entries(r.HostConfig.Tmpfs ?? {})) {
    out.push({ destination: dest, type: 'tmpfs', source: 'tmpfs', options: [...TMPFS_DEFAULTS, ...opts.split(',').filter(Boolean)] });
  }
  return out;
}
