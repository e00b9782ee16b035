import { useEffect, useState } from 'preact/hooks';
import { pick } from '../shared/i18n.js';
import type { Lang } from '../shared/types.js';
import type { AnalystApi } from './api.js';
import type { ScamTypeInfo } from './types.js';

export type TypeLabel = (id: string) => string;

/** The scam types' names come from the server (one list for every page); the id until they arrive. */
export function useTypeLabels(api: AnalystApi, lang: Lang): TypeLabel {
  const [types, setTypes] = useState<ReadonlyMap<string, ScamTypeInfo>>(new Map());
  useEffect(() => {
    api.types().then((list) => setTypes(new Map(list.map((t) => [t.id, t]))), () => undefined);
  }, [api]);
  return (id: string) => {
    const t = types.get(id);
    return t ? pick(t.label, lang) : id;
  };
}
