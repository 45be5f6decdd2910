import * as fs from 'node:fs';
import * as path from 'node:path';
import type { OciSeccomp } from './seccomp.js';

/**
 * Writes standard OCI runtime bundles (runtime-spec 1.0.2): what docker/podman put in config.json for
 * the same flags, so ctui-runtime, runc and crun run the same container.
 */

export interface OciMount {
  destination: string;
  type: string;
  source: string;
  options?: string[];
}

export interface OciDevice {
  path: string;
  type: 'c' | 'b' | 'p';
  major: number;
  minor: number;
  fileMode: number;
  uid: number;
  gid: number;
}

export interface OciSpec {
  ociVersion: string;
  process: {
    terminal: boolean;
    consoleSize?: { height: number; width: number };
    user: { uid: number; gid: number; additionalGids?: number[] };
    args: string[];
    env: string[];
    cwd: string;
    capabilities: { bounding: string[]; effective: string[]; permitted: string[]; inheritable: string[]; ambient: string[] };
    rlimits?: Array<{ type: string; hard: number; soft: number }>;
    noNewPrivileges: boolean;
    oomScoreAdj?: number;
  };
  root: { path: string; readonly: boolean };
  hostname: string;
  mounts: OciMount[];
  annotations?: Record<string, string>;
  linux: {
    namespaces: Array<{ type: string; path?: string }>;
    cgroupsPath: string;
    resources: {
      devices: Array<{ allow: boolean; type?: string; major?: number; minor?: number; access?: string }>;
      memory?: { limit?: number; swap?: number; reservation?: number };
      cpu?: { quota?: number; period?: number; shares?: number; cpus?: string; mems?: string };
      pids?: { limit: number };
      blockIO?: { weight: number };
    };
    devices: OciDevice[];
    seccomp?: OciSeccomp;
    maskedPaths: string[];
    readonlyPaths: string[];
    rootfsPropagation?: string;
  };
}

export interface SpecOptions {
  readonly id: string;
  readonly rootfs: string;
  readonly hostname: string;
  readonly args: readonly string[];
  readonly env: readonly string[];
  readonly cwd: string;
  readonly uid: number;
  readonly gid: number;
  readonly additionalGids: readonly number[];
  readonly terminal: boolean;
  readonly consoleSize?: { height: number; width: number };
  readonly caps: readonly string[];
  readonly privileged: boolean;
  readonly readonlyRootfs: boolean;
  readonly noNewPrivileges: boolean;
  readonly seccomp?: OciSeccomp;
  readonly network: 'private' | 'host';
  readonly memory?: number;
  readonly memorySwap?: number;
  readonly cpus?: number;
  readonly pidsLimit?: number;
  /** Host path of ctui-init to bind at /dev/init, when --init. */
  readonly initPath?: string;
  /** Files the container sees at /etc/hosts, /etc/hostname, /etc/resolv.conf. */
  readonly etcFiles: Readonly<Record<string, string>>;
  readonly extraMounts?: readonly OciMount[];
  /** rprivate unless a bind asks for shared/slave propagation (volumes/propagation.ts). */
  readonly rootfsPropagation?: string;
}

/** docker's masked and read-only /proc and /sys paths (moby oci/defaults.go). */
export const MASKED_PATHS = [
  '/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list',
  '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/devices/virtual/powercap',
];
export const READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

const dev = (p: string, major: number, minor: number, mode = 0o666): OciDevice =>
  ({ path: p, type: 'c', major, minor, fileMode: mode, uid: 0, gid: 0 });

/** The only nodes in an unprivileged container's /dev (plus /dev/pts, /dev/ptmx from devpts). */
export const DEFAULT_DEVICES: readonly OciDevice[] = [
  dev('/dev/null', 1, 3), dev('/dev/zero', 1, 5), dev('/dev/full', 1, 7), dev('/dev/random', 1, 8),
  dev('/dev/urandom', 1, 9), dev('/dev/tty', 5, 0),
];

type DeviceRule = OciSpec['linux']['resources']['devices'][number];

/** The device cgroup: deny everything, allow the nodes above, pts and ptmx (docker's default rules). */
function deviceRules(privileged: boolean): DeviceRule[] {
  if (privileged) return [{ allow: true, access: 'rwm' }];
  const allow = (type: string, major?: number, minor?: number, access = 'rwm'): DeviceRule => {
    const r: DeviceRule = { allow: true, type, access };
    if (major !== undefined) r.major = major;
    if (minor !== undefined) r.minor = minor;
    return r;
  };
  return [
    { allow: false, access: 'rwm' },
    // mknod of any node is allowed (using it is not), as docker does.
    allow('c', undefined, undefined, 'm'),
    allow('b', undefined, undefined, 'm'),
    allow('c', 1, 3), allow('c', 1, 5), allow('c', 1, 7), allow('c', 1, 8), allow('c', 1, 9),
    allow('c', 5, 0), allow('c', 5, 1), allow('c', 5, 2), allow('c', 136),
  ];
}

