// The active quadrant version held in memory: the geo index plus everything a look-up answers
// with, prebuilt so /locate does one index read and no allocation beyond its response.
import { displayPhone } from '../kernel/index.js';
import { QuadrantIndex, bboxIntersects, simplifyGeometry } from './domain/geo/index.js';
import { THREAT_LABELS, type ThreatAssessment, type ThreatLevel } from './domain/threat.js';
import type { Contact, QuadrantRecord, SectorRecord } from './model.js';
import type { StoredContact } from './storage.js';
import type { BBox, AreaGeometry } from '../kernel/index.js';

export interface ThreatSummary {
  level: ThreatLevel;
  label: { es: string; en: string };
  explanation: { es: string; en: string };
  drivers: ThreatAssessment['drivers'];
  window: ThreatAssessment['window'] | null;
}

/** A summary as /locate answers it: the threat without its drivers and window. */
export interface LocateSummary extends Omit<QuadrantSummary, 'threat'> {
  threat: Pick<ThreatSummary, 'level' | 'label' | 'explanation'>;
}

export interface QuadrantSummary {
  id: string;
  sector: string | null;
  zone: string | null;
  alcaldia: string | null;
  contacts: Contact[];
  threat: ThreatSummary;
}

const NO_DATA: ThreatSummary = {
  level: 1,
  label: THREAT_LABELS[1],
  explanation: { es: 'No hay estadísticas de delitos cargadas para este cuadrante.', en: 'No crime statistics are loaded for this quadrant.' },
  drivers: [],
  window: null,
};

export class ActiveSet {
  readonly index: QuadrantIndex;
  readonly summaries: QuadrantSummary[];
  /** What /locate answers with for each quadrant (presenters.ts keeps it serialised). */
  readonly locateSummaries: LocateSummary[];
  private readonly byId: Map<string, number>;
  private readonly simplified = new Map<number, AreaGeometry[]>();

  constructor(
    readonly version: number,
    readonly quadrants: readonly QuadrantRecord[],
    readonly sectors: readonly SectorRecord[],
    contacts: ReadonlyMap<string, StoredContact[]>,
    threat: ReadonlyMap<string, ThreatAssessment>,
    cityLine: string,
  ) {
    this.index = QuadrantIndex.build(quadrants.map((q) => ({ id: q.id, geometry: q.geometry })));
    this.byId = new Map(quadrants.map((q, i) => [q.id, i]));
    this.summaries = quadrants.map((q) => ({
      id: q.id, sector: q.sector, zone: q.zone, alcaldia: q.alcaldia,
      contacts: contactsFor(q.id, contacts.get(q.id), cityLine),
      threat: summarizeThreat(threat.get(q.id)),
    }));
    // What /locate answers: the threat's level, label and explanation — not its drivers and window
    // (GET /api/v1/quadrants/{id} has them), which were a third of every answer to a phone that
    // only shows the sentence (1.7 KB → 1.1 KB on a slow connection).
    this.locateSummaries = this.summaries.map((s) => ({
      ...s, threat: { level: s.threat.level, label: s.threat.label, explanation: s.threat.explanation },
    }));
  }

  indexOf(id: string): number | undefined { return this.byId.get(id); }

  /** Geometry simplified to a tolerance in metres, computed once per tolerance. */
  geometries(toleranceM: number): readonly AreaGeometry[] {
    if (toleranceM <= 0) return this.quadrants.map((q) => q.geometry);
    let g = this.simplified.get(toleranceM);
    if (!g) {
      g = this.quadrants.map((q) => simplifyGeometry(q.geometry, toleranceM));
      if (this.simplified.size > 8) this.simplified.clear(); // bound memory against many distinct tolerances
      this.simplified.set(toleranceM, g);
    }
    return g;
  }

  indicesInBbox(bbox: BBox | null): number[] {
    const out: number[] = [];
    this.quadrants.forEach((q, i) => { if (!bbox || bboxIntersects(q.bbox, bbox)) out.push(i); });
    return out;
  }
}

export function contactsFor(id: string, stored: readonly StoredContact[] | undefined, cityLine: string): Contact[] {
  if (!stored || stored.length === 0) {
    return [{
      phone: cityLine, display: displayPhone(cityLine), isDefault: true,
      label: { es: 'Línea de cuadrantes de la ciudad', en: 'City quadrant line' },
    }];
  }
  return stored.map((c) => ({
    phone: c.phone, display: displayPhone(c.phone), isDefault: false,
    label: { es: c.label ?? `Unidad del cuadrante ${id}`, en: c.label ?? `Quadrant ${id} unit` },
  }));
}

function summarizeThreat(t: ThreatAssessment | undefined): ThreatSummary {
  if (!t) return NO_DATA;
  // Exactly the fields of the response schema: a quadrant's document is sent without the schema serializer.
  return {
    level: t.level, label: { es: t.label.es, en: t.label.en }, explanation: { es: t.explanation.es, en: t.explanation.en },
    drivers: t.drivers.map((d) => ({ crime: d.crime, label: { es: d.label.es, en: d.label.en }, count12m: d.count12m, share: d.share })),
    window: t.window ? { from: t.window.from, to: t.window.to } : null,
  };
}
