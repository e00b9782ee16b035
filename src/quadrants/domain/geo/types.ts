import type { AreaGeometry } from '../../../kernel/index.js';

/** An area to index: its id and geometry. Results refer to areas by their position in the input array. */
export interface IndexedArea {
  id: string;
  geometry: AreaGeometry;
}
