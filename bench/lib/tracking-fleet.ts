// The fleet of the tracking benchmark: units created through the API (one per quadrant, then
// round again), each with a registered tracker, each driving a small circle around its
// quadrant's interior point at a few metres per second. A unit's position is a pure function of
// the fix time, so every fix is plausible against every other one of the same unit, whatever
// order they arrive in (the chord between two points of the circle is never longer than the
// arc driven): the pipeline has no reason to drop any of them. Also: the request bodies and
// paths the two ingest paths receive, and a read-only look at the server's SQLite file.
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { mapLimit } from './pool.js';
import { mulberry32, uniform } from './prng.js';

const M_PER_DEG_LAT = 111_320;
const RAD = Math.PI / 180;
const KNOTS_PER_MPS = 3600 / 1852;

export interface FleetUnit {
  index: number;
  id: string;
  callsign: string;
  /** The tracker identifier registered for this unit (what an OsmAnd device sends as `id`). */
  uniqueId: string;
  quadrantId: string;
  centreLat: number;
  centreLon: number;
  radiusM: number;
  speedMps: number;
  /** Angle on the circle at t = 0, radians. */
  phase: number;
}

export interface FixAt { lat: number; lon: number; courseDeg: number }

/** Where the unit is `t` seconds after the base time: on its circle, counter-clockwise. */
export function fixAt(u: FleetUnit, t: number): FixAt {
  const a = u.phase + (u.speedMps / u.radiusM) * t;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const lat = u.centreLat + (u.radiusM * sin) / M_PER_DEG_LAT;
  const lon = u.centreLon + (u.radiusM * cos) / (M_PER_DEG_LAT * Math.cos(u.centreLat * RAD));
  // Velocity (east, north) = (−sin, cos): the course, clockwise from north.
  const course = (Math.atan2(-sin, cos) / RAD + 360) % 360;
  return { lat, lon, courseDeg: course };
}

// ——— the API ———

export class Api {
  constructor(readonly baseUrl: string, public token: string | null = null) {}

