import { existsSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import * as path from 'node:path';
import { CtuiError, systemReason } from '../errors.js';

/**
 * Seccomp profiles in docker's format (moby's profiles/seccomp), converted to the OCI runtime-spec
 * form for this architecture, this kernel and the container's capabilities, with moby's semantics
 * (profiles/seccomp/seccomp_linux.go: includes/excludes by arch, by capability in the container's
 * bounding set, and by minimum kernel).
 *
 * The profiles are data, read from the host (nobody should retype 400 syscall names):
 * - `docker-default`, every container's default: moby's own default.json, which scripts/setup.sh
 *   extracts from Debian's golang-github-docker-docker-dev (or where that package installs it);
 * - `containers-common`: podman's seccomp.json from Debian's golang-github-containers-common. It
 *   allows keyctl and user namespaces (unshare, clone with CLONE_NEW*) that docker's refuses
 *   without CAP_SYS_ADMIN.
 */

export type ProfileName = 'docker-default' | 'containers-common';

/** Where each named profile may be, in the order tried. */
export const PROFILE_PATHS: Readonly<Record<ProfileName, readonly string[]>> = {
  'docker-default': [
    '/usr/local/share/ctui/seccomp/docker-default.json',
    '/usr/share/gocode/src/github.com/docker/docker/profiles/seccomp/default.json',
  ],
  // containers/common's order: the admin's override first.
  'containers-common': ['/etc/containers/seccomp.json', '/usr/share/containers/seccomp.json'],
};

export const DEFAULT_PROFILE: ProfileName = 'docker-default';

/** What a container gets, recorded when it is created so that every start uses the same. */
export interface SeccompChoice {
  /** A named profile, `custom` (a file given by path) or `unconfined` (no filter: asked for, or --privileged). */
  readonly Name: ProfileName | 'custom' | 'unconfined';
  /** The profile file; '' when unconfined. */
  readonly Path: string;
}

/** `--security-opt seccomp=VALUE` words that name a profile rather than a file (`./NAME` is the file). */
const NAMES: Readonly<Record<string, ProfileName>> = {
  'docker-default': 'docker-default',
  docker: 'docker-default',
  'containers-common': 'containers-common',
};

/** The name of what a `seccomp=` value (undefined: none given) chooses, without looking for files. */
export function profileName(value: string | undefined, privileged: boolean): SeccompChoice['Name'] {
  if (privileged || value === 'unconfined') return 'unconfined';
  if (value === undefined) return DEFAULT_PROFILE;
  return NAMES[value] ?? 'custom';
}

/** The first existing file of a named profile. */
export function findProfile(name: ProfileName): string | undefined {
  return PROFILE_PATHS[name].find((p) => existsSync(p));
}

/** The one line that says a named profile is missing and how to get it. */
export function missingProfile(name: ProfileName, file?: string): CtuiError {
  const where = file ? `${file} is missing` : `looked in ${PROFILE_PATHS[name].join(', ')}`;
  if (name === 'docker-default') {
    return new CtuiError(
      `docker's seccomp profile is not installed (${where}): rerun \`sh scripts/setup.sh\` in ctui's source tree as root (it extracts moby's default.json from Debian's golang-github-docker-docker-dev)`,
    );
  }
  return new CtuiError(`containers-common's seccomp profile is not installed (${where}): apt-get install golang-github-containers-common`);
}

/**
 * The profile a new container gets from its `--security-opt seccomp=` value (undefined: the default)
 * and --privileged (which, as in docker, runs without seccomp). A file is recorded by absolute path.
 */
export function chooseProfile(value: string | undefined, privileged: boolean, cwd = process.cwd()): SeccompChoice {
  const name = profileName(value, privileged);
  if (name === 'unconfined') return { Name: 'unconfined', Path: '' };
  if (name !== 'custom') {
    const file = findProfile(name);
    if (!file) throw missingProfile(name);
    return { Name: name, Path: file };
  }
  const file = path.resolve(cwd, value!);
  if (!existsSync(file)) throw new CtuiError(`opening seccomp profile (${value}) failed: no such file or directory`);
  return { Name: 'custom', Path: file };
}

interface Filter {
  arches?: string[];
  caps?: string[];
  minKernel?: string;
}
interface DockerArg {
  index: number;
  value: number;
  valueTwo?: number;
  op: string;
}
interface DockerSyscall {
  names?: string[];
  name?: string;
  action: string;
  errnoRet?: number;
  args?: DockerArg[] | null;
  comment?: string;
  includes?: Filter | null;
  excludes?: Filter | null;
}
export interface DockerProfile {
  defaultAction: string;
  /** Not in moby 20.10's format; containers-common's and the OCI form have it. */
  defaultErrnoRet?: number;
  archMap?: Array<{ architecture: string; subArchitectures?: string[] | null }> | null;
  architectures?: string[] | null;
  syscalls?: DockerSyscall[] | null;
  flags?: string[];
}

export interface OciSeccomp {
  defaultAction: string;
  defaultErrnoRet?: number;
  architectures: string[];
  flags?: string[];
  syscalls: Array<{ names: string[]; action: string; errnoRet?: number; args?: DockerArg[] }>;
}

/** Node's arch -> the profile's "arches" name (moby: GOARCH through goToNative) and libseccomp's arch. */
const ARCHES: Record<string, { native: string; scmp: string }> = {
  x64: { native: 'amd64', scmp: 'SCMP_ARCH_X86_64' },
  ia32: { native: 'x86', scmp: 'SCMP_ARCH_X86' },
  arm64: { native: 'arm64', scmp: 'SCMP_ARCH_AARCH64' },
  arm: { native: 'arm', scmp: 'SCMP_ARCH_ARM' },
  ppc64: { native: 'ppc64le', scmp: 'SCMP_ARCH_PPC64LE' },
  s390x: { native: 's390x', scmp: 'SCMP_ARCH_S390X' },
  mips64el: { native: 'mipsel64', scmp: 'SCMP_ARCH_MIPSEL64' },
  riscv64: { native: 'riscv64', scmp: 'SCMP_ARCH_RISCV64' },
};

type Version = readonly [number, number];

/**
 * A profile's minKernel: exactly "<kernel>.<major>", each 0..255, not 0.0 (moby's KernelVersion).
 * As in moby, an empty string is 0.0, which every kernel meets.
 */
function parseMinKernel(v: unknown, where: string): Version {
  if (typeof v !== 'string') throw new CtuiError(`invalid kernel version in ${where}: expected "<kernel>.<major>"`);
  if (v === '') return [0, 0];
  const parts = v.split('.');
  const num = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) && Number(s) <= 255 ? Number(s) : NaN);
  const k = num(parts[0]);
  const m = num(parts[1]);
  if (parts.length !== 2 || Number.isNaN(k) || Number.isNaN(m) || (k === 0 && m === 0)) {
    throw new CtuiError(`invalid kernel version in ${where}: ${JSON.stringify(v)}, expected "<kernel>.<major>"`);
  }
  return [k, m];
}

