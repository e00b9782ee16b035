import { useEffect, useRef, useState } from 'preact/hooks';
import { localizeControls, type MapLibreMap } from './map.js';
import type { Lang, PublicConfig } from './types.js';

export type StartMap = (container: HTMLElement, config: PublicConfig, lang: Lang) => Promise<MapLibreMap>;

/**
 * A page's map, started by `start` (which adds the page's layers and handlers) once the config is
 * known; the page works before it appears. `failed` when it could not start. A map that finishes
 * loading after the page let go of it is removed at once.
 */
export function usePageMap(config: PublicConfig | null, lang: Lang, start: StartMap) {
  const container = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!config || !container.current) return;
    let live = true;
    start(container.current, config, lang).then((m) => {
      if (live) setMap(m);
      else m.remove();
    }, (err: unknown) => {
      console.error('map failed to start', err);
      setFailed(true);
    });
    return () => { live = false; };
  }, [config]);

  useEffect(() => { if (map) localizeControls(map, lang); }, [map, lang]);

  return { container, map, failed };
}
