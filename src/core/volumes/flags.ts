import * as path from 'node:path';
import { CtuiError } from '../errors.js';
import { parseBytes } from '../util/humanize.js';
import { PROPAGATIONS, type MountSpec } from './model.js';
import { validateVolumeName } from './names.js';

/**
 * `-v`, `--mount`, `--tmpfs` and `--volumes-from` as docker's CLI and daemon parse them (moby
 * volume/mounts/linux_parser.go, docker/cli opts/mount.go), with docker's error messages. Pure:
 * nothing here looks at the store, so every bad flag fails before anything is created.
 */

/** One mount the user asked for, before it is resolved against the store. */
export interface MountRequest {
  readonly type: 'volume' | 'bind' | 'tmpfs';
  /** -v with a source (HostConfig.Binds), -v /path (Config.Volumes), --mount, --tmpfs. */
  readonly flag: 'bind' | 'anonymous' | 'mount' | 'tmpfs';
  /** A volume name ('' for a new anonymous one), an absolute host path, or '' for tmpfs. */
  readonly source: string;
  readonly destination: string;
  readonly readOnly: boolean;
  /** -v's mode string as given ('' if none): docker shows it in inspect's Mounts. */
  readonly mode: string;
  /** Binds only: '' means docker's default (rprivate). */
  readonly propagation: string;
  readonly noCopy: boolean;
  /** tmpfs mount data options (size=..., mode=..., flags). */
  readonly tmpfsOptions: readonly string[];
  /** The raw flag value, as HostConfig.Binds records it. */
  readonly raw: string;
  /** --mount as HostConfig.Mounts records it. */
  readonly spec?: MountSpec;
}

export interface VolumesFromRequest {
  readonly container: string;
  /** undefined: keep each mount's own RW. */
  readonly readOnly: boolean | undefined;
  readonly raw: string;
}

export interface MountFlags {
  readonly volumes?: readonly string[];
  readonly mounts?: readonly string[];
  readonly tmpfs?: readonly string[];
  readonly volumesFrom?: readonly string[];
}

export interface ParsedMountFlags {
  readonly mounts: MountRequest[];
  readonly volumesFrom: VolumesFromRequest[];
}

const RW_MODES = ['ro', 'rw'];
const LABEL_MODES = ['z', 'Z'];
const COPY_MODES = ['nocopy'];
const CONSISTENCY_MODES = ['consistent', 'cached', 'delegated'];

interface ParsedMode {
  readOnly: boolean;
  propagation: string;
  noCopy: boolean;
}

/** docker's linuxValidMountMode: a comma list with at most one of each kind. */
function parseMode(mode: string): ParsedMode | undefined {
  const out: ParsedMode = { readOnly: false, propagation: '', noCopy: false };
  if (mode === '') return out;
  const seen = { rw: 0, label: 0, prop: 0, copy: 0, consistency: 0 };
  for (const m of mode.split(',')) {
    if (RW_MODES.includes(m)) {
      seen.rw++;
      out.readOnly = m === 'ro';
    } else if (LABEL_MODES.includes(m)) seen.label++;
    else if ((PROPAGATIONS as readonly string[]).includes(m)) {
      seen.prop++;
      out.propagation = m;
    } else if (COPY_MODES.includes(m)) {
      seen.copy++;
      out.noCopy = true;
    } else if (CONSISTENCY_MODES.includes(m)) seen.consistency++;
    else return undefined;
  }
  return Object.values(seen).every((n) => n <= 1) ? out : undefined;
}

