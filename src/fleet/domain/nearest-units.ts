// "The k nearest available units to this point", over positions that change every few seconds.
//
// A uniform grid of lat/lon cells (about cellMeters on a side around originLat), each a list of
// units. An update is a Map look-up by id and, when the unit crosses into another cell, a swap;
// a query reads rings of cells outward from the point until no unread cell can hold anything
// closer than the k-th best so far. Cells within ~256 cells of the origin (CDMX) sit in a flat
// array, so the many empty cells a query passes cost an index, not a hash; cells elsewhere sit in
// a Map. A k-d tree or R-tree would read fewer cells but pays for every move with a delete and an
// insert, and here reports outnumber queries by orders of magnitude.
//
// Exactness: answers must equal nearestLinear's, to the bit. So both compute the distance with
// the same function, and the "nothing closer outside" bound is a true great-circle lower bound
// (meridian arc to the latitude band, cross-track distance to the bounding meridians), not the
// planar distance of the grid, which overstates east-west distance away from originLat, at the
// poles and across the antimeridian.
import { DomainError, EARTH_RADIUS_M, isValidLat, isValidLon } from '../../kernel/index.js';

export interface UnitPoint { id: string; lat: number; lon: number; available: boolean }
export interface NearestHit { id: string; distanceM: number }
export interface NearestOptions {
  /** Only units at most this far (metres, inclusive). */
  maxDistanceM?: number;
  /** Only units for which this returns true (applied on top of availability). */
  filter?: (id: string) => boolean;
  /** Consider unavailable units too. */
  includeUnavailable?: boolean;
}

const RAD = Math.PI / 180;
const M_PER_DEG_LAT = EARTH_RADIUS_M * RAD;
const DEFAULT_CELL_M = 1000;
const CDMX_LAT = 19.4;
const CDMX_LON = -99.13;

/**
 * Haversine with the cosines of both latitudes supplied (the index keeps each unit's). The index
 * and the linear scan both call this one function, so equal inputs give bit-equal distances.
 */
