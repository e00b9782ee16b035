// Validation of an uploaded quadrant file: a GeoJSON FeatureCollection of Polygon/MultiPolygon
// features whose property names a PropertyMapping gives. Every problem is collected, so an analyst
// fixes the file once instead of once per upload.
import {
  DomainError, isValidLat, isValidLon, quadrantId,
  type AreaGeometry, type Localized, type QuadrantId,
} from '../../kernel/index.js';
import { jsonErrorOffset } from './json-position.js';

export interface PropertyMapping { id: string; sector?: string; zone?: string; alcaldia?: string }

/** Property names of Mexico City's official file (`data/cdmx/cuadrantes.geojson`). */
export const CDMX_MAPPING: PropertyMapping = { id: 'cuadrante', sector: 'sector', zone: 'zona', alcaldia: 'municipio' };

export interface QuadrantDraft {
  id: QuadrantId;
  sector: string | null;
  zone: string | null;
  alcaldia: string | null;
  geometry: AreaGeometry;
  /** The feature's properties as uploaded. */
  properties: Record<string, unknown>;
}

export type ImportProblemCode =
  | 'NOT_A_FEATURE' | 'MISSING_ID' | 'DUPLICATE_ID' | 'MISSING_GEOMETRY' | 'NOT_POLYGON'
  | 'BAD_STRUCTURE' | 'INVALID_POSITION' | 'OUT_OF_RANGE' | 'LAT_LON_SWAPPED'
  | 'RING_TOO_SHORT' | 'RING_NOT_CLOSED';

export interface ImportProblem { index: number; id: string | null; code: ImportProblemCode; problem: Localized }

export const DEFAULT_MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/** Enough to fix a file; a file with thousands of broken features needs a different conversation. */
export const MAX_IMPORT_PROBLEMS = 100;

/**
 * Raw text or bytes (size-checked, then parsed) or an already-parsed object.
 * Throws IMPORT_TOO_LARGE, IMPORT_NOT_FEATURE_COLLECTION, IMPORT_EMPTY, or IMPORT_INVALID_FEATURE
 * naming the first problem, with `details.problems` listing all of them (up to MAX_IMPORT_PROBLEMS).
 */
export function parseQuadrantCollection(
  input: string | Uint8Array | unknown,
  mapping: PropertyMapping,
  opts: { maxBytes?: number } = {},
): QuadrantDraft[] {
  const features = featuresOf(toDocument(input, opts.maxBytes ?? DEFAULT_MAX_IMPORT_BYTES));
  const problems = new Problems();
  const firstUse = new Map<string, number>();
  const drafts: QuadrantDraft[] = [];
  for (let index = 0; index < features.length && !problems.full; index++) {
    const draft = readFeature(features[index], index, mapping, firstUse, problems);
    if (draft) drafts.push(draft);
  }
  problems.throwIfAny();
  return drafts;
}

// ——— the document ———

function toDocument(input: unknown, maxBytes: number): unknown {
  if (typeof input === 'string') {
    const size = utf8Length(input);
    if (size > maxBytes) throw new DomainError('IMPORT_TOO_LARGE', { limit: maxBytes }, { size });
    return parseJson(input);
  }
  if (input instanceof Uint8Array) {
    if (input.byteLength > maxBytes) throw new DomainError('IMPORT_TOO_LARGE', { limit: maxBytes }, { size: input.byteLength });
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      throw new DomainError('IMPORT_NOT_FEATURE_COLLECTION', {}, { reason: 'invalid_utf8' });
    }
    return parseJson(text);
  }
  return input;
}

function utf8Length(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) { bytes += 4; i++; } else bytes += 3;
  }
  return bytes;
}

function parseJson(raw: string): unknown {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  try {
    return JSON.parse(text);
  } catch (e) {
    // V8 does not always say where ("Unexpected token '}', ... is not valid JSON"), so find it.
    const message = e instanceof Error ? e.message : String(e);
    const position = jsonErrorOffset(text);
    if (position < 0) throw new DomainError('IMPORT_NOT_FEATURE_COLLECTION', {}, { reason: 'invalid_json', message });
    const before = text.slice(0, position);
    const line = before.split('\n').length;
    const column = position - before.lastIndexOf('\n');
    throw new DomainError('IMPORT_NOT_FEATURE_COLLECTION', {}, { reason: 'invalid_json', position, line, column, message });
  }
}

function featuresOf(doc: unknown): unknown[] {
  if (!isObject(doc) || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    throw new DomainError('IMPORT_NOT_FEATURE_COLLECTION', {}, { reason: 'not_feature_collection', found: kindOf(doc) });
  }
  if (doc.features.length === 0) throw new DomainError('IMPORT_EMPTY');
  return doc.features;
}

