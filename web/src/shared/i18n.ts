import type { Lang, Localized } from './types.js';

// Language handling shared by every page: Spanish first, English on request, the choice
// remembered on this device. Each page keeps its own strings in a dictionary built with
// defineStrings(), so a missing English string is a type error rather than a blank button.

const STORAGE_KEY = 'cuadrante.lang';

export const isLang = (value: unknown): value is Lang => value === 'es' || value === 'en';

/** The language the person chose earlier on this device, if any. */
export function storedLang(): Lang | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLang(value) ? value : null;
  } catch {
    return null; // storage disabled (private mode, strict settings)
  }
}

export function rememberLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembering is acceptable; the page still switches.
  }
}

/** Keeps <html lang> in step so screen readers pronounce the page correctly. */
export function applyLang(lang: Lang): void {
  document.documentElement.lang = lang;
}

export const otherLang = (lang: Lang): Lang => (lang === 'es' ? 'en' : 'es');

export function defineStrings<T>(dict: { es: T; en: T }): Readonly<Record<Lang, T>> {
  return dict;
}

export const pick = (text: Localized, lang: Lang): string => text[lang] || text.es;

/** The locale each page language formats numbers and dates in. */
export const LOCALES: Record<Lang, string> = { es: 'es-MX', en: 'en-US' };

/** A time of day as hours and minutes, e.g. "14:05". */
export const hourMinute = (iso: string, lang: Lang): string =>
  new Intl.DateTimeFormat(LOCALES[lang], { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

export function formatDistance(meters: number, lang: Lang): string {
  const fmt = (n: number, digits: number) =>
    new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: digits }).format(n);
  return meters < 1000 ? `${fmt(Math.round(meters), 0)} m` : `${fmt(meters / 1000, 1)} km`;
}

/** Strings every page needs. */
export const common = defineStrings({
  es: {
    switchTo: 'English',
    switchToLabel: 'Cambiar el idioma a inglés',
    threatLevels: ['muy bajo', 'bajo', 'medio', 'alto', 'muy alto'],
    call911: 'Llamar al 911',
    networkError: 'No hay conexión con el servidor. Revisa tu conexión e intenta de nuevo. En una emergencia llama al 911.',
    genericError: 'Algo salió mal. Intenta de nuevo.',
  },
  en: {
    switchTo: 'Español',
    switchToLabel: 'Switch the language to Spanish',
    threatLevels: ['very low', 'low', 'medium', 'high', 'very high'],
    call911: 'Call 911',
    networkError: 'Cannot reach the server. Check your connection and try again. In an emergency call 911.',
    genericError: 'Something went wrong. Please try again.',
  },
});
