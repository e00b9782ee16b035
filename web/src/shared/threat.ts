import type { ThreatLevel } from './types.js';

// Five levels, green to dark red, each paired with a text label everywhere it appears so
// colour is never the only signal. Text on a level's colour is dark except on level 5
// (all pairs at least 4.5:1).
export const THREAT_LEVELS: readonly ThreatLevel[] = [1, 2, 3, 4, 5];

const COLORS: Record<ThreatLevel, string> = {
  1: '#1a9850',
  2: '#91cf60',
  3: '#fee08b',
  4: '#f46d43',
  5: '#a50026',
};

export const threatColor = (level: ThreatLevel): string => COLORS[level];

/** Text colour that reads on top of the level's colour. */
export const threatTextColor = (level: ThreatLevel): string => (level === 5 ? '#ffffff' : '#111111');

export const UNKNOWN_THREAT_COLOR = '#9e9e9e';