// ——— one feature ———

type Report = (code: ImportProblemCode, problem: Localized) => void;

function readFeature(
  feature: unknown, index: number, mapping: PropertyMapping, firstUse: Map<string, number>, problems: Problems,
): QuadrantDraft | null {
  if (!isObject(feature) || feature.type !== 'Feature') {
    problems.add({ index, id: null, code: 'NOT_A_FEATURE', problem: {
      es: `no es un Feature de GeoJSON (es ${kindOf(feature)})`,
      en: `is not a GeoJSON Feature (it is ${kindOf(feature)})`,
    } });
    return null;
  }
  const properties = isObject(feature.properties) ? feature.properties : {};
  const id = readId(properties, mapping.id);
  const report: Report = (code, problem) => problems.add({ index, id: typeof id === 'string' ? id : null, code, problem });
  if (typeof id !== 'string') report('MISSING_ID', id);
  else if (firstUse.has(id)) {
    const first = firstUse.get(id);
    report('DUPLICATE_ID', { es: `el id «${id}» ya lo usa el elemento ${first}`, en: `id "${id}" is already used by feature ${first}` });
  } else firstUse.set(id, index);
  const geometry = checkGeometry(feature.geometry, report);
  if (typeof id !== 'string' || !geometry) return null;
  return {
    id: quadrantId(id),
    sector: readText(properties, mapping.sector),
    zone: readText(properties, mapping.zone),
    alcaldia: readText(properties, mapping.alcaldia),
    geometry,
    properties,
  };
}

/** The id as a trimmed string, or what is wrong with it. */
function readId(properties: Record<string, unknown>, key: string): string | Localized {
  const value = properties[key];
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (value === undefined || value === null) {
    return { es: `falta la propiedad «${key}» con el id del cuadrante`, en: `the "${key}" property (the quadrant id) is missing` };
  }
  if (typeof value === 'string') return { es: `la propiedad «${key}» (el id) está vacía`, en: `the "${key}" property (the id) is empty` };
  return {
    es: `la propiedad «${key}» (el id) debe ser texto o número, no ${kindOf(value)}`,
    en: `the "${key}" property (the id) must be a string or a number, not ${kindOf(value)}`,
  };
}

