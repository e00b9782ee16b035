// What staff see of reports and disputes: explicit view objects, never stored rows. Reporters
// stay protected from staff too — an analyst sees "reporter A, B, C" within one number and
// nothing that names or links a reporter: no keys, no account or device id (a device id is also
// the actor of its panic alerts, so it would tie a report to that phone's locations).
import type { ReportChannel } from './reputation.js';

/** A dispute is open until an analyst upholds or denies it. */
export type DisputeStatus = 'open' | 'upheld' | 'denied';

/** What the views read from a stored report (storage.ts's row, without saying so). */
export interface ReportRecord {
  id: string; e164: string; channel: string; type: string; occurred_at: number; claimed: string | null;
  amount_mxn: number | null; paid: number; clabe: string | null; card_masked: string | null; bank: string | null;
  notes: string | null; key_account: string | null; key_device: string | null; key_network: string | null;
  status: string; created_at: number;
}

export interface DisputeRecord {
  id: string; e164: string; owner_name: string; contact: string; reason: string; status: string; created_at: number;
  resolved_at: number | null; resolution_note: string | null;
}

export interface ReportView {
  id: string;
  e164: string;
  channel: ReportChannel;
  type: string;
  occurredAt: string;
  claimed: string | null;
  amountMxn: number | null;
  paid: boolean;
  clabe: string | null;
  card: string | null;
  bank: string | null;
  notes: string | null;
  status: string;
  reportedAt: string;
}

/** A report on a number's page: with the letter of its reporter on that page. */
export interface NumberReportView extends ReportView { reporter: string }

/** One reporter on one number's page: counts only. */
export interface ReporterView {
  /** "A", "B", … "Z", "AA": in order of each reporter's first report; local to the page. */
  label: string;
  reports: number;
  /** Distinct devices (signed-in credentials) among them, and distinct networks. */
  devices: number;
  networks: number;
  /** Reports sent without a device credential. */
  anonymous: number;
}

export interface DisputeView {
  id: string; e164: string; ownerName: string; contact: string; reason: string; status: DisputeStatus;
  createdAt: string; resolvedAt: string | null; resolutionNote: string | null;
}

const iso = (ms: number) => new Date(Number(ms)).toISOString();

export function reportView(r: ReportRecord): ReportView {
  return {
    id: r.id, e164: r.e164, channel: r.channel as ReportChannel, type: r.type, occurredAt: iso(r.occurred_at), claimed: r.claimed,
    amountMxn: r.amount_mxn === null ? null : Number(r.amount_mxn), paid: Number(r.paid) === 1, clabe: r.clabe, card: r.card_masked, bank: r.bank,
    notes: r.notes, status: r.status, reportedAt: iso(r.created_at),
  };
}

export function disputeView(d: DisputeRecord): DisputeView {
  return {
    id: d.id, e164: d.e164, ownerName: d.owner_name, contact: d.contact, reason: d.reason, status: d.status as DisputeStatus,
    createdAt: iso(d.created_at), resolvedAt: d.resolved_at === null ? null : iso(d.resolved_at), resolutionNote: d.resolution_note,
  };
}

/** 0 → "A", 25 → "Z", 26 → "AA", 27 → "AB"… */
export function reporterLabel(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/**
 * Groups one number's reports by reporter: reports sharing any reporter key (account, device or
 * network) are one reporter (transitively). Letters follow each group's first report, so they are
 * stable while reports are added, and mean nothing on another number's page.
 */
export function groupReporters(reports: readonly ReportRecord[]): { reports: NumberReportView[]; reporters: ReporterView[] } {
  const rows = [...reports].sort((a, b) => Number(a.created_at) - Number(b.created_at) || (a.id < b.id ? -1 : 1));
  const parent = rows.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const owner = new Map<string, number>();
  rows.forEach((r, i) => {
    for (const key of [r.key_account && `a:${r.key_account}`, r.key_device && `d:${r.key_device}`, r.key_network && `n:${r.key_network}`]) {
      if (!key) continue;
      const j = owner.get(key);
      if (j === undefined) owner.set(key, i);
      else {
        const [a, b] = [find(i), find(j)];
        // The smaller index stays the root: a group is named after its first report.
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  });
  const labels = new Map<number, string>();
  const groups = new Map<string, { rows: ReportRecord[] }>();
  const views = rows.map((r, i) => {
    const root = find(i);
    let label = labels.get(root);
    if (label === undefined) labels.set(root, (label = reporterLabel(labels.size)));
    let g = groups.get(label);
    if (!g) groups.set(label, (g = { rows: [] }));
    g.rows.push(r);
    return { ...reportView(r), reporter: label };
  });
  const distinct = (values: Array<string | null>) => new Set(values.filter((v) => v)).size;
  const reporters = [...groups].map(([label, g]): ReporterView => ({
    label, reports: g.rows.length,
    devices: distinct(g.rows.map((r) => r.key_device ?? r.key_account)),
    networks: distinct(g.rows.map((r) => r.key_network)),
    anonymous: g.rows.filter((r) => !r.key_device && !r.key_account).length,
  }));
  return { reports: views, reporters };
}

/**
 * A spreadsheet reads a cell starting with = + - @ (or tab / carriage return) as a formula:
 * "=HYPERLINK(…)" in a victim's report would run on the police officer's computer. A leading
 * apostrophe makes it text (OWASP "CSV injection").
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
