import { useCallback, useEffect, useState } from 'preact/hooks';
import { applyLang, rememberLang, storedLang } from './i18n.js';
import type { Lang } from './types.js';

/**
 * The page language: the person's earlier choice on this device, else the server's default
 * (once known), else Spanish. Only an explicit choice is remembered.
 */
export function useLang() {
  const [lang, setLang] = useState<Lang>(() => storedLang() ?? 'es');

  useEffect(() => applyLang(lang), [lang]);

  const choose = useCallback((next: Lang) => {
    rememberLang(next);
    setLang(next);
  }, []);

  const adoptServerDefault = useCallback((serverDefault: Lang) => {
    if (!storedLang()) setLang(serverDefault);
  }, []);

  return { lang, choose, adoptServerDefault };
}