function readText(properties: Record<string, unknown>, key: string | undefined): string | null {
  const value = key === undefined ? undefined : properties[key];
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

// ——— geometry ———

function checkGeometry(geometry: unknown, report: Report): AreaGeometry | null {
  if (!isObject(geometry)) {
    report('MISSING_GEOMETRY', { es: 'no tiene geometría', en: 'has no geometry' });
    return null;
  }
  const { type, coordinates } = geometry;
  if (type !== 'Polygon' && type !== 'MultiPolygon') {
    const found = typeof type === 'string' ? type : kindOf(type);
    report('NOT_POLYGON', {
      es: `la geometría es ${found}; se espera Polygon o MultiPolygon`,
      en: `the geometry is ${found}; expected Polygon or MultiPolygon`,
    });
    return null;
  }
  let ok: boolean;
  if (type === 'Polygon') ok = checkPolygon(coordinates, null, report);
  else if (!Array.isArray(coordinates) || coordinates.length === 0) {
    report('BAD_STRUCTURE', { es: 'el MultiPolygon no tiene polígonos', en: 'the MultiPolygon has no polygons' });
    ok = false;
  } else {
    ok = coordinates.map((polygon, p) => checkPolygon(polygon, p, report)).every(Boolean);
  }
  return ok ? ({ type, coordinates } as AreaGeometry) : null;
}

function checkPolygon(rings: unknown, polygon: number | null, report: Report): boolean {
  if (!Array.isArray(rings) || rings.length === 0) {
    const which = polygon === null ? { es: 'el polígono', en: 'the polygon' } : { es: `el polígono ${polygon}`, en: `polygon ${polygon}` };
    report('BAD_STRUCTURE', { es: `${which.es} no tiene anillos`, en: `${which.en} has no rings` });
    return false;
  }
  return rings.map((ring, r) => checkRing(ring, ringName(r, polygon), report)).every(Boolean);
}

function ringName(ring: number, polygon: number | null): Localized {
  return polygon === null
    ? { es: `anillo ${ring}`, en: `ring ${ring}` }
    : { es: `anillo ${ring} del polígono ${polygon}`, en: `ring ${ring} of polygon ${polygon}` };
}

function checkRing(ring: unknown, name: Localized, report: Report): boolean {
  if (!Array.isArray(ring)) {
    report('BAD_STRUCTURE', { es: `${name.es} no es una lista de posiciones`, en: `${name.en} is not a list of positions` });
    return false;
  }
  const bad = ring.map((p, i) => [p, i] as const).filter(([p]) => !isPosition(p));
  const [firstBad] = bad;
  if (firstBad) {
    const [p, i] = firstBad;
    const more = andMore(bad.length - 1);
    report('INVALID_POSITION', {
      es: `${name.es}: la posición ${i} no es un par de números finitos: ${show(p)}${more.es}`,
      en: `${name.en}: position ${i} is not a pair of finite numbers: ${show(p)}${more.en}`,
    });
    return false;
  }
  const positions = ring as number[][];
  const ok = [checkRange(positions, name, report), checkLength(positions, name, report)].every(Boolean);
  return ok && checkClosed(positions, name, report);
}

function checkRange(ring: number[][], name: Localized, report: Report): boolean {
  const out = ring.map((p, i) => [p, i] as const).filter(([[lon = 0, lat = 0]]) => !isValidLon(lon) || !isValidLat(lat));
  const [first] = out;
  if (!first) return true;
  const [[lon = 0, lat = 0], i] = first;
  const more = andMore(out.length - 1);
  const where = { es: `${name.es}: la posición ${i} ${show([lon, lat])} está fuera de rango`, en: `${name.en}: position ${i} ${show([lon, lat])} is out of range` };
  if (isValidLon(lat) && isValidLat(lon)) {
    report('LAT_LON_SWAPPED', {
      es: `${where.es}; parece que latitud y longitud están invertidas (GeoJSON usa [longitud, latitud])${more.es}`,
      en: `${where.en}; latitude and longitude look swapped (GeoJSON uses [longitude, latitude])${more.en}`,
    });
  } else {
    const projected = Math.abs(lon) > 360 && Math.abs(lat) > 360;
    const hint = projected
      ? { es: '; ¿coordenadas proyectadas (UTM, Web Mercator)? Se requieren grados WGS84', en: '; projected coordinates (UTM, Web Mercator)? WGS84 degrees are required' }
      : { es: '', en: '' };
    report('OUT_OF_RANGE', {
      es: `${where.es} (longitud en [-180, 180], latitud en [-90, 90])${hint.es}${more.es}`,
      en: `${where.en} (longitude in [-180, 180], latitude in [-90, 90])${hint.en}${more.en}`,
    });
  }
  return false;
}

function checkLength(ring: number[][], name: Localized, report: Report): boolean {
  if (ring.length >= 4) return true;
  report('RING_TOO_SHORT', {
    es: `${name.es} tiene ${ring.length} posiciones; un anillo necesita al menos 4 (la primera repetida al final)`,
    en: `${name.en} has ${ring.length} positions; a ring needs at least 4 (the first repeated at the end)`,
  });
  return false;
}

function checkClosed(ring: number[][], name: Localized, report: Report): boolean {
  const first = ring[0] ?? [];
  const last = ring[ring.length - 1] ?? [];
  if (first[0] === last[0] && first[1] === last[1]) return true;
  report('RING_NOT_CLOSED', {
    es: `${name.es} no está cerrado: primer punto ${show(first)} ≠ último ${show(last)}`,
    en: `${name.en} is not closed: first point ${show(first)} ≠ last ${show(last)}`,
  });
  return false;
}

/** [lon, lat] or [lon, lat, altitude], all finite numbers (RFC 7946 §3.1.1). */
function isPosition(p: unknown): boolean {
  return Array.isArray(p) && (p.length === 2 || p.length === 3) && p.every((n) => typeof n === 'number' && Number.isFinite(n));
}

// ——— problems ———

class Problems {
  readonly items: ImportProblem[] = [];
  full = false;
  add(problem: ImportProblem): void {
    if (this.items.length < MAX_IMPORT_PROBLEMS) this.items.push(problem);
    else this.full = true;
  }
  throwIfAny(): void {
    const first = this.items[0];
    if (!first) return;
    throw new DomainError(
      'IMPORT_INVALID_FEATURE',
      { index: first.index, id: first.id ?? '—', problem: first.problem },
      { problems: this.items, truncated: this.full },
    );
  }
}

function andMore(n: number): Localized {
  return n > 0 ? { es: ` (y ${n} más)`, en: ` (and ${n} more)` } : { es: '', en: '' };
}

function show(value: unknown): string {
  const s = Array.isArray(value) && value.every((n) => typeof n === 'number')
    ? `[${value.join(', ')}]`
    : stringified(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** JSON.stringify overflows its stack on a value nested thousands deep (a hostile import did: a 500); only 60 characters are shown. */
function stringified(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Array.isArray(value) ? '[[[…' : '{…';
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What a value is, in words an analyst recognises: a GeoJSON type name, or the JSON kind. */
function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (isObject(v) && typeof v.type === 'string') return v.type;
  return typeof v;
}

export { jsonErrorOffset };