/** Cleans a container path; docker refuses relative ones and "/". */
function destination(raw: string, type: string, what: string): string {
  if (!raw) throw new CtuiError(`invalid mount config for type "${type}": field Target must not be empty`);
  if (!raw.startsWith('/')) throw new CtuiError(`invalid mount config for type "${type}": invalid mount path: '${raw}' mount path must be absolute`);
  const d = path.posix.normalize(raw).replace(/(.)\/+$/, '$1');
  if (d === '/') throw new CtuiError(`invalid ${what}: destination can't be '/'`);
  // Both runtimes refuse to mount over /proc (runc's checkProcMount: a bind over /proc/sys or
  // /proc itself would undo the masked and read-only paths); say so now, before anything is made.
  if ((d === '/proc' || d.startsWith('/proc/')) && !PROC_ALLOWED.includes(d)) {
    throw new CtuiError(`invalid ${what}: ${d} cannot be mounted because it is inside /proc`);
  }
  return d;
}

/** lxcfs's files: the only mounts inside /proc that runc allows. */
const PROC_ALLOWED = ['/proc/cpuinfo', '/proc/diskstats', '/proc/meminfo', '/proc/stat', '/proc/swaps', '/proc/uptime', '/proc/loadavg', '/proc/slabinfo', '/proc/net/dev'];

/** Host paths: docker's CLI turns ./x and ../x into absolute paths. */
function hostPath(p: string): string {
  return path.resolve(p);
}

/** -v SRC:DST[:MODE], -v DST[:MODE]. */
export function parseVolumeFlag(raw: string): MountRequest {
  const bad = (why?: string) => new CtuiError(`invalid volume specification: '${raw}'${why ? `: ${why}` : ''}`);
  const parts = raw.split(':');
  // `/x:` would otherwise read as an anonymous volume with an empty mode: docker refuses it.
  if (parts.length > 1 && parts.some((p) => p === '')) throw bad('empty section between colons');
  let src = '';
  let dst: string;
  let mode = '';
  let withSource = true;
  if (parts.length === 1) [dst, withSource] = [parts[0]!, false];
  else if (parts.length === 2 && parseMode(parts[1]!) !== undefined) [dst, mode, withSource] = [parts[0]!, parts[1]!, false];
  else if (parts.length === 2) [src, dst] = [parts[0]!, parts[1]!];
  else if (parts.length === 3) [src, dst, mode] = [parts[0]!, parts[1]!, parts[2]!];
  else throw bad();
  if (dst === '' || (withSource && src === '')) throw bad();
  const m = parseMode(mode);
  if (!m) throw bad(`invalid mode: ${mode}`);
  const isBind = src.startsWith('/') || src.startsWith('.');
  const type = isBind ? 'bind' : 'volume';
  const dest = destination(dst, type, 'specification');
  if (isBind && m.noCopy) throw bad('invalid mode: nocopy (only for volumes)');
  if (!isBind && m.propagation) throw bad(`invalid mode: ${m.propagation} (propagation is only for bind mounts)`);
  if (!isBind && src) validateVolumeName(src);
  return {
    type,
    flag: src ? 'bind' : 'anonymous',
    source: isBind ? hostPath(src) : src,
    destination: dest,
    readOnly: m.readOnly,
    mode,
    propagation: m.propagation,
    noCopy: m.noCopy,
    tmpfsOptions: [],
    raw,
  };
}

function parseBool(key: string, v: string): boolean {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v)) return false;
  throw new Error(`invalid value for ${key}: ${v}`);
}

/** tmpfs data as docker's ConvertTmpfsOptions writes it: size with the largest even suffix, mode in octal. */
export function tmpfsData(size: number | undefined, mode: number | undefined): string[] {
  const out: string[] = [];
  if (size) {
    let n = size;
    let suffix = '';
    for (const [s, d] of [['g', 1024 ** 3], ['m', 1024 ** 2], ['k', 1024]] as const) {
      if (n % d === 0) {
        n /= d;
        suffix = s;
        break;
      }
    }
    out.push(`size=${n}${suffix}`);
  }
  if (mode) out.push(`mode=${mode.toString(8)}`);
  return out;
}

