import { useCallback, useRef, useState } from 'preact/hooks';
import { failureMessage } from '../shared/errors.js';
import type { InvalidProblem, ShortCodeService } from '../../../src/rules/index.js';
import { loadPhoneRule } from '../shared/phoneRule.js';
import { matchRange, rangePath, sha256Hex, type RangeEntry } from '../shared/numbers.js';
import type { Lang, Localized } from '../shared/types.js';
import { numberRange } from '../coach/api.js';

// "¿Quién me llama?": the typed number is normalised and hashed here; only the hash's first
// 5 characters go to the server, which answers with every listed number under that prefix.

export type Check =
  | { phase: 'idle' }
  | { phase: 'checking' }
  | { phase: 'short'; code: string; service: ShortCodeService }
  | { phase: 'invalid'; problem: InvalidProblem; detail: Localized }
  | { phase: 'done'; e164: string; entry: RangeEntry | null }
  | { phase: 'failed'; message: string };

export const explanationOf = (e: RangeEntry | null): Localized | null =>
  e?.explanation && typeof e.explanation.es === 'string' ? e.explanation : null;

export function useNumberCheck(lang: Lang) {
  const [check, setCheck] = useState<Check>({ phase: 'idle' });
  const latest = useRef(0);

  const run = useCallback(async (raw: string) => {
    const ticket = ++latest.current;
    setCheck({ phase: 'checking' });
    try {
      const parsed = (await loadPhoneRule()).normalizeNumber(raw);
      if (ticket !== latest.current) return;
      if (!parsed.ok && parsed.reason === 'short_code') { setCheck({ phase: 'short', code: parsed.code, service: parsed.service }); return; }
      if (!parsed.ok) { setCheck({ phase: 'invalid', problem: parsed.problem, detail: parsed.detail }); return; }
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