/** --privileged: every device node of the host, as docker does. */
function hostDevices(): OciDevice[] {
  const out: OciDevice[] = [];
  const walk = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && depth < 2 && e.name !== 'pts' && e.name !== 'shm' && e.name !== 'mqueue') walk(p, depth + 1);
      else if (e.isCharacterDevice() || e.isBlockDevice()) {
        if (p === '/dev/console' || p === '/dev/ptmx') continue;
        const st = fs.statSync(p);
        const major = Number((BigInt(st.rdev) >> 8n) & 0xfffn);
        const minor = Number((BigInt(st.rdev) & 0xffn) | ((BigInt(st.rdev) >> 12n) & 0xfff00n));
        out.push({ path: p, type: e.isBlockDevice() ? 'b' : 'c', major, minor, fileMode: st.mode & 0o777, uid: st.uid, gid: st.gid });
      }
    }
  };
  walk('/dev', 0);
  return out;
}

export function buildSpec(o: SpecOptions): OciSpec {
  const caps = [...o.caps];
  const mounts: OciMount[] = [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', o.privileged ? 'rw' : 'ro'] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['nosuid', 'noexec', 'nodev', 'relatime', o.privileged ? 'rw' : 'ro'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
  ];
  if (o.initPath) mounts.push({ destination: '/dev/init', type: 'bind', source: o.initPath, options: ['bind', 'ro', 'nosuid', 'nodev', 'rprivate'] });
  // The user's mounts (volumes, binds, tmpfs) and /etc/hosts & co, parents before children as docker
  // sorts them (a volume at /etc gets the hosts file on top); a user mount at /etc/hosts replaces ours.
  const extra = [...(o.extraMounts ?? [])];
  const taken = new Set(extra.map((m) => m.destination));
  const etc: OciMount[] = Object.entries(o.etcFiles)
    .filter(([dest]) => !taken.has(dest))
    .map(([dest, src]) => ({ destination: dest, type: 'bind', source: src, options: ['rbind', 'rprivate'] }));
  const depth = (p: string) => p.split('/').filter(Boolean).length;
  const ordered = [...extra, ...etc].map((m, i) => ({ m, i }));
  ordered.sort((a, b) => depth(a.m.destination) - depth(b.m.destination) || a.i - b.i);
  mounts.push(...ordered.map((x) => x.m));

  const namespaces: OciSpec['linux']['namespaces'] = [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, { type: 'cgroup' }];
  if (o.network === 'private') namespaces.push({ type: 'network' });

  const resources: OciSpec['linux']['resources'] = { devices: deviceRules(o.privileged) };
  if (o.memory !== undefined) resources.memory = { limit: o.memory, ...(o.memorySwap !== undefined ? { swap: o.memorySwap } : {}) };
  if (o.cpus !== undefined) resources.cpu = { quota: Math.round(o.cpus * 100_000), period: 100_000 };
  if (o.pidsLimit !== undefined) resources.pids = { limit: o.pidsLimit };

  const spec: OciSpec = {
    ociVersion: '1.0.2',
    process: {
      terminal: o.terminal,
      user: { uid: o.uid, gid: o.gid, ...(o.additionalGids.length > 0 ? { additionalGids: [...o.additionalGids] } : {}) },
      args: [...o.args],
      env: [...o.env],
      cwd: o.cwd,
      // As docker: the same set for root and other users; nothing inheritable or ambient, so an exec'd
      // program gains no capability it was not already given.
      capabilities: { bounding: caps, effective: caps, permitted: caps, inheritable: [], ambient: [] },
      noNewPrivileges: o.noNewPrivileges,
    },
    root: { path: o.rootfs, readonly: o.readonlyRootfs },
    hostname: o.hostname,
    mounts,
    annotations: { 'io.ctui.container.id': o.id },
    linux: {
      namespaces,
      cgroupsPath: `/ctui/${o.id}`,
      resources,
      devices: o.privileged ? hostDevices() : [...DEFAULT_DEVICES],
      maskedPaths: o.privileged ? [] : [...MASKED_PATHS],
      readonlyPaths: o.privileged ? [] : [...READONLY_PATHS],
      rootfsPropagation: o.rootfsPropagation ?? 'rprivate',
    },
  };
  if (o.consoleSize) spec.process.consoleSize = o.consoleSize;
  if (o.seccomp) spec.linux.seccomp = o.seccomp;
  return spec;
}
