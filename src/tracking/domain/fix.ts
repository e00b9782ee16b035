// A position as it moves through the pipeline.
export type UnitKind = 'car' | 'motorcycle' | 'bicycle' | 'foot';
export type FixSource = 'web' | 'osmand' | 'batch';

export interface Fix {
  unitId: string;
  unitType: UnitKind;
  source: FixSource;
  trackerId: string | null;
  /** When the device took the fix (epoch ms). */
  at: number;
  receivedAt: number;
  lat: number;
  lon: number;
  speedMps: number | null;
  course: number | null;
  altitudeM: number | null;
  accuracyM: number | null;
  batteryPct: number | null;
  alarm: string | null;
  attributes: Record<string, string | number | boolean>;
  /** Set by the pipeline. */
  quadrantId: string | null;
  /** Older than the unit's last known fix: kept in history, never moves the unit back. */
  late: boolean;
}