/** --mount type=volume|bind|tmpfs,src=...,dst=...,readonly,... (docker/cli opts/mount.go). */
export function parseMountFlag(raw: string): MountRequest {
  const fail = (msg: string) => new CtuiError(`invalid argument "${raw}" for "--mount" flag: ${msg}`);
  let type = 'volume';
  let source: string | undefined;
  let target = '';
  let readOnly = false;
  let propagation: string | undefined;
  let noCopy: boolean | undefined;
  const volumeLabels: Record<string, string> = {};
  let sizeBytes: number | undefined;
  let tmpfsMode: number | undefined;
  const used = { bind: false, volume: false, tmpfs: false };
  for (const field of raw.split(',')) {
    if (field === '') continue;
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    const val = eq < 0 ? undefined : field.slice(eq + 1);
    try {
      if (val === undefined) {
        if (key === 'readonly' || key === 'ro') readOnly = true;
        else if (key === 'volume-nocopy') (noCopy = true), (used.volume = true);
        else throw new Error(`invalid field '${field}' must be a key=value pair`);
        continue;
      }
      switch (key) {
        case 'type': type = val.toLowerCase(); break;
        case 'source': case 'src': source = val; break;
        case 'target': case 'dst': case 'destination': target = val; break;
        case 'readonly': case 'ro': readOnly = parseBool(key, val); break;
        case 'consistency': break;
        case 'bind-propagation':
          propagation = val.toLowerCase();
          used.bind = true;
          if (!(PROPAGATIONS as readonly string[]).includes(propagation)) throw new Error(`invalid propagation mode: ${val}`);
          break;
        case 'volume-nocopy': noCopy = parseBool(key, val); used.volume = true; break;
        case 'volume-label': {
          const at = val.indexOf('=');
          volumeLabels[at < 0 ? val : val.slice(0, at)] = at < 0 ? '' : val.slice(at + 1);
          used.volume = true;
          break;
        }
        case 'volume-driver':
          if (val !== 'local') throw new Error(`volume driver ${val} is not supported (only local)`);
          used.volume = true;
          break;
        case 'tmpfs-size':
          try {
            sizeBytes = parseBytes(val);
          } catch {
            throw new Error(`invalid value for ${key}: ${val}`);
          }
          used.tmpfs = true;
          break;
        case 'tmpfs-mode':
          if (!/^[0-7]{1,4}$/.test(val)) throw new Error(`invalid value for ${key}: ${val}`);
          tmpfsMode = Number.parseInt(val, 8);
          used.tmpfs = true;
          break;
        default:
          throw new Error(`unexpected key '${key}' in '${field}'`);
      }
    } catch (err) {
      throw fail((err as Error).message);
    }
  }
  if (type !== 'volume' && type !== 'bind' && type !== 'tmpfs') throw new CtuiError(`invalid mount config for type "${type}": mount type unknown`);
  for (const k of ['bind', 'volume', 'tmpfs'] as const) {
    if (used[k] && type !== k) throw fail(`cannot mix '${k}-*' options with mount type '${type}'`);
  }
  const dest = destination(target, type, 'specification');
  const bad = (msg: string) => new CtuiError(`invalid mount config for type "${type}": ${msg}`);
  if (type === 'bind' && !source) throw bad('field Source must not be empty');
  if (type === 'tmpfs' && source) throw bad('field Source must not be specified');
  if (type === 'volume' && source) validateVolumeName(source);
  const src = type === 'bind' ? hostPath(source!) : (source ?? '');
  const spec: MountSpec = {
    Type: type,
    ...(src ? { Source: src } : {}),
    Target: dest,
    ...(readOnly ? { ReadOnly: true } : {}),
    ...(propagation ? { BindOptions: { Propagation: propagation } } : {}),
    ...(noCopy !== undefined || Object.keys(volumeLabels).length > 0
      ? { VolumeOptions: { ...(noCopy !== undefined ? { NoCopy: noCopy } : {}), ...(Object.keys(volumeLabels).length > 0 ? { Labels: volumeLabels } : {}) } }
      : {}),
    ...(sizeBytes !== undefined || tmpfsMode !== undefined
      ? { TmpfsOptions: { ...(sizeBytes !== undefined ? { SizeBytes: sizeBytes } : {}), ...(tmpfsMode !== undefined ? { Mode: tmpfsMode } : {}) } }
      : {}),
  };
  return {
    type,
    flag: 'mount',
    source: src,
    destination: dest,
    readOnly,
    mode: '',
    propagation: propagation ?? '',
    noCopy: noCopy ?? false,
    tmpfsOptions: tmpfsData(sizeBytes, tmpfsMode),
    raw,
    spec,
  };
}

