import type { StaffSession } from '../shared/session.js';
import type { Localized } from '../shared/types.js';

// Shapes of the analysts' extortion API (src/extortion/routes.ts) as this page reads them.
// Times are epoch milliseconds unless named *At and typed string.

export type AnalystRole = 'analyst' | 'admin';
export type Session = StaffSession;

export type Level = 'none' | 'suspicious' | 'probable' | 'confirmed' | 'spoofed';
export type Channel = 'call' | 'sms' | 'whatsapp' | 'other';

/** One stored report, with the reporter's salted keys (analysts only). */
export interface ReportRow {
  id: string;
  e164: string;
  channel: Channel;
  type: string;
  occurred_at: number;
  claimed: string | null;
  amount_mxn: number | null;
  paid: 0 | 1;
  clabe: string | null;
  card_masked: string | null;
  bank: string | null;
  notes: string | null;
  reporter_user_id: string | null;
  key_account: string | null;
  key_device: string | null;
  key_network: string | null;
  status: string;
  created_at: number;
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
  owner_name: string;
  contact: string;
  reason: string;
  status: DisputeStatus;
  created_at: number;
  resolution_note: string | null;
}

export interface Decision { status: 'confirmed' | 'rejected'; note: string | null; decidedAt: number }

export interface NumberPage {
  e164: string;
  reputation: Reputation;
  reports: ReportRow[];
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
