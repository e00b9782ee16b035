// What dispatch needs from other contexts, as narrow interfaces (filled in by the composition root, services.ts).

export interface QuadrantLookup {
  locate(lon: number, lat: number): { id: string; sector: string | null; alcaldia: string | null; version: number } | null;
  neighbours(quadrantId: string): string[];
  centroid(quadrantId: string): { lon: number; lat: number } | null;
}

/** Durable deadlines live in the alert rows; this only arms the in-process timer for them. */
export interface DeadlineTimer {
  arm(alertId: string, at: number): void;
  disarm(alertId: string): void;
}

export interface Actor {
  userId: string;
  role: 'citizen' | 'unit' | 'dispatcher' | 'analyst' | 'admin' | 'gateway';
  unitId: string | null;
}

/** Where a unit is now, when known (the fleet's last known positions provide it). */
export interface UnitLocator {
  position(unitId: string): { lat: number; lon: number } | null;
}
