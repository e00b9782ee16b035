// The inbound position pipeline: an ordered row of small named steps (as Traccar's FilterHandler).
// Each step passes the fix on, possibly enriched, or drops it with a reason. Side effects (geofence
// events, the last-known position, the batch writer, publishing) are steps too, behind ports, so
// the order is visible in one place and every step is tested on its own.
import { haversineMeters as haversine } from '../../kernel/index.js';
import type { Fix, UnitKind } from './fix.js';

export type DropReason = 'invalid' | 'future' | 'stale' | 'duplicate' | 'inaccurate' | 'implausible_speed';
export type StepResult = { fix: Fix } | { drop: DropReason };

export interface PipelineSettings {
  /** Fixes timestamped further ahead than this are dropped (clock skew allowance). */
  maxFutureMs: number;
  /** Fixes older than this are dropped. */
  maxAgeMs: number;
  /** Fixes with a worse horizontal accuracy are dropped. */
  maxAccuracyM: number;
  /** Fastest plausible speed per unit type; a jump implying more is dropped. */
  maxSpeedMps: Record<UnitKind, number>;
}

export const DEFAULT_PIPELINE: PipelineSettings = {
  maxFutureMs: 5 * 60_000,
  maxAgeMs: 7 * 24 * 3600_000,
  maxAccuracyM: 500,
  // 200 km/h, 180, 60 and 30: generous, to drop teleports rather than fast driving.
  maxSpeedMps: { car: 55, motorcycle: 50, bicycle: 17, foot: 8 },
};

export interface PipelineContext {
  now: number;
  settings: PipelineSettings;
  last(unitId: string): Fix | undefined;
  locate(lon: number, lat: number): string | null;
}

export interface SideEffects {
  geofence(fix: Fix): void;
  updateLast(fix: Fix): void;
  persist(fix: Fix): void;
  publish(fix: Fix): void;
}

export type Step = (fix: Fix, ctx: PipelineContext) => StepResult;

const pass = (fix: Fix): StepResult => ({ fix });

export const validate: Step = (fix) =>
  Number.isFinite(fix.lat) && Number.isFinite(fix.lon) && Math.abs(fix.lat) <= 90 && Math.abs(fix.lon) <= 180
    && !(fix.lat === 0 && fix.lon === 0) && Number.isFinite(fix.at)
    ? pass(fix) : { drop: 'invalid' };

export const dropFuture: Step = (fix, ctx) => (fix.at > ctx.now + ctx.settings.maxFutureMs ? { drop: 'future' } : pass(fix));

export const dropStale: Step = (fix, ctx) => (fix.at < ctx.now - ctx.settings.maxAgeMs ? { drop: 'stale' } : pass(fix));

export const dropDuplicate: Step = (fix, ctx) => {
  const last = ctx.last(fix.unitId);
  return last && last.at === fix.at && last.lat === fix.lat && last.lon === fix.lon ? { drop: 'duplicate' } : pass(fix);
};

export const dropInaccurate: Step = (fix, ctx) =>
  fix.accuracyM !== null && fix.accuracyM > ctx.settings.maxAccuracyM ? { drop: 'inaccurate' } : pass(fix);

type Place = { lat: number; lon: number; at: number; accuracyM: number | null };

/**
 * The speed (m/s) going from one fix to the other implies, in either time order, allowing for
 * both fixes' stated error. Shared by the jump filter and the SOS check (domain/sos.ts).
 */
export function impliedSpeedMps(a: Place, b: Place): number {
  const seconds = Math.abs(b.at - a.at) / 1000;
  const metres = haversine(a.lat, a.lon, b.lat, b.lon) - ((a.accuracyM ?? 0) + (b.accuracyM ?? 0) + 25);
  if (metres <= 0) return 0;
  return seconds === 0 ? Infinity : metres / seconds;
}

/** A jump from the last fix that no unit of this type could have made. */
export const dropImplausibleJump: Step = (fix, ctx) => {
  const last = ctx.last(fix.unitId);
  if (!last || fix.at <= last.at) return pass(fix);
  return impliedSpeedMps(last, fix) > ctx.settings.maxSpeedMps[fix.unitType] ? { drop: 'implausible_speed' } : pass(fix);
};

export const markLate: Step = (fix, ctx) => {
  const last = ctx.last(fix.unitId);
  return pass(last && fix.at < last.at ? { ...fix, late: true } : fix);
};

export const assignQuadrant: Step = (fix, ctx) => pass({ ...fix, quadrantId: ctx.locate(fix.lon, fix.lat) });

/** The filters and enrichments, in order. */
export const FILTERS: readonly (readonly [string, Step])[] = [
  ['validate', validate],
  ['dropFuture', dropFuture],
  ['dropStale', dropStale],
  ['dropDuplicate', dropDuplicate],
  ['dropInaccurate', dropInaccurate],
  ['dropImplausibleJump', dropImplausibleJump],
  ['markLate', markLate],
  ['assignQuadrant', assignQuadrant],
];

/** Runs the filters, then the side effects in order: geofence, last known, persist (batched), publish. */
export function runPipeline(fix: Fix, ctx: PipelineContext, effects: SideEffects): StepResult {
  let current = fix;
  for (const [, step] of FILTERS) {
    const r = step(current, ctx);
    if ('drop' in r) return r;
    current = r.fix;
  }
  if (!current.late) {
    effects.geofence(current);
    effects.updateLast(current);
  }
  effects.persist(current);
  if (!current.late) effects.publish(current);
  return { fix: current };
}