/** Options a tmpfs mount takes (mount flags and tmpfs's own), checked before anything is created. */
const TMPFS_FLAGS = new Set(['ro', 'rw', 'exec', 'noexec', 'suid', 'nosuid', 'dev', 'nodev', 'atime', 'noatime', 'diratime', 'nodiratime',
  'relatime', 'norelatime', 'strictatime', 'nostrictatime', 'sync', 'async', 'dirsync', 'tmpcopyup', 'notmpcopyup']);
const TMPFS_KEYS = new Set(['size', 'mode', 'uid', 'gid', 'nr_inodes', 'nr_blocks', 'huge', 'mpol']);

export function validateTmpfsOptions(opts: readonly string[], what: string): void {
  for (const o of opts) {
    const eq = o.indexOf('=');
    const ok = eq < 0 ? TMPFS_FLAGS.has(o) : TMPFS_KEYS.has(o.slice(0, eq)) && o.length > eq + 1;
    if (!ok) throw new CtuiError(`invalid tmpfs option "${o}" in ${what}`);
    if (o.startsWith('mode=') && !/^[0-7]{1,4}$/.test(o.slice(5))) throw new CtuiError(`invalid tmpfs option "${o}" in ${what}`);
    if (o.startsWith('size=') && !/^\d+[kmg%]?$/i.test(o.slice(5))) throw new CtuiError(`invalid tmpfs option "${o}" in ${what}`);
  }
}

/** --tmpfs /path[:opts] */
export function parseTmpfsFlag(raw: string): MountRequest {
  const colon = raw.indexOf(':');
  const dst = colon < 0 ? raw : raw.slice(0, colon);
  const opts = colon < 0 || colon === raw.length - 1 ? [] : raw.slice(colon + 1).split(',');
  const dest = destination(dst, 'tmpfs', 'tmpfs specification');
  validateTmpfsOptions(opts, `--tmpfs ${raw}`);
  return {
    type: 'tmpfs',
    flag: 'tmpfs',
    source: '',
    destination: dest,
    readOnly: opts.includes('ro'),
    mode: '',
    propagation: '',
    noCopy: false,
    tmpfsOptions: opts,
    raw,
  };
}

/** --volumes-from CONTAINER[:ro|rw] */
export function parseVolumesFromFlag(raw: string): VolumesFromRequest {
  const colon = raw.indexOf(':');
  const container = colon < 0 ? raw : raw.slice(0, colon);
  const mode = colon < 0 ? '' : raw.slice(colon + 1);
  const m = parseMode(mode);
  if (!container || !m || m.noCopy || m.propagation) throw new CtuiError(`invalid --volumes-from ${raw}: invalid mode: ${mode}`);
  return { container, readOnly: mode === '' ? undefined : m.readOnly, raw };
}

export function parseMountFlags(f: MountFlags): ParsedMountFlags {
  return {
    mounts: [
      ...(f.volumes ?? []).map(parseVolumeFlag),
      ...(f.mounts ?? []).map(parseMountFlag),
      ...(f.tmpfs ?? []).map(parseTmpfsFlag),
    ],
    volumesFrom: (f.volumesFrom ?? []).map(parseVolumesFromFlag),
  };
}
