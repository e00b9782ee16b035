import { ApiError, NetworkError } from '../shared/api.js';
import { common } from '../shared/i18n.js';
import type { Lang } from '../shared/types.js';

/** Words for a failed call: the server's own message (already in the page's language) if any. */
export function errorText(err: unknown, lang: Lang): string {
  if (err instanceof ApiError && err.message) return err.message;
  if (err instanceof NetworkError) return common[lang].networkError;
  return common[lang].genericError;
}
