import type { StaffSession } from '../shared/session.js';
import type { Localized } from '../shared/types.js';

// Shapes of the analysts' extortion API (src/extortion/routes.ts) as this page reads them.
// Times are epoch milliseconds unless named *At and typed string.

export type AnalystRole = 'analyst' | 'admin';
export type Session = StaffSession;

export type Level = 'none' | 'suspicious' | 'probable' | 'confirmed' | 'spoofed';
export type Channel = 'call' | 'sms' | 'whatsapp' | 'other';

/** One report as the analysts' API shows it: what happened, never who sent it. */
export interface ReportView {
  id: string;
  e164: string;
  channel: Channel;
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

/** A report on a number's page, with the letter of its reporter (local to that page). */
export interface NumberReport extends ReportView { reporter: string }

/** One reporter on a number's page, grouped by the server: counts only, no keys or ids. */
export interface ReporterGroup {
  label: string;
  reports: number;
  devices: number;
  networks: number;
  anonymous: number;
}

export interface Reputation {
  e164: string;
  level: Level;
  score?: number;
  explanation: Localized;
  reports: number;
  independentReporters: number;
  effectiveReporters?: number;
  topTypes: Array<{ type: string; count: number }>;
  underReview: boolean;
  lastReportAt: number | string | null;
  basis?: string;
}

export type DisputeStatus = 'open' | 'upheld' | 'denied';

export interface Dispute {
  id: string;
  e164: string;
  ownerName: string;
  contact: string;
  reason: string;
  status: DisputeStatus;
  createdAt: string;
  resolvedAt: string | null;
  resolutionNote: string | null;
}

export interface Decision { status: 'confirmed' | 'rejected'; note: string | null; decidedAt: number }

export interface NumberPage {
  e164: string;
  reputation: Reputation;
  reports: NumberReport[];
  reporters: ReporterGroup[];
  disputes: Dispute[];
  protectedLabel: string | null;
  decision: Decision | null;
}

export interface ProtectedNumber { e164: string; label: string }

export interface ScamTypeInfo { id: string; label: Localized; hint?: Localized }

export interface Stats {
  reports: number;
  paid: number;
  amountPaidMxn: number;
  byType: Array<{ type: string; count: number }>;
  byWeek: Array<{ week: string; count: number }>;
}

export type CampaignEvidence =
  | { kind: 'bank_account'; account: string; numbers: string[]; reports: number }
  | { kind: 'script'; numbers: string[]; reports: number; similarity: number; example: string };

/** Numbers tied by a shared bank account or card, or by the same script (src/extortion/domain/campaigns.ts). */
export interface Campaign {
  id: string;
  numbers: string[];
  reportIds: string[];
  firstAt: number;
  lastAt: number;
  evidence: CampaignEvidence[];
}
