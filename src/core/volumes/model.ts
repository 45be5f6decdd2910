/**
 * Volumes and mounts in docker's vocabulary, and the on-disk format of a volume.
 *
 * On disk (stable: data must survive ctui upgrades), one directory per volume:
 *
 *   volumes/<name>/_data         the data, bind-mounted into containers; never touched by ctui
 *                                except to fill a fresh volume from its image (copy-up) and on
 *                                `volume rm`/`prune`
 *   volumes/<name>/volume.json   VolumeRecord below, with FormatVersion
 *
 * A volume directory only ever appears by rename of a complete staging directory (volume.json
 * fsynced first) and disappears by rename into tmp/ before it is deleted, so volumes/ never holds
 * half a volume (see store.ts and store/repair.ts).
 */

/** Bumped only for changes an older ctui could not read; readers refuse newer formats. */
export const VOLUME_FORMAT_VERSION = 1;

/** docker 23+ marks volumes a container made for itself with this label; prune without --all removes only those. */
export const ANONYMOUS_LABEL = 'com.docker.volume.anonymous';

/** volume.json. Labels and Options are null when none were given (docker shows null then). */
export interface VolumeRecord {
  readonly FormatVersion: number;
  readonly Name: string;
  readonly Driver: 'local';
  /** Recorded for people reading the file; ctui derives the path from the store root on every read. */
  readonly Mountpoint: string;
  readonly CreatedAt: string;
  readonly Labels: Record<string, string> | null;
  readonly Options: Record<string, string> | null;
  readonly Scope: 'local';
  /** Made by a container for itself (-v /path, an image's VOLUME): `rm -v`, `--rm` and `prune` remove it. */
  readonly Anonymous: boolean;
}

/** What the engine reports for a volume (docker's API type Volume). */
export interface Volume {
  readonly Name: string;
  readonly Driver: string;
  readonly Mountpoint: string;
  readonly CreatedAt: string;
  readonly Labels: Record<string, string> | null;
  readonly Options: Record<string, string> | null;
  readonly Scope: string;
  readonly Anonymous: boolean;
  /** Containers (running or not) that use it. */
  readonly UsedBy: readonly string[];
}

/** docker's types.MountPoint: one resolved mount of a container, as `inspect` shows it. */
export interface MountPoint {
  readonly Type: 'volume' | 'bind' | 'tmpfs';
  /** Volumes only. */
  readonly Name?: string;
  readonly Source: string;
  readonly Destination: string;
  /** Volumes only. */
  readonly Driver?: string;
  readonly Mode: string;
  readonly RW: boolean;
  readonly Propagation: string;
}

/** docker's mount.Mount: one --mount as HostConfig.Mounts records it. */
export interface MountSpec {
  readonly Type: 'volume' | 'bind' | 'tmpfs';
  readonly Source?: string;
  readonly Target: string;
  readonly ReadOnly?: boolean;
  readonly BindOptions?: { Propagation?: string };
  readonly VolumeOptions?: { NoCopy?: boolean; Labels?: Record<string, string> };
  readonly TmpfsOptions?: { SizeBytes?: number; Mode?: number };
}

export const PROPAGATIONS = ['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave'] as const;
