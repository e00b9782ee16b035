import { NetworkError, request, toApiError, type AuthOptions } from '../shared/api.js';
import { logout, type SessionCall } from '../shared/dispatchApi.js';
import type { Campaign, Dispute, NumberPage, ProtectedNumber, ReportView, Reputation, ScamTypeInfo, Stats } from './types.js';

// The analysts' HTTP calls, each made through the session (bearer token; a 401 ends the session).

export type ExportFormat = 'json' | 'csv';

/** A case file as the browser should save it. */
export interface CaseFile { filename: string; type: string; text: string }

const enc = encodeURIComponent;

export function analystApi(authed: SessionCall) {
  const get = <T>(path: string) => authed((o) => request<T>('GET', path, undefined, o));
  const send = <T>(method: string, path: string, body?: unknown) => authed((o) => request<T>(method, path, body, o));
  const x = '/api/v1/extortion';
  return {
    signOut: () => authed((o) => logout(o)),
    types: () => get<ScamTypeInfo[]>(`${x}/types`),
    queue: () => get<ReportView[]>(`${x}/queue`),
    number: (n: string) => get<NumberPage>(`${x}/numbers/${enc(n)}`),
    decide: (n: string, status: 'confirmed' | 'rejected' | null, note: string) =>
      send<Reputation>('POST', `${x}/numbers/${enc(n)}/decision`, note ? { status, note } : { status }),
    disputes: (status: string) => get<Dispute[]>(`${x}/disputes?status=${enc(status)}`),
    resolve: (id: string, outcome: 'upheld' | 'denied', note: string) =>
      send<Reputation>('POST', `${x}/disputes/${enc(id)}/resolution`, note ? { outcome, note } : { outcome }),
    protectedNumbers: () => get<ProtectedNumber[]>(`${x}/protected`),
    protect: (n: string, label: string) => send<Reputation>('PUT', `${x}/protected/${enc(n)}`, { label }),
    unprotect: (n: string) => send<Reputation>('DELETE', `${x}/protected/${enc(n)}`),
    campaigns: (days: number) => get<Campaign[]>(`${x}/campaigns?days=${days}`),
    stats: (from: Date, to: Date) =>
      get<Stats>(`${x}/stats?${new URLSearchParams({ from: from.toISOString(), to: to.toISOString() })}`),
    exportCase: (numbers: string[], format: ExportFormat) => authed((o) => fetchCase(numbers, format, o)),
  };
}

export type AnalystApi = ReturnType<typeof analystApi>;

/** The export answers JSON or a CSV attachment; both are read as text to be saved as a file. */
async function fetchCase(numbers: string[], format: ExportFormat, o: AuthOptions): Promise<CaseFile> {
  let res: Response;
  try {
    res = await fetch('/api/v1/extortion/exports', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': o.lang, authorization: `Bearer ${o.token}` },
      body: JSON.stringify({ numbers, format }),
    });
  } catch (err) {
    throw new NetworkError(String(err));
  }
  const text = await res.text();
  if (!res.ok) throw toApiError(safeJson(text), res.status);
  const stamp = new Date().toISOString().slice(0, 10);
  return format === 'csv'
    ? { filename: `caso-extorsion-${stamp}.csv`, type: 'text/csv;charset=utf-8', text }
    : { filename: `caso-extorsion-${stamp}.json`, type: 'application/json', text: JSON.stringify(safeJson(text), null, 2) };
}

function safeJson(text: string): unknown {
  try { return JSON.parse(text); } catch { return null; }
}

/** Saves a case file through a temporary link (no server round trip, no popup). */
export function saveFile(file: CaseFile): void {
  const url = URL.createObjectURL(new Blob([file.text], { type: file.type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
