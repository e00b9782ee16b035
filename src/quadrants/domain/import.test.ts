import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../kernel/index.js';
import {
  CDMX_MAPPING, MAX_IMPORT_PROBLEMS, jsonErrorOffset, parseQuadrantCollection,
  type ImportProblem, type PropertyMapping,
} from './import.js';

const MAPPING: PropertyMapping = { id: 'id', sector: 'sector', zone: 'zone', alcaldia: 'alcaldia' };

type Pos = number[];
/** A closed square ring around (lon, lat) — Mexico City by default. */
const square = (lon = -99.13, lat = 19.43, d = 0.01): Pos[] =>
  [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]];
const polygon = (...rings: unknown[]): unknown => ({ type: 'Polygon', coordinates: rings.length ? rings : [square()] });
const feature = (id: unknown, geometry: unknown = polygon(), extra: Record<string, unknown> = {}): unknown =>
  ({ type: 'Feature', properties: { id, ...extra }, geometry });
const collection = (...features: unknown[]): unknown => ({ type: 'FeatureCollection', features });

function domainError(run: () => unknown): DomainError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected a DomainError');
}
const problemsOf = (e: DomainError): ImportProblem[] => (e.details as { problems: ImportProblem[] }).problems;

describe('parseQuadrantCollection: valid files', () => {
  it('reads the real 847 CDMX quadrants, from bytes, with the CDMX mapping', () => {
    const bytes = readFileSync(new URL('../../../data/cdmx/cuadrantes.geojson', import.meta.url));
    const drafts = parseQuadrantCollection(bytes, CDMX_MAPPING);
    expect(drafts).toHaveLength(847);
    expect(new Set(drafts.map((d) => d.id)).size).toBe(847);
    expect(drafts[0]).toMatchObject({
      id: 'P-1.4.8', sector: 'SAN ANGEL', zone: 'PONIENTE', alcaldia: 'ALVARO OBREGON',
      properties: { cuadrante: 'P-1.4.8', cve_mun: '9010' },
    });
    expect(drafts.every((d) => d.geometry.type === 'Polygon')).toBe(true);
  });

  it('reads a MultiPolygon with a hole, keeping the geometry and the original properties', () => {
    const outer = square(-99.2, 19.3, 0.1);
    const hole = [[-99.17, 19.33], [-99.17, 19.36], [-99.14, 19.36], [-99.14, 19.33], [-99.17, 19.33]];
    const geometry = { type: 'MultiPolygon', coordinates: [[outer, hole], [square(-99.0, 19.3)]] };
    const [draft] = parseQuadrantCollection(
      collection(feature(' Q-1 ', geometry, { sector: 'Centro', zone: 'Z', alcaldia: 'Cuauhtémoc', extra: 7 })),
      MAPPING,
    );
    expect(draft).toEqual({
      id: 'Q-1', sector: 'Centro', zone: 'Z', alcaldia: 'Cuauhtémoc', geometry,
      properties: { id: ' Q-1 ', sector: 'Centro', zone: 'Z', alcaldia: 'Cuauhtémoc', extra: 7 },
    });
  });

  it('turns numeric ids into strings, leaves unmapped or missing properties null, accepts altitude', () => {
    const ring = square().map(([lon = 0, lat = 0]) => [lon, lat, 2240]);
    const drafts = parseQuadrantCollection(
      JSON.stringify(collection(feature(17, polygon(ring)), feature('18', undefined, { sector: '  ' }))),
      { id: 'id', sector: 'sector' },
    );
    expect(drafts.map((d) => [d.id, d.sector, d.zone, d.alcaldia])).toEqual([['17', null, null, null], ['18', null, null, null]]);
  });

  it('ignores a UTF-8 byte order mark', () => {
    const text = `\uFEFF${JSON.stringify(collection(feature('A')))}`;
    expect(parseQuadrantCollection(new TextEncoder().encode(text), MAPPING)).toHaveLength(1);
    expect(parseQuadrantCollection(text, MAPPING)).toHaveLength(1);
  });
});

