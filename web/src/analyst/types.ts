import type { StaffSession } from '../shared/session.js';

// Shapes of the analysts' extortion API: the server's own contract (src/contracts/extortion.ts),
// imported as types only, under the names this page uses. Times are epoch milliseconds unless
// named *At and typed string.

export type { AnalystRole } from '../../../src/rules/index.js';
export type Session = StaffSession;

export type {
  AnalystReputation as Reputation, Campaign, CampaignEvidence, Channel, Decision, Dispute, DisputeStatus, NumberPage, NumberReport,
  ProtectedNumber, ReporterGroup, ReportView, ReputationLevel as Level, ScamTypeInfo, Stats,
} from '../../../src/contracts/extortion.js';
