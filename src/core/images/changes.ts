import { validateSignal } from '../util/signals.js';
import { CtuiError } from '../errors.js';
import { splitWords } from '../util/words.js';
import type { ContainerConfig } from './config.js';

/**
 * Docker's `--change` instructions for import and commit: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL,
 * ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR (the set `docker import --change` accepts).
 */
const ALLOWED = new Set(['CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'LABEL', 'ONBUILD', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']);

/** JSON array form (`["sh","-c"]`) or shell form (`echo hi` -> /bin/sh -c "echo hi"). */
function parseCommand(rest: string): string[] {
  const trimmed = rest.trim();
  if (trimmed.startsWith('[')) {
    try {
      const v: unknown = JSON.parse(trimmed);
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    } catch {
      /* not JSON: docker falls back to shell form */
    }
  }
  return ['/bin/sh', '-c', trimmed];
}

/** `ENV a=b c=d` or the legacy `ENV a b c`. */
function parseKeyValues(instr: string, rest: string): Array<[string, string]> {
  const words = splitWords(rest);
  if (words.length === 0) throw new CtuiError(`${instr} requires at least one argument`);
  if (!words[0]!.includes('=')) {
    if (words.length < 2 && instr === 'LABEL') throw new CtuiError(`${instr} requires key=value`);
    const m = /^\s*(\S+)\s+([\s\S]*)$/.exec(rest);
    if (!m) throw new CtuiError(`${instr} requires a value: ${rest}`);
    return [[m[1]!, m[2]!.trim()]];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq <= 0) throw new CtuiError(`${instr} names can not be blank: ${w}`);
    return [w.slice(0, eq), w.slice(eq + 1)];
  });
}

export function applyChange(config: ContainerConfig, change: string): void {
  const m = /^\s*(\w+)\s*([\s\S]*)$/.exec(change);
  if (!m) throw new CtuiError(`invalid --change: ${JSON.stringify(change)}`);
  const instr = m[1]!.toUpperCase();
  const rest = m[2]!;
  if (!ALLOWED.has(instr)) throw new CtuiError(`${instr} is not a valid change command`);
  switch (instr) {
    case 'CMD':
      config.Cmd = parseCommand(rest);
      break;
    case 'ENTRYPOINT':
      config.Entrypoint = parseCommand(rest);
      // As in a Dockerfile, a new ENTRYPOINT resets an inherited CMD.
      break;
    case 'ENV': {
      const env = [...(config.Env ?? [])];
      for (const [k, v] of parseKeyValues(instr, rest)) {
        const i = env.findIndex((e) => e.startsWith(`${k}=`));
        if (i >= 0) env[i] = `${k}=${v}`;
        else env.push(`${k}=${v}`);
      }
      config.Env = env;
      break;
    }
    case 'LABEL': {
      const labels = { ...(config.Labels ?? {}) };
      for (const [k, v] of parseKeyValues(instr, rest)) labels[k] = v;
      config.Labels = labels;
      break;
    }
    case 'EXPOSE': {
      const ports = { ...(config.ExposedPorts ?? {}) };
      for (const p of splitWords(rest)) {
        if (!/^\d+(-\d+)?(\/(tcp|udp|sctp))?$/.test(p)) throw new CtuiError(`invalid port in EXPOSE: ${p}`);
        ports[p.includes('/') ? p : `${p}/tcp`] = {};
      }
      config.ExposedPorts = ports;
      break;
    }
    case 'VOLUME': {
      const vols = { ...(config.Volumes ?? {}) };
      const trimmed = rest.trim();
      let list: string[];
      if (trimmed.startsWith('[')) {
        try {
          list = JSON.parse(trimmed) as string[];
        } catch {
          throw new CtuiError(`invalid VOLUME: ${trimmed}`);
        }
      } else list = splitWords(trimmed);
      if (list.length === 0) throw new CtuiError('VOLUME requires at least one argument');
      for (const v of list) vols[v] = {};
      config.Volumes = vols;
      break;
    }
    case 'ONBUILD':
      if (!rest.trim()) throw new CtuiError('ONBUILD requires at least one argument');
      config.OnBuild = [...(config.OnBuild ?? []), rest.trim()];
      break;
    case 'STOPSIGNAL':
      if (!rest.trim()) throw new CtuiError('STOPSIGNAL requires one argument');
      validateSignal(rest.trim());
      config.StopSignal = rest.trim();
      break;
    case 'USER':
      if (!rest.trim()) throw new CtuiError('USER requires one argument');
      config.User = rest.trim();
      break;
    case 'WORKDIR': {
      const dir = rest.trim();
      if (!dir) throw new CtuiError('WORKDIR requires one argument');
      config.WorkingDir = dir.startsWith('/') ? dir : `${config.WorkingDir ?? '/'}/${dir}`.replace(/\/+/g, '/');
      break;
    }
  }
}

export function applyChanges(config: ContainerConfig, changes: readonly string[]): ContainerConfig {
  const out: ContainerConfig = structuredClone(config);
  for (const c of changes) applyChange(out, c);
  return out;
}
