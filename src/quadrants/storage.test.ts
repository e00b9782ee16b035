// The storage suite, identical on both engines: what is written is read back the same way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableEngines } from '../../tests/support/engines.js';
import { openStorage, migrate, type Storage } from '../storage/index.js';
import { QuadrantStore } from './storage.js';
import type { QuadrantRecord } from './model.js';
import type { ThreatAssessment } from './domain/threat.js';

const engines = await availableEngines();

const square = (id: string, x: number): QuadrantRecord => ({
  id, sector: 'S-1', zone: 'CENTRO', alcaldia: 'CUAUHTEMOC',
  geometry: { type: 'Polygon', coordinates: [[[x, 19], [x + 0.01, 19], [x + 0.01, 19.01], [x, 19.01], [x, 19]]] },
  areaM2: 1_170_000.5, centroid: { lon: x + 0.005, lat: 19.005 }, interiorPoint: { lon: x + 0.005, lat: 19.005 },
  bbox: [x, 19, x + 0.01, 19.01], neighbours: [], properties: { nombre: `Cuadrante ${id}`, n: 1 },
});

describe.each(engines)('quadrant storage on $name', (engine) => {
  let storage: Storage;
  let store: QuadrantStore;
  let cleanup: () => Promise<void>;
  let schema: string | null = null;

  beforeAll(async () => {
    const fresh = await engine.fresh();
    cleanup = fresh.cleanup;
    schema = fresh.config.databaseSchema;
    storage = await openStorage({ databaseUrl: fresh.config.databaseUrl, dataDir: fresh.config.dataDir, schema: fresh.config.databaseSchema });
    store = new QuadrantStore(storage.db);
  });
  afterAll(async () => { await storage?.close(); await cleanup?.(); });

  it('applies migrations idempotently', async () => {
    await expect(migrate(storage.db, engine.name === 'postgres' ? schema : null)).resolves.toBeUndefined();
  });

  it('round-trips a quadrant set exactly, with geometry, numbers and properties', async () => {
    const a = square('A-1', -99.2);
    const version = await store.createSet({ name: 'v1', source: 'test', mapping: { id: 'clave' }, createdAt: 1_700_000_000_000, createdBy: null, quadrants: [a], sectors: [{ id: 'S-1', zone: 'CENTRO', alcaldia: null, geometry: null }] }, false, 1);
    expect(version).toBe(1);
    expect(await store.loadQuadrants(1)).toEqual([a]);
    expect(await store.loadSectors(1)).toEqual([{ id: 'S-1', zone: 'CENTRO', alcaldia: null, geometry: null }]);
    expect(await store.activeVersion()).toBeNull();
  });

  it('numbers versions in order and keeps exactly one active', async () => {
    const v2 = await store.createSet({ name: 'v2', source: 'test', mapping: { id: 'clave' }, createdAt: 2, createdBy: null, quadrants: [square('B-1', -99.1)], sectors: [] }, true, 10);
    expect(v2).toBe(2);
    expect(await store.activeVersion()).toBe(2);
    expect(await store.activate(1, 20)).toBe(true);
    expect(await store.activeVersion()).toBe(1);
    expect(await store.activate(42, 30)).toBe(false);
    expect(await store.activeVersion()).toBe(1);
    const sets = await store.listSets();
    expect(sets.map((s) => [s.version, s.active])).toEqual([[2, false], [1, true]]);
    expect(sets[1]!.activatedAt).toBe(new Date(20).toISOString());
    // History is kept: the old version's quadrants are still readable.
    expect((await store.loadQuadrants(2)).map((q) => q.id)).toEqual(['B-1']);
  });

  it('rolls a whole import back when one row fails', async () => {
    const dup = square('C-1', -99.0);
    await expect(store.createSet({ name: 'bad', source: 'test', mapping: { id: 'x' }, createdAt: 3, createdBy: null, quadrants: [dup, dup], sectors: [] }, true, 40)).rejects.toThrow();
    expect((await store.listSets()).map((s) => s.version)).toEqual([2, 1]);
    expect(await store.activeVersion()).toBe(1);
  });

  it('replaces contacts per quadrant, in order', async () => {
    await store.replaceContacts('A-1', [{ phone: '+525511112222', label: 'Patrulla' }, { phone: '+525533334444', label: null }], 'u1', 50);
    await store.replaceContacts('B-1', [{ phone: '+525500000000', label: null }], 'u1', 50);
    await store.replaceContacts('A-1', [{ phone: '+525599998888', label: 'Moto' }], 'u1', 60);
    const contacts = await store.loadContacts();
    expect(contacts.get('A-1')).toEqual([{ phone: '+525599998888', label: 'Moto' }]);
    expect(contacts.get('B-1')).toHaveLength(1);
  });

  it('replaces crime statistics, population and threat together', async () => {
    const threat: ThreatAssessment = {
      quadrantId: 'A-1', level: 4, label: { es: 'alto', en: 'high' }, score: 12.5, weightedPer1000: 3.25, population: 900, reports12m: 7,
      drivers: [], explanation: { es: 'x', en: 'y' }, window: { from: '2014-10', to: '2015-09' }, hasData: true,
    };
    await store.replaceCrimeData([{ quadrant: 'A-1', crime: 'VIOLACION', month: '2015-09', count: 7 }], new Map([['A-1', 900]]), new Map([['A-1', threat]]), 70);
    expect(await store.loadCrimeRecords()).toEqual([{ quadrant: 'A-1', crime: 'VIOLACION', month: '2015-09', count: 7 }]);
    expect(await store.loadPopulation()).toEqual(new Map([['A-1', 900]]));
    expect(await store.loadThreat()).toEqual(new Map([['A-1', threat]]));
    // A second import without population keeps the population it had.
    await store.replaceCrimeData([], null, new Map(), 80);
    expect(await store.loadCrimeRecords()).toEqual([]);
    expect(await store.loadPopulation()).toEqual(new Map([['A-1', 900]]));
    expect(await store.loadThreat()).toEqual(new Map());
  });
});