function greatCircleM(lat1: number, lon1: number, cos1: number, lat2: number, lon2: number, cos2: number): number {
  const sLat = Math.sin(((lat2 - lat1) * RAD) / 2);
  const sLon = Math.sin(((lon2 - lon1) * RAD) / 2);
  const h = sLat * sLat + cos1 * cos2 * sLon * sLon;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Shrinks a lower bound by more than float rounding (in the bound, the cell edges and haversine) can move it. */
const safeBound = (b: number): number => b * (1 - 1e-9) - 1e-6;

/** Closer first; equal distances by id (UTF-16 code-unit order, as `<` on strings). */
const before = (d: number, id: string, d2: number, id2: string): boolean => d < d2 || (d === d2 && id < id2);

/** The k best so far, sorted; insertion keeps it allocation-free once sized. */
class TopK {
  private d = new Float64Array(16);
  private ids: string[] = [];
  k = 0;
  n = 0;

  reset(k: number): this {
    if (this.d.length < k) this.d = new Float64Array(k);
    this.k = k;
    this.n = 0;
    return this;
  }

  /** The distance a newcomer must beat (or tie with a smaller id); Infinity until k are held. */
  worst(): number { return this.n === this.k ? this.d[this.k - 1]! : Infinity; }

  offer(d: number, id: string): void {
    let i = this.n;
    if (i === this.k) {
      if (!before(d, id, this.d[i - 1]!, this.ids[i - 1]!)) return;
      i--;
    } else this.n++;
    while (i > 0 && before(d, id, this.d[i - 1]!, this.ids[i - 1]!)) {
      this.d[i] = this.d[i - 1]!;
      this.ids[i] = this.ids[i - 1]!;
      i--;
    }
    this.d[i] = d;
    this.ids[i] = id;
  }

  result(): NearestHit[] {
    const out = new Array<NearestHit>(this.n);
    for (let i = 0; i < this.n; i++) out[i] = { id: this.ids[i]!, distanceM: this.d[i]! };
    return out;
  }
}

/** One unit's slot: mutated in place on every report, so steady-state updates allocate nothing. */
class Unit {
  constructor(
    readonly id: string,
    public lat: number,
    public lon: number,
    public cosLat: number,
    public available: boolean,
    /** The cell holding it, and its index in that cell's list (for O(1) swap-removal). */
    public row: number,
    public col: number,
    public pos: number,
  ) {}
}

/** Cells per side of the dense window around the origin: 512 km at the default 1 km cells, ~1 MB of slots. */
const WINDOW = 512;

export interface UnitPositionIndexOptions {
  /** Cell side in metres. The default, 1000, is at or near the fastest in bench/nearest.bench.ts (5,000 units over CDMX). */
  cellMeters?: number;
  /** Where east-west cell widths are true to cellMeters (default 19.4, CDMX). */
  originLat?: number;
  /** Centre of the dense window of cells (default −99.13, CDMX); cells outside it live in a Map. */
  originLon?: number;
}

export class UnitPositionIndex {
  private readonly cellDegLat: number;
  private readonly cellDegLon: number;
  private readonly rows: number;
  private readonly cols: number;
  private readonly units = new Map<string, Unit>();
  /**
   * Cells near the origin in a flat array (an empty cell costs an index, not a hash look-up; a
   * query reads dozens of them); cells elsewhere, say units in other cities, in a Map.
   */
  private readonly dense: (Unit[] | undefined)[] = new Array<Unit[] | undefined>(WINDOW * WINDOW).fill(undefined);
  private readonly winRow: number;
  private readonly winCol: number;
  private readonly sparse = new Map<number, Unit[]>();
  /** Emptied cell lists, reused when a cell fills again (units crossing cell edges back and forth). */
  private readonly spare: Unit[][] = [];
  private readonly top = new TopK();
  // The current query, in fields rather than an object so a query allocates only its result.
  private qLat = 0;
  private qLon = 0;
  /** qLon, or qLon − 360 when it is exactly 180: the bounds measure from the query's column. */
  private qLonB = 0;
  private qCos = 1;
  private qMaxD = Infinity;
  private qAll = false;
  private qFilter: ((id: string) => boolean) | undefined;
  private querying = false;

  constructor(opts: UnitPositionIndexOptions = {}) {
    const cellM = opts.cellMeters ?? DEFAULT_CELL_M;
    const originLat = opts.originLat ?? CDMX_LAT;
    const originLon = opts.originLon ?? CDMX_LON;
    if (!(cellM >= 1)) throw new DomainError('VALIDATION_FAILED', { detail: `cellMeters must be ≥ 1 (got ${cellM})` });
    if (!(Math.abs(originLat) <= 85)) throw new DomainError('VALIDATION_FAILED', { detail: `originLat must be within ±85° (got ${originLat})` });
    if (!isValidLon(originLon)) throw new DomainError('VALIDATION_FAILED', { detail: `originLon must be a longitude (got ${originLon})` });
    // Whole numbers of cells around the globe and pole to pole, so the antimeridian is a cell edge.
    this.rows = Math.ceil(180 / (cellM / M_PER_DEG_LAT));
    this.cols = Math.ceil(360 / (cellM / (M_PER_DEG_LAT * Math.cos(originLat * RAD))));
    if (this.rows * this.cols > Number.MAX_SAFE_INTEGER) throw new DomainError('VALIDATION_FAILED', { detail: 'cellMeters is too small' });
    this.cellDegLat = 180 / this.rows;
    this.cellDegLon = 360 / this.cols;
    this.winRow = this.rowOf(originLat) - WINDOW / 2;
    this.winCol = this.colOf(originLon) - WINDOW / 2;
  }

  get size(): number { return this.units.size; }

  /** Adds or moves a unit. O(1): a Map look-up, and a swap when it crosses into another cell. */
  upsert(id: string, lat: number, lon: number, available: boolean): void {
    if (!isValidLat(lat) || !isValidLon(lon)) throw new DomainError('INVALID_COORDINATES', { detail: `${lat}, ${lon}` });
    const row = this.rowOf(lat);
    const col = this.colOf(lon);
    const u = this.units.get(id);
    if (!u) {
      const added = new Unit(id, lat, lon, Math.cos(lat * RAD), available, row, col, 0);
      this.units.set(id, added);
      this.addToCell(added);
      return;
    }
    if (u.lat !== lat) u.cosLat = Math.cos(lat * RAD);
    u.lat = lat;
    u.lon = lon;
    u.available = available;
    if (u.row !== row || u.col !== col) {
      this.removeFromCell(u);
      u.row = row;
      u.col = col;
      this.addToCell(u);
    }
  }

  /** Unknown ids are ignored: a status change may arrive before the unit's first position. */
  setAvailable(id: string, available: boolean): void {
    const u = this.units.get(id);
    if (u) u.available = available;
  }

  remove(id: string): void {
    const u = this.units.get(id);
    if (!u) return;
    this.removeFromCell(u);
    this.units.delete(id);
  }

  /**
   * The k nearest units (great-circle metres, ascending; equal distances by id) among those
   * passing the options: available ones by default, `includeUnavailable` for all, `filter` on top,
   * `maxDistanceM` inclusive. Fewer than k when fewer qualify.
   */
  nearest(lat: number, lon: number, k: number, opts: NearestOptions = {}): NearestHit[] {
    if (!isValidLat(lat) || !isValidLon(lon)) throw new DomainError('INVALID_COORDINATES', { detail: `${lat}, ${lon}` });
    k = Math.floor(k);
    if (!(k >= 1) || this.units.size === 0) return [];
    // A filter that queries this index re-enters: give the inner query its own state.
    if (this.querying) return this.reentrant(lat, lon, k, opts);
    this.querying = true;
    try {
      this.top.reset(k);
      this.qLat = lat;
      this.qLon = lon;
      this.qCos = Math.cos(lat * RAD);
      this.qMaxD = opts.maxDistanceM ?? Infinity;
      this.qAll = opts.includeUnavailable === true;
      this.qFilter = opts.filter;
      this.search(lat, lon);
      return this.top.result();
    } finally {
      this.qFilter = undefined;
      this.querying = false;
    }
  }

  private reentrant(lat: number, lon: number, k: number, opts: NearestOptions): NearestHit[] {
    const points: UnitPoint[] = [];
    for (const u of this.units.values()) points.push({ id: u.id, lat: u.lat, lon: u.lon, available: u.available });
    return nearestLinear(points, lat, lon, k, opts);
  }

  /** Rings of cells outward from the query's cell, until the bound says stop or all is read. */
  private search(lat: number, lon: number): void {
    const row0 = this.rowOf(lat);
    const raw = Math.floor((lon + 180) / this.cellDegLon);
    // lon = 180 falls in column 0 (it is −180); the bounds must then measure from −180 too.
    const col0 = raw >= this.cols ? raw - this.cols : raw;
    this.qLonB = raw >= this.cols ? lon - 360 : lon;
    let seen = 0;
    let cellsRead = 0;
    for (let r = 0; ; r++) {
      const ringCells = r === 0 ? 1 : 8 * r;
      // Once the rings would have cost more look-ups than there are units, or would wrap onto
      // themselves, read the rest unit by unit: far-flung units never cost thousands of rings.
      if (cellsRead + ringCells > this.units.size || 2 * r + 1 > this.cols) {
        this.scanOutside(row0, col0, r - 1);
        return;
      }
      seen += this.scanRing(row0, col0, r);
      cellsRead += ringCells;
      if (seen === this.units.size) return;
      const bound = safeBound(this.boundOutside(row0, col0, r));
      if (bound > this.qMaxD || this.top.worst() < bound) return;
    }
  }

  private scanRing(row0: number, col0: number, r: number): number {
    if (r === 0) return this.scanCell(row0, col0);
    let seen = 0;
    for (let c = col0 - r; c <= col0 + r; c++) seen += this.scanCell(row0 - r, c) + this.scanCell(row0 + r, c);
    for (let row = row0 - r + 1; row <= row0 + r - 1; row++) seen += this.scanCell(row, col0 - r) + this.scanCell(row, col0 + r);
    return seen;
  }

  /** Every unit farther than r rings from (row0, col0); r = −1 reads them all. */
  private scanOutside(row0: number, col0: number, r: number): void {
    for (const u of this.units.values()) {
      const dc = (((u.col - col0) % this.cols) + this.cols) % this.cols;
      if (Math.abs(u.row - row0) <= r && Math.min(dc, this.cols - dc) <= r) continue;
      this.consider(u);
    }
  }

  private scanCell(row: number, col: number): number {
    if (row < 0 || row >= this.rows) return 0;
    const list = this.cellAt(row, col < 0 ? col + this.cols : col >= this.cols ? col - this.cols : col);
    if (list === undefined) return 0;
    for (let i = 0; i < list.length; i++) this.consider(list[i]!);
    return list.length;
  }

  private consider(u: Unit): void {
    if (!u.available && !this.qAll) return;
    // Cheap reject: no great-circle distance is shorter than the meridian arc between the latitudes.
    if (safeBound(Math.abs(u.lat - this.qLat) * M_PER_DEG_LAT) > Math.min(this.qMaxD, this.top.worst())) return;
    if (this.qFilter !== undefined && !this.qFilter(u.id)) return;
    const d = greatCircleM(this.qLat, this.qLon, this.qCos, u.lat, u.lon, u.cosLat);
    if (d <= this.qMaxD) this.top.offer(d, u.id);
  }

  /**
   * A lower bound on the great-circle distance from the query to any point outside the box of
   * cells within r rings: any such point lies north or south of the box's latitudes (a meridian
   * arc away at least) or outside its longitudes (at least the cross-track distance to the nearer
   * bounding meridian). Infinity for a side the box already reaches past (a pole, all longitudes).
   */
  private boundOutside(row0: number, col0: number, r: number): number {
    const north = row0 + r >= this.rows - 1 ? Infinity : ((row0 + r + 1) * this.cellDegLat - 90 - this.qLat) * M_PER_DEG_LAT;
    const south = row0 - r <= 0 ? Infinity : (this.qLat - ((row0 - r) * this.cellDegLat - 90)) * M_PER_DEG_LAT;
    if (2 * r + 1 >= this.cols) return Math.min(north, south);
    const east = (col0 + r + 1) * this.cellDegLon - 180 - this.qLonB;
    const west = this.qLonB - ((col0 - r) * this.cellDegLon - 180);
    return Math.min(north, south, this.toMeridianM(Math.max(0, Math.min(east, west))));
  }

  /** Shortest distance from the query to a meridian Δλ degrees away (a pole, past 90°). */
  private toMeridianM(dLonDeg: number): number {
    if (dLonDeg >= 90) return (90 - Math.abs(this.qLat)) * M_PER_DEG_LAT;
    return EARTH_RADIUS_M * Math.asin(Math.min(1, this.qCos * Math.sin(dLonDeg * RAD)));
  }

  private rowOf(lat: number): number {
    return Math.min(this.rows - 1, Math.floor((lat + 90) / this.cellDegLat));
  }

  /** Column in [0, cols): lon = 180 is column 0, the same meridian as −180. */
  private colOf(lon: number): number {
    const col = Math.floor((lon + 180) / this.cellDegLon);
    return col >= this.cols ? col - this.cols : col;
  }

  private cellAt(row: number, col: number): Unit[] | undefined {
    const wr = row - this.winRow;
    const wc = col - this.winCol;
    if (wr >= 0 && wr < WINDOW && wc >= 0 && wc < WINDOW) return this.dense[wr * WINDOW + wc];
    return this.sparse.get(row * this.cols + col);
  }

  private setCell(row: number, col: number, list: Unit[] | undefined): void {
    const wr = row - this.winRow;
    const wc = col - this.winCol;
    if (wr >= 0 && wr < WINDOW && wc >= 0 && wc < WINDOW) this.dense[wr * WINDOW + wc] = list;
    else if (list) this.sparse.set(row * this.cols + col, list);
    else this.sparse.delete(row * this.cols + col);
  }

  private addToCell(u: Unit): void {
    let list = this.cellAt(u.row, u.col);
    if (list === undefined) {
      list = this.spare.pop() ?? [];
      this.setCell(u.row, u.col, list);
    }
    u.pos = list.length;
    list.push(u);
  }

  private removeFromCell(u: Unit): void {
    const list = this.cellAt(u.row, u.col)!;
    const last = list.pop()!;
    if (last !== u) {
      list[u.pos] = last;
      last.pos = u.pos;
    }
    if (list.length === 0) {
      this.setCell(u.row, u.col, undefined);
      if (this.spare.length < 1024) this.spare.push(list);
    }
  }
}

/**
 * The reference answer: every unit's distance, the k best by (distance, id). Same options as
 * UnitPositionIndex.nearest; the property tests and the benchmark compare the index with this.
 */
export function nearestLinear(points: readonly UnitPoint[], lat: number, lon: number, k: number, opts: NearestOptions = {}): NearestHit[] {
  k = Math.floor(k);
  if (!(k >= 1)) return [];
  const top = new TopK().reset(k);
  const cosQ = Math.cos(lat * RAD);
  const maxD = opts.maxDistanceM ?? Infinity;
  for (const p of points) {
    if (!p.available && opts.includeUnavailable !== true) continue;
    if (opts.filter && !opts.filter(p.id)) continue;
    const d = greatCircleM(lat, lon, cosQ, p.lat, p.lon, Math.cos(p.lat * RAD));
    if (d <= maxD) top.offer(d, p.id);
  }
  return top.result();
}
