// The only module that imports MapLibre's code. It is reached through a dynamic import()
// (see map.ts), so the library, its worker and its CSS load after the page is usable.
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';

maplibregl.setWorkerUrl(workerUrl);

export { maplibregl };
