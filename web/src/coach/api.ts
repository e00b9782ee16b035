import { request, type AuthOptions } from '../shared/api.js';
import type { Localized } from '../shared/types.js';
import type { ReputationLevel } from '../shared/numbers.js';

// The extortion calls the call coach (/llamada) and the citizen page make (the family ones, for
// step 3, are family/api.ts). Mirrors src/extortion/routes.ts.

export type Channel = 'call' | 'sms' | 'whatsapp' | 'other';
export const CHANNELS: readonly Channel[] = ['call', 'whatsapp', 'sms', 'other'];

export interface ScamType { id: string; label: Localized; hint: Localized | null }

export interface ReportInput {
  number: string;
  channel: Channel;
  type: string;
  occurredAt?: string;
  claimed?: string;
  amountMxn?: number;
  paid?: boolean;
  clabe?: string;
  notes?: string;
}

export interface NumberReputation {
  id?: string;
  number: string;
  level: ReputationLevel;
  explanation: Localized | null;
  reports: number;
  independentReporters: number;
}

/** The server sends `{id, label:{es,en}, hint:{es,en}}`; the first contract said `{id, es, en}`: both read. */
function toScamType(raw: Record<string, unknown>): ScamType {
  const label = (raw.label ?? { es: raw.es, en: raw.en }) as Partial<Localized>;
  const id = String(raw.id);
  return { id, label: { es: label.es ?? id, en: label.en ?? label.es ?? id }, hint: (raw.hint as Localized | undefined) ?? null };
}

export async function scamTypes(opts: AuthOptions): Promise<ScamType[]> {
  const body = await request<unknown>('GET', '/api/v1/extortion/types', undefined, opts);
  const list = Array.isArray(body) ? body : (body as { types?: unknown[] } | null)?.types ?? [];
  return (list as Record<string, unknown>[]).filter((t) => t && typeof t.id === 'string').map(toScamType);
}

/** Anonymous, or with this phone's device credential (opts.token) when it has one: the server tells reporters apart by that alone. */
export const reportNumber = (input: ReportInput, opts: AuthOptions) =>
  request<NumberReputation>('POST', '/api/v1/extortion/reports', input, opts);

/** Only the 5-character prefix of the number's hash travels; see shared/numbers.ts. */
export const numberRange = (path: string, opts: AuthOptions) => request<unknown>('GET', path, undefined, opts);
