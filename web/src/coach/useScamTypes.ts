import { useEffect, useState } from 'preact/hooks';
import type { Lang } from '../shared/types.js';
import { scamTypes, type ScamType } from './api.js';

/** Labels come in both languages, so the list is fetched once. Until then (or offline) only "other". */
const FALLBACK: ScamType[] = [{ id: 'other', label: { es: 'Otro', en: 'Other' }, hint: null }];

export function useScamTypes(lang: Lang): ScamType[] {
  const [types, setTypes] = useState<ScamType[]>(FALLBACK);
  useEffect(() => {
    scamTypes({ lang }).then((list) => { if (list.length) setTypes(list); }, () => undefined);
  }, []);
  return types;
}
