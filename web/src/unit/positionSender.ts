import { distanceM } from '../shared/geo.js';
import type { LatLon } from '../shared/types.js';

// The on-duty unit's position, from the browser's watch to the server: at most one send every
// few seconds (the latest fix wins), sooner after a large move, and a fresh fix asked for when the
// watch has been quiet for a while (a parked car's phone may report nothing, and a unit silent for
// two minutes shows as "no signal" and is skipped as nearest unit). Framework-free.

export interface PositionFix extends LatLon {
  accuracyM: number;
  speedMps?: number;
  course?: number;
  /** When the device measured it (epoch ms). */
  at: number;
}

export type GeoProblem = 'denied' | 'unavailable';

export interface SenderHooks {
  /** Throws on failure; the sender never retries a fix (the next one supersedes it). */
  send(fix: PositionFix): Promise<void>;
  onFix(fix: PositionFix): void;
  onProblem(problem: GeoProblem): void;
}

export const MIN_INTERVAL_MS = 5000;
export const LARGE_MOVE_M = 150;
const LARGE_MOVE_GAP_MS = 1000;
const QUIET_MS = 30_000;

function toFix(p: GeolocationPosition): PositionFix {
  const { latitude, longitude, accuracy, speed, heading } = p.coords;
  const fix: PositionFix = { lat: latitude, lon: longitude, accuracyM: Math.round(accuracy * 10) / 10, at: Math.round(p.timestamp) };
  if (speed !== null && Number.isFinite(speed) && speed >= 0) fix.speedMps = speed;
  if (heading !== null && Number.isFinite(heading) && heading >= 0 && heading <= 360) fix.course = heading;
  return fix;
}

export class PositionSender {
  private watchId: number | null = null;
  private quietTimer: ReturnType<typeof setInterval> | null = null;
  private sendTimer: ReturnType<typeof setTimeout> | null = null;
  private pending: PositionFix | null = null;
  private lastSent: PositionFix | null = null;
  private lastSentAt = 0;
  private lastFixAt = 0;
  private inFlight = false;
  private stopped = false;

  constructor(private hooks: SenderHooks) {}

  start(): void {
    const options: PositionOptions = { enableHighAccuracy: true, maximumAge: 0, timeout: 60_000 };
    this.lastFixAt = Date.now();
    this.watchId = navigator.geolocation.watchPosition((p) => this.received(toFix(p)), (e) => this.failed(e), options);
    this.quietTimer = setInterval(() => {
      if (Date.now() - this.lastFixAt < QUIET_MS) return;
      navigator.geolocation.getCurrentPosition((p) => this.received(toFix(p)), (e) => this.failed(e), options);
    }, QUIET_MS / 2);
  }

  stop(): void {
    this.stopped = true;
    if (this.watchId !== null) navigator.geolocation.clearWatch(this.watchId);
    if (this.quietTimer) clearInterval(this.quietTimer);
    if (this.sendTimer) clearTimeout(this.sendTimer);
    this.watchId = this.quietTimer = this.sendTimer = null;
    this.pending = null;
  }

  private received(fix: PositionFix): void {
    if (this.stopped) return;
    this.lastFixAt = Date.now();
    this.pending = fix;
    this.hooks.onFix(fix);
    this.schedule();
  }

  private failed(e: GeolocationPositionError): void {
    if (this.stopped) return;
    this.hooks.onProblem(e.code === e.PERMISSION_DENIED ? 'denied' : 'unavailable');
  }

  private schedule(): void {
    if (this.stopped || !this.pending || this.inFlight) return;
    if (this.sendTimer) clearTimeout(this.sendTimer);
    this.sendTimer = null;
    const moved = this.lastSent ? distanceM(this.lastSent, this.pending) : Infinity;
    const gap = moved >= LARGE_MOVE_M ? LARGE_MOVE_GAP_MS : MIN_INTERVAL_MS;
    const wait = this.lastSentAt + gap - Date.now();
    if (wait <= 0) void this.flush();
    else this.sendTimer = setTimeout(() => { this.sendTimer = null; this.schedule(); }, wait);
  }

  private async flush(): Promise<void> {
    const fix = this.pending;
    if (!fix) return;
    this.pending = null;
    this.inFlight = true;
    this.lastSentAt = Date.now();
    try {
      await this.hooks.send(fix);
      this.lastSent = fix;
    } catch {
      // Dropped by the network or refused: the next fix goes instead (old positions are worthless).
    } finally {
      this.inFlight = false;
      this.schedule();
    }
  }
}
