import type { Lang } from '../shared/types.js';
import type { AnalystApi } from './api.js';
import type { TypeLabel } from './useTypes.js';

/** What every view of the desk receives. `picked` is the case file being built for export. */
export interface ViewProps {
  api: AnalystApi;
  lang: Lang;
  typeLabel: TypeLabel;
  onOpen: (number: string) => void;
  picked: ReadonlySet<string>;
  onPick: (number: string, on: boolean) => void;
}
