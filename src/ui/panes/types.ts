import type { MountPoint } from '../../core/engine.js';
import type { LayerRow, StatsPoint } from '../detail.js';
import type { LogEntry, Ring } from '../state/logs.js';

/** What the detail tabs show for the selection; the live UI fills it from hooks, snapshots from a fixture. */
export interface DetailData {
  /** Name of the selected object (shown on the tab bar). */
  readonly title: string;
  readonly inspect?: readonly string[];
  readonly history?: readonly LayerRow[];
  readonly stats?: { readonly points: readonly StatsPoint[]; readonly error?: string };
  readonly top?: { readonly titles: readonly string[]; readonly rows: readonly (readonly string[])[]; readonly error?: string };
  readonly mounts?: readonly MountPoint[];
  readonly logs?: { readonly ring: Ring<LogEntry>; readonly version: number; readonly error?: string; readonly following: boolean; readonly names?: readonly string[] | undefined };
  readonly error?: string;
}