  async json<T>(method: string, path: string, expected: number, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}) });
    const text = await res.text();
    if (res.status !== expected) throw new Error(`${method} ${path} → HTTP ${res.status} (expected ${expected}): ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : null) as T;
  }
}

export async function login(api: Api, username: string, password: string): Promise<void> {
  const s = await api.json<{ token: string; user: { role: string } }>('POST', '/api/v1/auth/login', 200, { username, password });
  if (s.user.role !== 'admin') throw new Error(`${username} signed in as ${s.user.role}, not admin`);
  api.token = s.token;
}

interface QuadrantPoint { id: string; lat: number; lon: number }

async function quadrantPoints(api: Api): Promise<QuadrantPoint[]> {
  const fc = await api.json<{ features: { properties: { id: string } }[] }>('GET', '/api/v1/quadrants?simplify=1000', 200);
  const ids = fc.features.map((f) => f.properties.id).sort();
  if (ids.length === 0) throw new Error('the server has no quadrants');
  return mapLimit(ids, 16, async (id) => {
    const f = await api.json<{ properties: { interiorPoint: { lat: number; lon: number } } }>('GET', `/api/v1/quadrants/${encodeURIComponent(id)}?simplify=1000`, 200);
    return { id, lat: f.properties.interiorPoint.lat, lon: f.properties.interiorPoint.lon };
  });
}

/**
 * Creates `count` units through the API (quadrants in turn) and registers a tracker for each
 * (ingest does not look at the shift, so they stay off duty: a third fewer setup requests).
 * Circles of 25–45 m at 3–9 m/s.
 */
export async function createFleet(api: Api, count: number, seed: number, runId: string): Promise<FleetUnit[]> {
  const quadrants = await quadrantPoints(api);
  const rng = mulberry32(seed);
  const plan = Array.from({ length: count }, (_, i) => ({
    q: quadrants[i % quadrants.length]!,
    radiusM: uniform(rng, 25, 45),
    speedMps: uniform(rng, 3, 9),
    phase: uniform(rng, 0, 2 * Math.PI),
  }));
  return mapLimit(plan, 8, async (p, i) => {
    const callsign = `T${runId}${String(i).padStart(4, '0')}`;
    const u = await api.json<{ id: string; quadrantIds: string[] }>('POST', '/api/v1/units', 201, { callsign, type: 'car', quadrantIds: [p.q.id] });
    const uniqueId = `86${runId}${String(i).padStart(9, '0')}`;
    await api.json('POST', '/api/v1/trackers', 201, { uniqueId, unitId: u.id, label: `${callsign} tracker` });
    return {
      index: i, id: u.id, callsign, uniqueId, quadrantId: p.q.id,
      centreLat: p.q.lat, centreLon: p.q.lon, radiusM: p.radiusM, speedMps: p.speedMps, phase: p.phase,
    };
  });
}

// ——— what the two ingest paths receive ———

/**
 * `POST /api/v1/positions/batch` bodies, as a fleet gateway sends them: batch k holds
 * `fixesPerUnit` consecutive fixes (1 s apart) of every unit, seconds k·fixesPerUnit… after `baseMs`.
 */
export class BatchFeed {
  private k = 0;
  constructor(private units: readonly FleetUnit[], readonly fixesPerUnit: number, private baseMs: number) {}

  get size(): number { return this.units.length * this.fixesPerUnit; }
  /** Fix time of the latest fix handed out, ms. */
  get lastAtMs(): number { return this.baseMs + (this.k * this.fixesPerUnit - 1) * 1000; }

  next(): string {
    const parts: string[] = [];
    const first = this.k * this.fixesPerUnit;
    this.k++;
    for (let j = 0; j < this.fixesPerUnit; j++) {
      const t = first + j;
      const at = this.baseMs + t * 1000;
      for (const u of this.units) {
        const f = fixAt(u, t);
        parts.push(`{"unitId":"${u.id}","at":${at},"lat":${f.lat.toFixed(6)},"lon":${f.lon.toFixed(6)},"speedMps":${u.speedMps.toFixed(1)},"course":${f.courseDeg.toFixed(0)},"accuracyM":8}`);
      }
    }
    return `{"positions":[${parts.join(',')}]}`;
  }
}

/**
 * OsmAnd request paths as Traccar Client ≤ 8 sends them (all in the query string, Unix seconds,
 * speed in knots), cycling through the devices; each device's next fix is 1 s after its last.
 */
export class OsmAndFeed {
  private next = 0;
  private seconds: Int32Array;
  readonly built: Int32Array;
  constructor(private units: readonly FleetUnit[], private baseSeconds: number) {
    this.seconds = new Int32Array(units.length);
    this.built = new Int32Array(units.length);
  }

  /** Latest fix time handed out, Unix seconds. */
  get lastSeconds(): number { return this.baseSeconds + Math.max(0, ...this.seconds) - 1; }

  /** The next request's path: `prefix` (any path does on the dedicated port) and the query. */
  path(prefix = '/'): string {
    const i = this.next;
    this.next = i + 1 === this.units.length ? 0 : i + 1;
    const u = this.units[i]!;
    const t = this.seconds[i]!;
    this.seconds[i] = t + 1;
    this.built[i]!++;
    const f = fixAt(u, t);
    return `${prefix}?id=${u.uniqueId}&timestamp=${this.baseSeconds + t}&lat=${f.lat.toFixed(6)}&lon=${f.lon.toFixed(6)}`
      + `&speed=${(u.speedMps * KNOTS_PER_MPS).toFixed(1)}&bearing=${f.courseDeg.toFixed(0)}&altitude=2240&accuracy=8&batt=${80 - (t % 60)}`;
  }
}

// ——— the server's database, read-only ———

export class PositionsTable {
  private db: SQLite.Database;
  private count: SQLite.Statement<[], { n: number }>;
  private geofence: SQLite.Statement<[], { n: number }>;

  constructor(dataDir: string) {
    this.db = new SQLite(join(dataDir, 'cuadrante.db'), { readonly: true, fileMustExist: true });
    this.db.pragma('busy_timeout = 5000');
    this.count = this.db.prepare('select count(*) as n from positions');
    this.geofence = this.db.prepare('select count(*) as n from geofence_events');
  }

  rows(): number { return this.count.get()!.n; }
  geofenceEvents(): number { return this.geofence.get()!.n; }

  /** Rows by source (batch, osmand, web…). */
  bySource(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.db.prepare('select source, count(*) as n from positions group by source').all() as { source: string; n: number }[]) out[r.source] = r.n;
    return out;
  }

  /**
   * Polls until the table holds `target` rows; resolves with performance.now() of the first poll
   * that saw them, or null after `timeoutMs` (and then `rows()` tells how far it got).
   */
  async waitFor(target: number, timeoutMs: number, everyMs = 10): Promise<number | null> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const n = this.rows();
      if (n >= target) return performance.now();
      if (performance.now() > deadline) return null;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }

  close(): void { this.db.close(); }
}