describe('parseQuadrantCollection: the file as a whole', () => {
  it('checks the size before parsing, counting bytes, not characters', () => {
    const text = JSON.stringify(collection(feature('Ñuñoa')));
    const bytes = new TextEncoder().encode(text).length;
    expect(bytes).toBeGreaterThan(text.length);
    const e = domainError(() => parseQuadrantCollection(text, MAPPING, { maxBytes: text.length }));
    expect([e.code, e.params.limit, e.status]).toEqual(['IMPORT_TOO_LARGE', text.length, 413]);
    expect(parseQuadrantCollection(text, MAPPING, { maxBytes: bytes })).toHaveLength(1);
    const big = domainError(() => parseQuadrantCollection(new Uint8Array(101), MAPPING, { maxBytes: 100 }));
    expect(big.code).toBe('IMPORT_TOO_LARGE');
  });

  it.each([
    ['truncated', '{"type":"FeatureCollection","features":[', 40, 1, 41],
    ['trailing comma', '{"type":"FeatureCollection",\n  "features":[1,]}', 45, 2, 17],
    ['unquoted key', '{type:"FeatureCollection"}', 1, 1, 2],
    ['bad literal', '{"type":"FeatureCollection",\n"features":[tru]}', 41, 2, 13],
  ])('invalid JSON (%s) → IMPORT_NOT_FEATURE_COLLECTION with where it breaks', (_, text, position, line, column) => {
    const e = domainError(() => parseQuadrantCollection(text, MAPPING));
    expect(e.code).toBe('IMPORT_NOT_FEATURE_COLLECTION');
    expect(e.details).toMatchObject({ reason: 'invalid_json', position, line, column });
  });

  it('rejects bytes that are not UTF-8', () => {
    const e = domainError(() => parseQuadrantCollection(new Uint8Array([0x7b, 0xff, 0x7d]), MAPPING));
    expect([e.code, e.details]).toEqual(['IMPORT_NOT_FEATURE_COLLECTION', { reason: 'invalid_utf8' }]);
  });

  it.each([
    ['a single Feature', feature('A'), 'Feature'],
    ['a bare geometry', polygon(), 'Polygon'],
    ['an array of features', [feature('A')], 'array'],
    ['null', null, 'null'],
    ['a number', 42, 'number'],
    ['features that are not a list', { type: 'FeatureCollection', features: {} }, 'FeatureCollection'],
  ])('%s → IMPORT_NOT_FEATURE_COLLECTION saying what it found', (_, doc, found) => {
    const e = domainError(() => parseQuadrantCollection(doc, MAPPING));
    expect(e.code).toBe('IMPORT_NOT_FEATURE_COLLECTION');
    expect(e.details).toEqual({ reason: 'not_feature_collection', found });
  });

  it('an empty collection → IMPORT_EMPTY', () => {
    expect(domainError(() => parseQuadrantCollection(collection(), MAPPING)).code).toBe('IMPORT_EMPTY');
  });
});

const unclosed = [[-99.1, 19.4], [-99.0, 19.4], [-99.0, 19.5], [-99.2, 19.4]];
const swapped = square().map(([lon = 0, lat = 0]) => [lat, lon]);
const mercator = [[-11035000, 2210000], [-11034000, 2210000], [-11034000, 2211000], [-11035000, 2210000]];

