import type { Volume, VolumeRecord } from './model.js';

/** A stored volume as the engine reports it, with the containers that use it. */
export function toVolume(rec: VolumeRecord, usedBy: readonly string[]): Volume {
  return {
    Name: rec.Name,
    Driver: rec.Driver,
    Mountpoint: rec.Mountpoint,
    CreatedAt: rec.CreatedAt,
    Labels: rec.Labels,
    Options: rec.Options,
    Scope: rec.Scope,
    Anonymous: rec.Anonymous,
    UsedBy: [...usedBy],
  };
}
