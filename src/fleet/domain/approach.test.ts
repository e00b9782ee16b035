import { describe, expect, it } from 'vitest';
import { distanceAndEta, coarseApproach } from './approach.js';
import { CIRCUITY, SPEED_KMH } from './eta.js';

describe('what a citizen is told of the unit coming', () => {
  it('rounds the distance to 100 m and the ETA up to the whole minute', () => {
    expect(coarseApproach(1249, 61)).toEqual({ distanceM: 1200, etaMin: 2 });
    expect(coarseApproach(1250, 60)).toEqual({ distanceM: 1300, etaMin: 1 });
    expect(coarseApproach(40, 0)).toEqual({ distanceM: 0, etaMin: 0 });
  });

  it('measures from the unit to the alert along the great circle, at the unit type\'s speed', () => {
    // 0.01° of latitude is 1,111.95 m on the kernel's sphere (R = 6,371,008.8 m).
    const metres = 0.01 * Math.PI / 180 * 6_371_008.8;
    const car = distanceAndEta({ lat: 19.42, lon: -99.13 }, 'car', { lat: 19.43, lon: -99.13 });
    expect(car.distanceM).toBe(1100);
    // car: 1,111.95 m × 1.35 ÷ (30 km/h) = 180 s → 3 min; on foot (5 km/h): 1,081 s → 19 min.
    expect(Math.round((metres * CIRCUITY) / (SPEED_KMH.car / 3.6))).toBe(180);
    expect(car.etaMin).toBe(3);
    expect(distanceAndEta({ lat: 19.42, lon: -99.13 }, 'foot', { lat: 19.43, lon: -99.13 })).toEqual({ distanceM: 1100, etaMin: 19 });
  });
});
