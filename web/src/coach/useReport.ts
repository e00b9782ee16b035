import { useCallback, useRef, useState } from 'preact/hooks';
import { deviceToken } from '../shared/device.js';
import { failureMessage } from '../shared/errors.js';
import { normalizeNumber } from '../../../src/rules/phone.js';
import type { Lang } from '../shared/types.js';
import { reportNumber, type NumberReputation, type ReportInput } from './api.js';
import type { CallNotes } from './useCallNotes.js';

export type ReportState =
  | { phase: 'idle' }
  | { phase: 'sending' }
  | { phase: 'done'; result: NumberReputation }
  | { phase: 'failed'; message: string };

/** "$ 50,000.00" → 50000; anything unreadable is left out rather than guessed. */
function amountOf(text: string): number | undefined {
  const n = Number(text.replace(/[$\s,]/g, ''));
  return text.trim() && Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** The report as the API takes it. The number goes as E.164 when the page could read it; else as typed, for the server to explain. */
export function toReport(n: CallNotes): ReportInput {
  const parsed = normalizeNumber(n.number);
  const optional = (s: string) => (s.trim() ? s.trim() : undefined);
  const input: ReportInput = { number: parsed.ok ? parsed.e164 : n.number.trim(), channel: n.channel, type: n.type || 'other' };
  const extra = { claimed: optional(n.claimed), amountMxn: amountOf(n.amount), clabe: optional(n.clabe), card: optional(n.card), notes: optional(n.notes) };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) Object.assign(input, { [k]: v });
  if (n.paid) input.paid = true;
  return input;
}

/** Anonymous unless this device already has the panic button's credential (sent so reports can be told apart). */
export function useReport(lang: Lang) {
  const [state, setState] = useState<ReportState>({ phase: 'idle' });
  const busy = useRef(false);

  const submit = useCallback(async (notes: CallNotes) => {
    if (busy.current) return;
    busy.current = true;
    setState({ phase: 'sending' });
    try {
      const result = await reportNumber(toReport(notes), { lang, token: deviceToken() });
      setState({ phase: 'done', result });
    } catch (err) {
      setState({ phase: 'failed', message: failureMessage(err, lang) });
    } finally {
      busy.current = false;
    }
  }, [lang]);

  const reset = useCallback(() => setState({ phase: 'idle' }), []);
  return { state, submit, reset };
}
