import { useCallback, useRef, useState } from 'preact/hooks';
import { failureMessage } from '../shared/errors.js';
import { matchRange, parseNumber, rangePath, sha256Hex, type RangeEntry, type ShortCodeKind } from '../shared/numbers.js';
import type { Lang, Localized } from '../shared/types.js';
import { numberRange } from '../coach/api.js';

// "¿Quién me llama?": the typed number is normalised and hashed here; only the hash's first
// 5 characters go to the server, which answers with every listed number under that prefix.

export type Check =
  | { phase: 'idle' }
  | { phase: 'checking' }
  | { phase: 'short'; code: string; service: ShortCodeKind }
  | { phase: 'invalid'; reason: 'empty' | 'local' | 'malformed' }
  | { phase: 'done'; e164: string; entry: RangeEntry | null }
  | { phase: 'failed'; message: string };

export const explanationOf = (e: RangeEntry | null): Localized | null =>
  e?.explanation && typeof e.explanation.es === 'string' ? e.explanation : null;

export function useNumberCheck(lang: Lang) {
  const [check, setCheck] = useState<Check>({ phase: 'idle' });
  const latest = useRef(0);

  const run = useCallback(async (raw: string) => {
    const ticket = ++latest.current;
    const parsed = parseNumber(raw);
    if (parsed.kind === 'short') { setCheck({ phase: 'short', code: parsed.code, service: parsed.service }); return; }
    if (parsed.kind === 'invalid') { setCheck({ phase: 'invalid', reason: parsed.reason }); return; }
    setCheck({ phase: 'checking' });
    try {
      const hash = await sha256Hex(parsed.e164);
      const body = await numberRange(rangePath(hash), { lang });
      if (ticket === latest.current) setCheck({ phase: 'done', e164: parsed.e164, entry: matchRange(hash, body) });
    } catch (err) {
      if (ticket === latest.current) setCheck({ phase: 'failed', message: failureMessage(err, lang) });
    }
  }, [lang]);

  const reset = useCallback(() => { latest.current++; setCheck({ phase: 'idle' }); }, []);
  return { check, run, reset };
}