/** The host kernel as "<kernel>.<major>" ("6.1.0-18-amd64" is 6.1), as moby reads uname. */
function parseRelease(r: string): Version {
  const m = /^(\d+)\.(\d+)/.exec(r);
  if (!m) throw new CtuiError(`cannot parse the kernel version ${JSON.stringify(r)}`);
  return [Number(m[1]), Number(m[2])];
}

const atLeast = (have: Version, min: Version) => have[0] > min[0] || (have[0] === min[0] && have[1] >= min[1]);

/** Refuses what moby refuses when it loads a profile, so a bad file fails at create, not at start. */
export function validateProfile(p: DockerProfile, where: string): void {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) throw new CtuiError(`seccomp profile ${where} is not a JSON object`);
  // moby runs a profile without defaultAction and syscalls unconfined; a typo must not do that here.
  if (typeof p.defaultAction !== 'string' || p.defaultAction === '') throw new CtuiError(`seccomp profile ${where} has no defaultAction`);
  if ((p.architectures?.length ?? 0) > 0 && (p.archMap?.length ?? 0) > 0) {
    throw new CtuiError(`seccomp profile ${where}: 'architectures' and 'archMap' were both specified, use either 'architectures' or 'archMap'`);
  }
  if (p.syscalls != null && !Array.isArray(p.syscalls)) throw new CtuiError(`seccomp profile ${where}: syscalls is not a list`);
  for (const [i, s] of (p.syscalls ?? []).entries()) {
    if (typeof s !== 'object' || s === null) throw new CtuiError(`seccomp profile ${where}: syscalls[${i}] is not an object`);
    if (s.name && s.names && s.names.length > 0) {
      throw new CtuiError(`seccomp profile ${where}: syscalls[${i}] has both 'name' and 'names', use either 'name' or 'names'`);
    }
    if (typeof s.action !== 'string') throw new CtuiError(`seccomp profile ${where}: syscalls[${i}] has no action`);
    for (const f of ['includes', 'excludes'] as const) {
      const mk = s[f]?.minKernel;
      if (mk !== undefined && mk !== null) parseMinKernel(mk, `${where} syscalls[${i}].${f}.minKernel`);
    }
  }
}

export interface ConvertOptions {
  /** Node's name for the architecture (process.arch). */
  readonly arch?: string;
  /** The kernel release (os.release()). */
  readonly kernel?: string;
}

/**
 * moby's setupSeccomp: the profile for this arch and kernel, with the rules that apply to a container
 * whose capability BOUNDING set is `bounding` (a rule is skipped when any of its excludes.caps is in
 * it, or any of its includes.caps is not).
 */
