// One position report as a tracker sent it, decoded but not yet judged. The decoders (osmand.ts)
// only translate; ranges, plausibility and (0,0) are the pipeline's business (pipeline.ts).

export type AttributeValue = string | number | boolean;

export interface DeviceReport {
  /** Fix time, epoch ms; null = not given (the caller uses receive time). */
  at: number | null;
  /** Both null, or both numbers: a report with only one of them is treated as having no fix, and
   *  Traccar then keeps the device's last known location. Never NaN or ±Infinity. */
  lat: number | null;
  lon: number | null;
  /** Always metres per second here (the form's knots are converted; JSON v9 is already m/s). */
  speedMps: number | null;
  /** Degrees, from `bearing` or `heading`. */
  course: number | null;
  altitudeM: number | null;
  accuracyM: number | null;
  /** 0–100 as sent (`batt`, or the v9 JSON level × 100). */
  batteryPct: number | null;
  charging: boolean | null;
  /** The `valid` parameter; true unless the tracker says otherwise. */
  valid: boolean;
  /** e.g. "sos"; null when absent or empty. */
  alarm: string | null;
  /** Everything else (hdop, driverUniqueId, motion, odometer, event, activity, mock, extras…).
   *  A null-prototype object: keys such as `__proto__` are plain data here. */
  attributes: Record<string, AttributeValue>;
}

/** A report with nothing given yet, as a decoder starts from. */
export function emptyReport(): DeviceReport {
  return {
    at: null, lat: null, lon: null, speedMps: null, course: null, altitudeM: null, accuracyM: null,
    batteryPct: null, charging: null, valid: true, alarm: null,
    attributes: Object.create(null) as Record<string, AttributeValue>,
  };
}
