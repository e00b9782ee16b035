import type { AlertStatus, ShiftState } from '../shared/alerts.js';

// One palette for the map, the queue badges and the legend, so a colour means the same thing
// everywhere. Colour is never the only signal: every badge also carries its word.

export const STATUS_COLORS: Record<AlertStatus, string> = {
  new: '#d7191c',
  paging: '#d7191c',
  escalated: '#7b1fa2',
  acknowledged: '#e66100',
  en_route: '#1f6fb4',
  on_scene: '#1a7f37',
  resolved: '#6b7280',
  cancelled: '#6b7280',
};

export const SHIFT_COLORS: Record<ShiftState, string> = {
  available: '#1a7f37',
  busy: '#e66100',
  off_duty: '#8a8f98',
};

export const DURESS_COLOR = '#000000';
export const UNIT_STROKE = '#0b1f66';

/** A unit whose tracker has gone quiet: a pale, hollow-looking mark, whatever its shift state. */
export const NO_SIGNAL_COLOR = '#eceef1';
export const NO_SIGNAL_STROKE = '#7d8593';
/** A unit outside its quadrants for too long (ring on the map, badge in lists). */
export const OUTSIDE_COLOR = '#b35c00';
/** The selected unit's trail over the last hour. */
export const TRACK_COLOR = '#1f6fb4';