export function convertProfile(profile: DockerProfile, bounding: readonly string[], o: ConvertOptions = {}): OciSeccomp {
  const arch = ARCHES[o.arch ?? process.arch];
  const native = arch?.native ?? o.arch ?? process.arch;
  let architectures: string[] = [...(profile.architectures ?? [])];
  if (profile.archMap && profile.archMap.length > 0 && arch) {
    const m = profile.archMap.find((a) => a.architecture === arch.scmp);
    if (m) architectures = [m.architecture, ...(m.subArchitectures ?? [])];
  }
  let kernel: Version | undefined;
  const kernelMeets = (min: unknown, where: string) => atLeast((kernel ??= parseRelease(o.kernel ?? release())), parseMinKernel(min, where));
  const caps = new Set(bounding);
  const syscalls: OciSeccomp['syscalls'] = [];
  for (const [i, s] of (profile.syscalls ?? []).entries()) {
    const inc = s.includes ?? {};
    const exc = s.excludes ?? {};
    if (exc.arches && exc.arches.includes(native)) continue;
    if (exc.caps && exc.caps.some((c) => caps.has(c))) continue;
    if (exc.minKernel != null && kernelMeets(exc.minKernel, `syscalls[${i}].excludes.minKernel`)) continue;
    if (inc.arches && inc.arches.length > 0 && !inc.arches.includes(native)) continue;
    if (inc.caps && inc.caps.some((c) => !caps.has(c))) continue;
    if (inc.minKernel != null && !kernelMeets(inc.minKernel, `syscalls[${i}].includes.minKernel`)) continue;
    const names = s.names && s.names.length > 0 ? s.names : s.name ? [s.name] : [];
    if (names.length === 0) continue;
    const entry: OciSeccomp['syscalls'][number] = { names, action: s.action };
    if (s.errnoRet !== undefined && s.errnoRet !== null) entry.errnoRet = s.errnoRet;
    if (s.args && s.args.length > 0) entry.args = s.args;
    syscalls.push(entry);
  }
  const out: OciSeccomp = { defaultAction: profile.defaultAction, architectures, syscalls };
  if (profile.defaultErrnoRet !== undefined && profile.defaultErrnoRet !== null) out.defaultErrnoRet = profile.defaultErrnoRet;
  if (profile.flags) out.flags = profile.flags;
  return out;
}

const cache = new Map<string, DockerProfile>();

/** Reads, parses and checks a profile file (cached per process). */
export function loadProfile(file: string): DockerProfile {
  const hit = cache.get(file);
  if (hit) return hit;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CtuiError(`opening seccomp profile (${file}) failed: ${systemReason(err)}`);
  }
  const parsed = parseProfile(text, file);
  cache.set(file, parsed);
  return parsed;
}

function parseProfile(text: string, file: string): DockerProfile {
  let parsed: DockerProfile;
  try {
    parsed = JSON.parse(text) as DockerProfile;
  } catch (err) {
    throw new CtuiError(`seccomp profile ${file} is not valid JSON: ${(err as Error).message}`);
  }
  validateProfile(parsed, file);
  return parsed;
}

/** Checks a profile's bytes (read once by the caller, who keeps exactly these); returns them. */
export function parseProfileText(bytes: Buffer, file: string): Buffer {
  parseProfile(bytes.toString('utf8'), file);
  return bytes;
}

/** The profile of a container's choice, for its bundle; undefined when unconfined. */
export function profileFor(choice: SeccompChoice, bounding: readonly string[]): OciSeccomp | undefined {
  if (choice.Name === 'unconfined') return undefined;
  if (choice.Name !== 'custom' && !existsSync(choice.Path)) throw missingProfile(choice.Name, choice.Path);
  const p = convertProfile(loadProfile(choice.Path), bounding);
  return choice.Name === 'docker-default' ? withoutIoUring(p) : p;
}

/**
 * io_uring is refused in docker's default since docker 25 (moby #46762: its kernel surface has had
 * a long run of privilege escalations, and it bypasses seccomp for the operations it queues); the
 * profile Debian ships is moby 20.10's, which still allows it. podman's answers ENOSYS too.
 */
export const IO_URING = ['io_uring_setup', 'io_uring_enter', 'io_uring_register'];
export function withoutIoUring(p: OciSeccomp): OciSeccomp {
  const syscalls = p.syscalls
    .map((s) => (s.action === 'SCMP_ACT_ALLOW' ? { ...s, names: s.names.filter((n) => !IO_URING.includes(n)) } : s))
    .filter((s) => s.names.length > 0);
  // ENOSYS, as for a kernel without it: programs (liburing's users) fall back to plain I/O.
  syscalls.push({ names: [...IO_URING], action: 'SCMP_ACT_ERRNO', errnoRet: 38 });
  return { ...p, syscalls };
}