// One bad feature per row, placed after a good one so the index named is 1.
describe.each([
  ['not a Feature', 'x', 'NOT_A_FEATURE', null, 'is not a GeoJSON Feature (it is string)'],
  ['a Feature without properties', { type: 'Feature', properties: null, geometry: polygon() }, 'MISSING_ID', null, 'the "id" property (the quadrant id) is missing'],
  ['id absent', feature(undefined), 'MISSING_ID', null, 'the "id" property (the quadrant id) is missing'],
  ['id empty', feature('   '), 'MISSING_ID', null, 'the "id" property (the id) is empty'],
  ['id an object', feature({ n: 1 }), 'MISSING_ID', null, 'must be a string or a number, not object'],
  ['id a boolean', feature(true), 'MISSING_ID', null, 'not boolean'],
  ['id repeated', feature('A'), 'DUPLICATE_ID', 'A', 'id "A" is already used by feature 0'],
  ['geometry null', feature('B', null), 'MISSING_GEOMETRY', 'B', 'has no geometry'],
  ['geometry absent', { type: 'Feature', properties: { id: 'B' } }, 'MISSING_GEOMETRY', 'B', 'has no geometry'],
  ['a Point', feature('B', { type: 'Point', coordinates: [-99.1, 19.4] }), 'NOT_POLYGON', 'B', 'the geometry is Point; expected Polygon or MultiPolygon'],
  ['a LineString', feature('B', { type: 'LineString', coordinates: square() }), 'NOT_POLYGON', 'B', 'the geometry is LineString'],
  ['a GeometryCollection', feature('B', { type: 'GeometryCollection', geometries: [polygon()] }), 'NOT_POLYGON', 'B', 'the geometry is GeometryCollection'],
  ['geometry without a type', feature('B', { coordinates: [square()] }), 'NOT_POLYGON', 'B', 'the geometry is undefined'],
  ['a polygon without rings', feature('B', { type: 'Polygon', coordinates: [] }), 'BAD_STRUCTURE', 'B', 'the polygon has no rings'],
  ['an empty MultiPolygon', feature('B', { type: 'MultiPolygon', coordinates: [] }), 'BAD_STRUCTURE', 'B', 'the MultiPolygon has no polygons'],
  ['a ring that is not a list', feature('B', polygon('nope')), 'BAD_STRUCTURE', 'B', 'ring 0 is not a list of positions'],
  ['a triangle of 3 positions', feature('B', polygon(square().slice(0, 3))), 'RING_TOO_SHORT', 'B', 'ring 0 has 3 positions; a ring needs at least 4'],
  ['an unclosed ring', feature('B', polygon(unclosed)), 'RING_NOT_CLOSED', 'B', 'ring 0 is not closed: first point [-99.1, 19.4] ≠ last [-99.2, 19.4]'],
  ['an unclosed hole', feature('B', polygon(square(-99.2, 19.3, 0.5), unclosed)), 'RING_NOT_CLOSED', 'B', 'ring 1 is not closed'],
  ['a position with text', feature('B', polygon([[-99.1, 19.4], ['-99', 19.5], ...square()])), 'INVALID_POSITION', 'B', 'ring 0: position 1 is not a pair of finite numbers: ["-99",19.5]'],
  ['a position with one number', feature('B', polygon([[-99.1], ...square()])), 'INVALID_POSITION', 'B', 'position 0 is not a pair of finite numbers: [-99.1]'],
  ['a non-finite coordinate', feature('B', polygon([[-99.1, Infinity], [NaN, 19], ...square()])), 'INVALID_POSITION', 'B', 'position 0 is not a pair of finite numbers: [-99.1, Infinity] (and 1 more)'],
  ['longitude beyond 180', feature('B', polygon(square(179.995))), 'OUT_OF_RANGE', 'B', 'ring 0: position 1 [180.005, 19.43] is out of range (longitude in [-180, 180], latitude in [-90, 90]) (and 1 more)'],
  ['latitude and longitude swapped', feature('B', polygon(swapped)), 'LAT_LON_SWAPPED', 'B', 'position 0 [19.43, -99.13] is out of range; latitude and longitude look swapped (GeoJSON uses [longitude, latitude]) (and 4 more)'],
  ['projected coordinates', feature('B', polygon(mercator)), 'OUT_OF_RANGE', 'B', 'projected coordinates (UTM, Web Mercator)? WGS84 degrees are required'],
])('%s', (_, bad, code, id, problem) => {
  it(`→ IMPORT_INVALID_FEATURE naming feature 1 (${id ?? '—'}): ${code}`, () => {
    const e = domainError(() => parseQuadrantCollection(collection(feature('A'), bad), MAPPING));
    expect(e.code).toBe('IMPORT_INVALID_FEATURE');
    expect(e.params).toMatchObject({ index: 1, id: id ?? '—' });
    expect(e.message).toContain(problem);
    expect(problemsOf(e)[0]).toMatchObject({ index: 1, id, code });
    expect(e.message_('es')).toMatch(/^Elemento 1 \(/);
  });
});

describe('parseQuadrantCollection: several problems', () => {
  it('names the first problem and lists all of them, in Spanish and English', () => {
    const multi = { type: 'MultiPolygon', coordinates: [[square()], [unclosed]] };
    const e = domainError(() => parseQuadrantCollection(
      collection(feature('A'), feature('A', multi), feature(undefined, { type: 'Point', coordinates: [0, 0] }), feature('C', null)),
      MAPPING,
    ));
    expect(problemsOf(e).map((p) => [p.index, p.id, p.code])).toEqual([
      [1, 'A', 'DUPLICATE_ID'],
      [1, 'A', 'RING_NOT_CLOSED'],
      [2, null, 'MISSING_ID'],
      [2, null, 'NOT_POLYGON'],
      [3, 'C', 'MISSING_GEOMETRY'],
    ]);
    expect(problemsOf(e)[1]?.problem).toEqual({
      es: 'anillo 0 del polígono 1 no está cerrado: primer punto [-99.1, 19.4] ≠ último [-99.2, 19.4]',
      en: 'ring 0 of polygon 1 is not closed: first point [-99.1, 19.4] ≠ last [-99.2, 19.4]',
    });
    expect(e.message_('es')).toBe('Elemento 1 (A): el id «A» ya lo usa el elemento 0');
    expect(e.message).toBe('Feature 1 (A): id "A" is already used by feature 0');
  });

  it('treats 7 and "7" as the same id', () => {
    const e = domainError(() => parseQuadrantCollection(collection(feature(7), feature(' 7')), MAPPING));
    expect(problemsOf(e)[0]).toMatchObject({ index: 1, id: '7', code: 'DUPLICATE_ID' });
  });

  it(`stops at ${MAX_IMPORT_PROBLEMS} problems`, () => {
    const features = Array.from({ length: 300 }, (_, i) => feature(`Q${i}`, null));
    const e = domainError(() => parseQuadrantCollection(collection(...features), MAPPING));
    expect(problemsOf(e)).toHaveLength(MAX_IMPORT_PROBLEMS);
    expect((e.details as { truncated: boolean }).truncated).toBe(true);
  });

  it('a problem-free prefix does not leak partial results: it is all or nothing', () => {
    expect(() => parseQuadrantCollection(collection(feature('A'), feature('B', null)), MAPPING)).toThrow(DomainError);
  });
});

describe('jsonErrorOffset', () => {
  it.each([
    ['{"a":}', 5], ['{"a":1', 6], ['[1,2,]', 5], ['{"a":1}x', 7], ['"abc', 4], ['{"a":"x\ny"}', 7],
    ['{"a":"\\q"}', 6], ['01', 1], ['', 0], ['{"a" 1}', 5], ['[1,2]', -1], ['{"a":[1,{"b":null}],"c":"\\u00e9"}', -1],
  ])('%j → %i', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  it('survives deep nesting', () => {
    expect(jsonErrorOffset(`${'['.repeat(100_000)}x`)).toBe(100_000);
  });
});
