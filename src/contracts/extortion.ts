// What the extortion routes answer: public look-ups (plain and k-anonymous), reports and disputes,
// the carriers' feed, and the analysts' console. Imports nothing but typebox (the pages import
// these types). Reporters never appear: no keys, no account or device ids — analysts see letters.
import { Type, type Static } from 'typebox';
import { IsoTime, Nullable } from './common.js';

const Localized = Type.Object({ es: Type.String(), en: Type.String() });

export const ReputationLevel = Type.Union([Type.Literal('none'), Type.Literal('suspicious'), Type.Literal('probable'), Type.Literal('confirmed'), Type.Literal('spoofed')]);
export type ReputationLevel = Static<typeof ReputationLevel>;

export const Channel = Type.Union([Type.Literal('call'), Type.Literal('sms'), Type.Literal('whatsapp'), Type.Literal('other')]);
export type Channel = Static<typeof Channel>;

export const TypeCount = Type.Object({ type: Type.String(), count: Type.Integer() });
export type TypeCount = Static<typeof TypeCount>;

/** A scam type a citizen can report, with the words the form shows. */
export const ScamTypeInfo = Type.Object({ id: Type.String(), label: Localized, hint: Localized });
export type ScamTypeInfo = Static<typeof ScamTypeInfo>;

/** What anyone may see of a number: no reporter identities, no report texts. */
export const NumberReputation = Type.Object({
  number: Type.String({ description: 'E.164' }),
  level: ReputationLevel,
  explanation: Localized,
  reports: Type.Integer(),
  independentReporters: Type.Integer(),
  lastReportAt: Nullable(IsoTime()),
  topTypes: Type.Array(TypeCount),
  underReview: Type.Boolean(),
});
export type NumberReputation = Static<typeof NumberReputation>;

/** POST /api/v1/extortion/reports: the new report's id and the number's reputation with it. */
export const ReportReceipt = Type.Object({ id: Type.String(), ...NumberReputation.properties });
export type ReportReceipt = Static<typeof ReportReceipt>;

/** One listed number under a hash prefix: never the number itself. */
export const RangeEntry = Type.Object({
  hashSuffix: Type.String({ description: 'The SHA-256 hex of the E.164 string after the 5-character prefix' }),
  level: ReputationLevel, score: Type.Number(), underReview: Type.Boolean(),
});
export type RangeEntry = Static<typeof RangeEntry>;

export const DisputeReceipt = Type.Object({ id: Type.String(), e164: Type.String(), status: Type.Literal('open') });
export type DisputeReceipt = Static<typeof DisputeReceipt>;

export const FeedEntry = Type.Object({
  number: Type.String(), level: ReputationLevel,
  listed: Type.Boolean({ description: 'false: the number left the feed (cleared, or back below probable); remove it' }),
  reports: Type.Integer(), independentReporters: Type.Integer(), changedAt: IsoTime(),
});
export type FeedEntry = Static<typeof FeedEntry>;

export const BlocklistFeed = Type.Object({ generatedAt: IsoTime(), entries: Type.Array(FeedEntry) });
export type BlocklistFeed = Static<typeof BlocklistFeed>;

/** The CSV form of the feed: number,level,reports,independent_reporters,changed_at,listed. */
export const BlocklistCsv = Type.String({ description: 'CSV with a header line: number,level,reports,independent_reporters,changed_at,listed' });

// ——— analysts ———

/** The reputation as analysts read it: the public model with its score, weights and basis (epoch ms). */
export const AnalystReputation = Type.Object({
  e164: Type.String(),
  level: ReputationLevel,
  score: Type.Number({ description: '0–100, orders numbers within a level' }),
  reports: Type.Integer(),
  independentReporters: Type.Integer(),
  effectiveReporters: Type.Number(),
  lastReportAt: Nullable(Type.Number({ description: 'epoch ms' })),
  topTypes: Type.Array(TypeCount),
  underReview: Type.Boolean(),
  basis: Type.Union([Type.Literal('reports'), Type.Literal('analyst_confirmed'), Type.Literal('analyst_cleared'), Type.Literal('protected')]),
  explanation: Localized,
});
export type AnalystReputation = Static<typeof AnalystReputation>;

/** One report as analysts see it: what happened, never who sent it. */
export const ReportView = Type.Object({
  id: Type.String(), e164: Type.String(), channel: Channel, type: Type.String(), occurredAt: IsoTime(),
  claimed: Nullable(Type.String()), amountMxn: Nullable(Type.Number()), paid: Type.Boolean(),
  clabe: Nullable(Type.String()), card: Nullable(Type.String({ description: 'Masked: brand and last four digits' })), bank: Nullable(Type.String()),
  notes: Nullable(Type.String()), status: Type.String(), reportedAt: IsoTime(),
});
export type ReportView = Static<typeof ReportView>;

/** A report on a number's page, with the letter of its reporter (local to that page). */
export const NumberReport = Type.Object({ ...ReportView.properties, reporter: Type.String() });
export type NumberReport = Static<typeof NumberReport>;

/** One reporter on a number's page: counts only, no keys or ids. */
export const ReporterGroup = Type.Object({
  label: Type.String({ description: '"A", "B", … in order of first report; local to the page' }),
  reports: Type.Integer(), devices: Type.Integer(), networks: Type.Integer(), anonymous: Type.Integer(),
});
export type ReporterGroup = Static<typeof ReporterGroup>;

export const DisputeStatus = Type.Union([Type.Literal('open'), Type.Literal('upheld'), Type.Literal('denied')]);
export type DisputeStatus = Static<typeof DisputeStatus>;

