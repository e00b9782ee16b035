import { LOCALES } from '../shared/i18n.js';
import type { Lang } from '../shared/types.js';

// Times and numbers as an operator reads them at a glance: clocks in m:ss, shares in percent.

const pad = (n: number) => String(n).padStart(2, '0');

/** m:ss (or h:mm:ss past an hour); negative durations read as 0:00. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** Whole seconds remaining until a deadline, rounded up so 0 means "due now". */
export const secondsUntil = (deadline: number, now: number): number => Math.max(0, Math.ceil((deadline - now) / 1000));

/** Seconds from the API (may be null when nothing was measured) as m:ss. */
export const seconds = (s: number | null): string => (s === null ? '—' : clock(s * 1000));

export function share(value: number | null, lang: Lang): string {
  if (value === null) return '—';
  return new Intl.NumberFormat(LOCALES[lang], { style: 'percent', maximumFractionDigits: 0 }).format(value);
}

export function timeOfDay(iso: string | number, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALES[lang], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(new Date(iso));
}

export function coordinate(value: number): string {
  return value.toFixed(5);
}
