import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSpec, type OciSpec } from '../bundle/spec.js';
import { effectiveCaps } from '../bundle/caps.js';
import { chooseProfile, profileFor, profileName, type SeccompChoice } from '../bundle/seccomp.js';
import { initBinary } from '../helper/native.js';
import type { Store } from '../store/store.js';
import { writeFileAtomicSync, writeJsonAtomicSync } from '../util/fs.js';
import type { ContainerRecord } from './model.js';
import { mergeEnv, parseSecurityOpts } from './options.js';
import { ociResources } from './resources.js';
import { resolveUser } from './users.js';
import { containerMounts } from '../volumes/oci.js';
import { rootPropagation } from '../volumes/propagation.js';

const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Paths (relative to the rootfs) where the runtime mounts something and so may create an empty file
 * or directory in the container's writable layer: diff and commit leave those out.
 */
export function runtimeMountPoints(r: ContainerRecord): string[] {
  const dests = [...(r.Mounts ?? []).map((m) => m.Destination), ...Object.keys(r.HostConfig.Tmpfs ?? {})];
  return ['etc/hosts', 'etc/hostname', 'etc/resolv.conf', ...dests.map((d) => d.replace(/^\/+|\/+$/g, '')).filter(Boolean)];
}

/**
 * The seccomp profile a container gets: the one recorded at create; for records made before that was
 * recorded, the default one (as docker gives its current default to old containers).
 */
export function containerSeccomp(r: ContainerRecord): SeccompChoice {
  return r.Seccomp ?? chooseProfile(parseSecurityOpts(r.HostConfig.SecurityOpt).seccomp, r.HostConfig.Privileged);
}

/** What inspect shows: containerSeccomp, or when that cannot be resolved, the profile's name without a path. */
export function shownSeccomp(r: ContainerRecord): SeccompChoice {
  try {
    return containerSeccomp(r);
  } catch {
    return { Name: profileName(parseSecurityOpts(r.HostConfig.SecurityOpt).seccomp, r.HostConfig.Privileged), Path: '' };
  }
}

/** /etc/hosts, /etc/hostname and /etc/resolv.conf for the container, as docker writes them. */
function writeEtcFiles(store: Store, r: ContainerRecord): Record<string, string> {
  const dir = store.layout.containerDir(r.Id);
  const hosts = path.join(dir, 'hosts');
  const hostname = path.join(dir, 'hostname');
  const resolv = path.join(dir, 'resolv.conf');
  let hostsText: string;
  if (r.HostConfig.NetworkMode === 'host') {
    hostsText = readOr('/etc/hosts', '127.0.0.1\tlocalhost\n');
  } else {
    hostsText = '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n' +
      `127.0.0.1\t${r.Config.Hostname}\n`;
  }
  writeFileAtomicSync(hosts, hostsText);
  writeFileAtomicSync(hostname, `${r.Config.Hostname}\n`);
  writeFileAtomicSync(resolv, readOr('/etc/resolv.conf', ''));
  return { '/etc/hosts': hosts, '/etc/hostname': hostname, '/etc/resolv.conf': resolv };
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

/**
 * Writes bundle/config.json, the image's and the user's env merged as docker merges them.
 *
 * With ctui's own runtime (`inRuntime`), the rootfs is described by annotations and mounted by the
 * runtime inside the container's mount namespace, and `-u` is resolved by the runtime from the
 * container's /etc/passwd after pivot_root (see src/native/runtime/userdb.c): no host-side mount,
 * no host-side reads through the image's symlinks, two fewer processes per start. Other runtimes
 * get a standard bundle: the caller has mounted merged/, and the user is resolved here.
 */
export function writeBundle(store: Store, r: ContainerRecord, inRuntime: boolean, lowers: readonly string[]): OciSpec {
  const merged = store.layout.containerMerged(r.Id);
  const user = inRuntime
    ? { uid: 0, gid: 0, additionalGids: [] as number[], home: undefined }
    : resolveUser({ rootfs: merged }, r.Config.User || undefined);
  const hc = r.HostConfig;
  const security = parseSecurityOpts(hc.SecurityOpt);
  const caps = effectiveCaps(hc.CapAdd, hc.CapDrop, hc.Privileged);
  // moby checks a rule's includes/excludes caps against the bounding set: here the same list as every set.
  const seccomp = profileFor(containerSeccomp(r), caps);
  const hasKey = (k: string) => r.Config.Env.some((e) => e.startsWith(`${k}=`));
  const base = [DEFAULT_PATH, `HOSTNAME=${r.Config.Hostname}`];
  if (r.Config.Tty) base.push('TERM=xterm');
  const env = mergeEnv(base, r.Config.Env, hasKey('HOME') || user.home === undefined ? [] : [`HOME=${user.home}`]);
  const args = [r.Path, ...r.Args];
  const mounts = containerMounts(store, r);
  const spec = buildSpec({
    id: r.Id,
    rootfs: merged,
    hostname: r.Config.Hostname,
    args: hc.Init ? ['/dev/init', '--', ...args] : args,
    env,
    cwd: r.Config.WorkingDir || '/',
    uid: user.uid,
    gid: user.gid,
    additionalGids: user.additionalGids,
    terminal: r.Config.Tty,
    caps,
    privileged: hc.Privileged,
    readonlyRootfs: hc.ReadonlyRootfs,
    noNewPrivileges: security.noNewPrivileges,
    ...(seccomp ? { seccomp } : {}),
    network: hc.NetworkMode === 'host' ? 'host' : 'private',
    ...(hc.Init ? { initPath: initBinary() } : {}),
    etcFiles: writeEtcFiles(store, r),
    extraMounts: mounts,
    rootfsPropagation: rootPropagation(mounts, undefined, inRuntime ? store.layout.root : undefined),
  });
  // The limits as the record has them now (create's, and every `update` since).
  Object.assign(spec.linux.resources, ociResources(hc, false));
  if (inRuntime) {
    spec.annotations = {
      ...spec.annotations,
      'io.ctui.rootfs.cwd': store.layout.root,
      'io.ctui.rootfs.lower': lowers.join(':'),
      'io.ctui.rootfs.upper': store.layout.containerUpper(r.Id),
      'io.ctui.rootfs.work': store.layout.containerWork(r.Id),
      'io.ctui.user': r.Config.User,
    };
  }
  writeJsonAtomicSync(path.join(store.layout.containerBundle(r.Id), 'config.json'), spec);
  return spec;
}
