// Demo units for trying the system out (`CUADRANTE_DEMO=true` or `npm start -- --demo`), never
// created silently: a real city registers its own units.
import type { Services } from '../services.js';

const DEMO = [
  { callsign: 'P-148-A', type: 'car', quadrantIds: ['P-1.4.8'] },
  { callsign: 'P-147-A', type: 'motorcycle', quadrantIds: ['P-1.4.7'] },
  { callsign: 'C-113-A', type: 'car', quadrantIds: ['C-1.1.3'] },
  { callsign: 'C-113-B', type: 'bicycle', quadrantIds: ['C-1.1.3', 'C-1.1.2'] },
] as const;

export async function seedDemoUnits(services: Services): Promise<void> {
  const existing = new Set((await services.units.list()).map((u) => u.callsign));
  for (const d of DEMO) {
    if (existing.has(d.callsign)) continue;
    if (!d.quadrantIds.every((q) => services.quadrants.current?.indexOf(q) !== undefined)) continue;
    const unit = await services.units.create(null, { callsign: d.callsign, type: d.type, quadrantIds: [...d.quadrantIds] });
    const username = d.callsign.toLowerCase();
    await services.accounts.createUser(null, { username, password: `demo-${username}-2026`, role: 'unit', unitId: unit.id, displayName: d.callsign });
    console.log(`demo unit ${d.callsign}: sign in as ${username} / demo-${username}-2026`);
  }
}
