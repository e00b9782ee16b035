import { LOCALES } from '../shared/i18n.js';
import type { Lang } from '../shared/types.js';

/** Accepts epoch ms or an ISO string, as the API mixes both. */
export function toMs(t: number | string | null | undefined): number | null {
  if (t === null || t === undefined) return null;
  const ms = typeof t === 'number' ? t : Date.parse(t);
  return Number.isFinite(ms) ? ms : null;
}

export function dateTime(t: number | string | null | undefined, lang: Lang): string {
  const ms = toMs(t);
  return ms === null ? '—' : new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}

export function money(mxn: number | null | undefined, lang: Lang): string {
  if (mxn === null || mxn === undefined) return '—';
  return new Intl.NumberFormat(LOCALES[lang], { style: 'currency', currency: 'MXN', maximumFractionDigits: 0 }).format(mxn);
}

export const count = (n: number, lang: Lang): string => new Intl.NumberFormat(LOCALES[lang]).format(n);

/** yyyy-mm-dd in local time, for <input type="date">. */
export function dateInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
