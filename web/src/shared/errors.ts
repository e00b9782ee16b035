import { ApiError, NetworkError } from './api.js';
import { common } from './i18n.js';
import type { Lang } from './types.js';

/** Words for a failed call: the server's own message (already in the page's language) if any. */
export function failureMessage(err: unknown, lang: Lang): string {
  if (err instanceof ApiError && err.message) return err.message;
  if (err instanceof NetworkError) return common[lang].networkError;
  return common[lang].genericError;
}
