// Is a tracker's SOS consistent with where the unit has been? An SOS pages the nearest units at
// once; one forged with a guessed or stolen tracker id would send them wherever the forger
// likes. So the SOS position is checked against the unit's last accepted fix, from any source
// (its tracker, the unit page, a fleet gateway): a recent one, from which the unit could have
// got there (the pipeline's own speed rule). An SOS that fails is still raised, but held for a
// dispatcher to confirm instead of paging by itself.
import type { Fix, UnitKind } from './fix.js';
import { impliedSpeedMps, type PipelineSettings } from './pipeline.js';

export type SosCheck =
  | { verified: true }
  | { verified: false; reason: 'no_recent_fix' | 'implausible_jump' | 'source_throttled' };

export interface SosSettings {
  /** The unit must have a fix at most this old (ms) for its SOS to page by itself. */
  trackWindowMs: number;
  maxSpeedMps: PipelineSettings['maxSpeedMps'];
}

/**
 * `sos`: where the report puts the officer (null when it carries no fix; then the last fix is
 * where the alert goes, and only its age matters). `last`: the unit's track before this request.
 */
export function checkSos(sos: { lat: number; lon: number; at: number; accuracyM: number | null } | null, last: Fix | undefined,
  unitType: UnitKind, now: number, settings: SosSettings): SosCheck {
  if (!last || now - last.at > settings.trackWindowMs) return { verified: false, reason: 'no_recent_fix' };
  if (!sos) return { verified: true };
  // A forger picks the SOS time: never let a future one stretch the allowance, and judge
  // either order (a buffered SOS may be older than the last fix).
  const at = Math.min(sos.at, now);
  const speed = impliedSpeedMps(last, { ...sos, at });
  return speed > settings.maxSpeedMps[unitType] ? { verified: false, reason: 'implausible_jump' } : { verified: true };
}