export const Dispute = Type.Object({
  id: Type.String(), e164: Type.String(), ownerName: Type.String(), contact: Type.String(), reason: Type.String(), status: DisputeStatus,
  createdAt: IsoTime(), resolvedAt: Nullable(IsoTime()), resolutionNote: Nullable(Type.String()),
});
export type Dispute = Static<typeof Dispute>;

export const Decision = Type.Object({ status: Type.Union([Type.Literal('confirmed'), Type.Literal('rejected')]), note: Nullable(Type.String()), decidedAt: Type.Number({ description: 'epoch ms' }) });
export type Decision = Static<typeof Decision>;

export const NumberPage = Type.Object({
  e164: Type.String(), reputation: AnalystReputation, reports: Type.Array(NumberReport), reporters: Type.Array(ReporterGroup),
  disputes: Type.Array(Dispute), protectedLabel: Nullable(Type.String()), decision: Nullable(Decision),
});
export type NumberPage = Static<typeof NumberPage>;

export const ProtectedNumber = Type.Object({ e164: Type.String(), label: Type.String() });
export type ProtectedNumber = Static<typeof ProtectedNumber>;

export const CampaignEvidence = Type.Union([
  Type.Object({ kind: Type.Literal('bank_account'), account: Type.String(), numbers: Type.Array(Type.String()), reports: Type.Integer() }),
  Type.Object({ kind: Type.Literal('script'), numbers: Type.Array(Type.String()), reports: Type.Integer(), similarity: Type.Number(), example: Type.String() }),
]);
export type CampaignEvidence = Static<typeof CampaignEvidence>;

/** Numbers tied by a shared bank account or card, or by the same script. */
export const Campaign = Type.Object({
  id: Type.String(), numbers: Type.Array(Type.String()), reportIds: Type.Array(Type.String()),
  firstAt: Type.Number({ description: 'epoch ms' }), lastAt: Type.Number({ description: 'epoch ms' }), evidence: Type.Array(CampaignEvidence),
});
export type Campaign = Static<typeof Campaign>;

export const Stats = Type.Object({
  from: IsoTime(), to: IsoTime(), reports: Type.Integer(), paid: Type.Integer(), amountPaidMxn: Type.Number(),
  byType: Type.Array(TypeCount), byWeek: Type.Array(Type.Object({ week: Type.String({ description: 'ISO week, e.g. 2026-W09' }), count: Type.Integer() })),
});
export type Stats = Static<typeof Stats>;

/** One report in a case file (the CSV has these columns, in this order). */
export const CaseReport = Type.Object({
  id: Type.String(), number: Type.String(), channel: Type.String(), type: Type.String(), occurredAt: IsoTime(),
  claimed: Nullable(Type.String()), amountMxn: Nullable(Type.Number()), paid: Type.Boolean(), clabe: Nullable(Type.String()),
  card: Nullable(Type.String()), bank: Nullable(Type.String()), reportedAt: IsoTime(),
});
export type CaseReport = Static<typeof CaseReport>;

export const CaseFile = Type.Object({
  generatedAt: IsoTime(),
  numbers: Type.Array(Type.Object({ e164: Type.String(), reputation: AnalystReputation })),
  reports: Type.Array(CaseReport),
});
export type CaseFile = Static<typeof CaseFile>;

export const CaseFileCsv = Type.String({ description: 'CSV: id,number,channel,type,occurredAt,claimed,amountMxn,paid,clabe,card,bank,reportedAt' });

// ——— carriers' keys, development outbox ———

export const ApiKeyView = Type.Object({ id: Type.String(), name: Type.String(), perMinute: Type.Integer(), createdAt: IsoTime(), revokedAt: Nullable(IsoTime()) });
export type ApiKeyView = Static<typeof ApiKeyView>;

/** A new key: `key` is shown this once (only its hash is kept). */
export const IssuedApiKey = Type.Object({ id: Type.String(), key: Type.String(), name: Type.String(), perMinute: Type.Integer() });
export type IssuedApiKey = Static<typeof IssuedApiKey>;

export const OutboxMessage = Type.Object({
  id: Type.Integer(), channel: Type.String(), to: Type.String(), body: Type.String(), purpose: Nullable(Type.String()),
  createdAt: IsoTime(), sentAt: Nullable(IsoTime()), error: Nullable(Type.String()),
});
export type OutboxMessage = Static<typeof OutboxMessage>;

// ——— requests ———

export const NumberParam = Type.String({ minLength: 2, maxLength: 64, description: 'As written: 044 55…, +52 1 55…, 55-1234-5678…' });
export const NumberParams = Type.Object({ number: NumberParam });

/** A report. `type` is one of GET /api/v1/extortion/types (the route narrows it to those ids). */
export const ReportBody = Type.Object({
  number: NumberParam,
  channel: Channel,
  type: Type.String({ maxLength: 64 }),
  occurredAt: Type.Optional(Type.String({ format: 'date-time' })),
  claimed: Type.Optional(Type.String({ maxLength: 1000, description: 'What they said: "tenemos a tu hijo", "soy el licenciado…"' })),
  amountMxn: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000_000 })),
  paid: Type.Optional(Type.Boolean()),
  clabe: Type.Optional(Type.String({ maxLength: 40 })),
  card: Type.Optional(Type.String({ maxLength: 40, description: 'Masked on arrival: only the last 4 digits are kept' })),
  notes: Type.Optional(Type.String({ maxLength: 2000 })),
}, { additionalProperties: false });
export type ReportBody = Static<typeof ReportBody>;
