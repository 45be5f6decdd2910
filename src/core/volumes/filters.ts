import { CtuiError } from '../errors.js';
import type { Volume } from './model.js';

/**
 * docker's volume filters: `volume ls` takes dangling, driver, label, name; `volume prune` takes
 * label, label! and all. Values of one key are alternatives (OR), except labels, which must all
 * match (as docker's MatchKVList); different keys must all hold.
 */
export type VolumeFilterKey = 'dangling' | 'driver' | 'label' | 'label!' | 'name' | 'all';

export interface VolumeFilters {
  readonly match: (v: Volume) => boolean;
  /** prune's --filter all=true (same as --all). */
  readonly all: boolean;
}

function labelMatch(v: Volume, expr: string): boolean {
  const eq = expr.indexOf('=');
  const key = eq < 0 ? expr : expr.slice(0, eq);
  const labels = v.Labels ?? {};
  if (!(key in labels)) return false;
  return eq < 0 || labels[key] === expr.slice(eq + 1);
}

export function parseVolumeFilters(list: readonly string[], allowed: readonly VolumeFilterKey[]): VolumeFilters {
  const by = new Map<string, string[]>();
  for (const f of list) {
    const eq = f.indexOf('=');
    // "label!=k=v": the key is "label!" (docker splits at the first "=").
    const key = eq < 0 ? f : f.slice(0, eq);
    if (eq <= 0 || !(allowed as readonly string[]).includes(key)) throw new CtuiError(`invalid filter '${f}'`, 1);
    const value = f.slice(eq + 1);
    if ((key === 'dangling' || key === 'all') && !['true', 'false', '1', '0'].includes(value)) throw new CtuiError(`invalid filter '${f}'`, 1);
    by.set(key, [...(by.get(key) ?? []), value]);
  }
  const truthy = (s: string) => s === 'true' || s === '1';
  const match = (v: Volume): boolean => {
    for (const [k, vals] of by) {
      switch (k) {
        case 'dangling':
          if (!vals.some((x) => truthy(x) === (v.UsedBy.length === 0))) return false;
          break;
        case 'driver':
          if (!vals.includes(v.Driver)) return false;
          break;
        case 'name':
          if (!vals.some((x) => v.Name.includes(x))) return false;
          break;
        case 'label':
          if (!vals.every((x) => labelMatch(v, x))) return false;
          break;
        case 'label!':
          if (vals.some((x) => labelMatch(v, x))) return false;
          break;
        default:
          break;
      }
    }
    return true;
  };
  return { match, all: (by.get('all') ?? []).some(truthy) };
}
