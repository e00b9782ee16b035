import { useEffect, useState } from 'preact/hooks';
import { getPublicConfig } from './api.js';
import type { Lang, PublicConfig } from './types.js';

/** Used when the configuration cannot be fetched, so the map can still try to start. */
export const FALLBACK_CONFIG: PublicConfig = {
  basemapStyleUrl: null,
  city: { name: 'Ciudad de México', center: { lat: 19.4326, lon: -99.1332 }, zoom: 10 },
  defaultLang: 'es',
};

/**
 * The server's public configuration, read once; the page adopts its default language (unless the
 * person chose one). `fallback` stands in when it cannot be read; null when the page can do without.
 */
export function usePublicConfig(lang: Lang, adoptServerDefault: (l: Lang) => void, fallback: PublicConfig | null = null) {
  const [config, setConfig] = useState<PublicConfig | null>(null);
  useEffect(() => {
    getPublicConfig({ lang }).then((c) => {
      adoptServerDefault(c.defaultLang);
      setConfig(c);
    }, () => setConfig(fallback));
  }, []);
  return config;
}
