import { request, type AuthOptions } from '../shared/api.js';
import type { Localized } from '../shared/types.js';
import type { Channel, RangeEntry, ReportBody, ReportReceipt, ScamTypeInfo } from '../../../src/contracts/extortion.js';

// The extortion calls the call coach (/llamada) and the citizen page make (the family ones, for
// step 3, are family/api.ts). Shapes: the server's contract (src/contracts/extortion.ts), types only.

export type { Channel, RangeEntry, ReportReceipt as NumberReputation } from '../../../src/contracts/extortion.js';
/** A report as this page sends it (the contract's body; `type` one of the scam types). */
export type ReportInput = ReportBody;
export const CHANNELS: readonly Channel[] = ['call', 'whatsapp', 'sms', 'other'];

/** A scam type as the form uses it: the hint may be missing (the offline fallback has none). */
export type ScamType = Omit<ScamTypeInfo, 'hint'> & { hint: Localized | null };

export async function scamTypes(opts: AuthOptions): Promise<ScamType[]> {
  return request<ScamTypeInfo[]>('GET', '/api/v1/extortion/types', undefined, opts);
}

/** Anonymous, or with this phone's device credential (opts.token) when it has one: the server tells reporters apart by that alone. */
export const reportNumber = (input: ReportInput, opts: AuthOptions) =>
  request<ReportReceipt>('POST', '/api/v1/extortion/reports', input, opts);

/** Only the 5-character prefix of the number's hash travels; see shared/numbers.ts. */
export const numberRange = (path: string, opts: AuthOptions) => request<RangeEntry[]>('GET', path, undefined, opts);
