// Extortion use-cases: report a number in seconds, look numbers up (also without telling the
// server which), the analysts' decisions, disputes, campaigns, statistics and case exports.
// Reputation lives in memory (recomputed per number on every change) so look-ups never wait.
//
// Reporters are known only by keyed hashes made with the server's secret key, which is kept
// outside the database (config/secrets.ts): of their account, their device (the device
// credential, never a header the client picks) and their network. A dump of the database cannot
// recompute which network or device a key stands for. Staff see reporters only as letters.
import { DomainError, networkOf, type Clock, type IdGenerator } from '../kernel/index.js';
import type { AuditLog } from '../audit/index.js';
import type { ServerSecrets } from '../config/index.js';
import { GuessThrottle, type Limit, type RateLimiter } from '../limits/index.js';
import { disputeView, groupReporters, reportView } from './domain/views.js';
import { normalizeNumber } from '../rules/index.js';
import { maskCard, validateClabe } from './domain/bank.js';
import { computeReputation, type ReportFact, type Reputation } from './domain/reputation.js';
import { ReputationIndex, type IndexedReputation } from './domain/blocklist-index.js';
import { detectCampaigns } from './domain/campaigns.js';
import type { ScamType } from './domain/scam-types.js';
import { NUMBER_CHANGED, type ExtortionStore, type StoredReport } from './storage.js';

export type Channel = 'call' | 'sms' | 'whatsapp' | 'other';

export interface ReportInput {
  number: string;
  channel: Channel;
  type: ScamType;
  occurredAt?: string | undefined;
  claimed?: string | undefined;
  amountMxn?: number | undefined;
  paid?: boolean | undefined;
  clabe?: string | undefined;
  card?: string | undefined;
  notes?: string | undefined;
}

/**
 * Who reported, as the HTTP edge knows it: the signed-in account (a device credential is a
 * citizen account), the client address and its network's limiter key. Stored only as keyed hashes.
 */
export interface ReporterContext { userId: string | null; role: string | null; ip: string; networkKey: string | null }

export interface ExtortionOptions {
  reportsPerDevicePerHour: number;
  reportsPerNetworkPerHour: number;
  /** Disputes one network may file per hour (they need no account). */
  disputesPerNetworkHour: number;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const LEGACY_SALT = 'extortion_salt';

export class ExtortionService {
  private index = new ReputationIndex([]);
  private facts = new Map<string, ReportFact[]>();
  private decisions = new Map<string, { status: string; note: string | null; decidedAt: number }>();
  private protectedNumbers = new Map<string, string>();
  private openDisputes = new Set<string>();
  private readonly limits: { device: Limit; network: Limit; disputes: Limit };
  private readonly disputeThrottle: GuessThrottle;
  /** Reputations of numbers nobody reported, computed once (bounded): most look-ups are for those. */
  private unlisted = new Map<string, Reputation>();
  /** Set by the composition root (the server's error log). */
  onPublishError: (err: unknown) => void = () => undefined;

  constructor(
    private store: ExtortionStore,
    private audit: AuditLog,
    private clock: Clock,
    private ids: IdGenerator,
    private opts: ExtortionOptions,
    private secrets: ServerSecrets,
    private limiter: RateLimiter,
  ) {
    this.limits = {
      device: { scope: 'extortion.reports.device', max: opts.reportsPerDevicePerHour, windowMs: HOUR },
      network: { scope: 'extortion.reports.network', max: opts.reportsPerNetworkPerHour, windowMs: HOUR },
      disputes: { scope: 'extortion.disputes.network', max: opts.disputesPerNetworkHour, windowMs: HOUR },
    };
    // Per number: the owner can always dispute again (delays are bounded), but nobody can bury a
    // number's review under a pile of disputes from many networks.
    this.disputeThrottle = new GuessThrottle(limiter, {
      name: 'extortion.disputes.number', windowMs: DAY,
      target: { free: 2, baseMs: 15 * 60_000, maxMs: 4 * HOUR },
      network: { free: 1_000_000, baseMs: 0, maxMs: 0 },
    });
  }

  /** Loads everything and recomputes every number's reputation. */
  async load(): Promise<void> {
    await this.forgetLegacySalt();
    [this.decisions, this.protectedNumbers, this.openDisputes] = await Promise.all([
      this.store.decisions(), this.store.protectedNumbers(), this.store.openDisputeNumbers(),
    ]);
    this.facts.clear();
    for await (const page of this.store.allReports()) {
      for (const r of page) this.factsOf(r.e164).push(toFact(r));
    }
    const numbers = new Set([...this.facts.keys(), ...this.decisions.keys(), ...this.protectedNumbers.keys()]);
    this.index = new ReputationIndex([...numbers].map((e) => this.compute(e)));
  }

  private factsOf(e164: string): ReportFact[] {
    let list = this.facts.get(e164);
    if (!list) this.facts.set(e164, (list = []));
    return list;
  }

  private compute(e164: string): Reputation {
    const d = this.decisions.get(e164);
    return computeReputation(e164, this.facts.get(e164) ?? [], {
      now: this.clock.now().getTime(),
      decision: d ? { e164, status: d.status as 'confirmed' | 'rejected', at: d.decidedAt, ...(d.note ? { note: d.note } : {}) } : null,
      protectedLabel: this.protectedNumbers.get(e164) ?? null,
      openDispute: this.openDisputes.has(e164),
    });
  }

  /**
   * Another instance changed this number (src/distribution.ts): its reports, decision, protection
   * and disputes are read again from the database, and its reputation recomputed here.
   */
  async remoteChanged(e164: string): Promise<void> {
    const [reports, decisions, protectedNumbers, disputes] = await Promise.all([
      this.store.reportsFor(e164), this.store.decisions(), this.store.protectedNumbers(), this.store.disputesFor(e164),
    ]);
    if (reports.length) this.facts.set(e164, reports.map(toFact)); else this.facts.delete(e164);
    const d = decisions.get(e164);
    if (d) this.decisions.set(e164, d); else this.decisions.delete(e164);
    const label = protectedNumbers.get(e164);
    if (label !== undefined) this.protectedNumbers.set(e164, label); else this.protectedNumbers.delete(e164);
    if (disputes.some((x) => x.status === 'open')) this.openDisputes.add(e164); else this.openDisputes.delete(e164);
    this.refresh(e164, false);
  }

  /** Recomputes a number here; a change made by staff (not a report: that one is recorded with its row) is told to the other instances. */
  private refresh(e164: string, announce = false): Reputation {
    if (announce) this.store.changes?.publish(NUMBER_CHANGED, { e164 }).catch(this.onPublishError);
    this.unlisted.delete(e164);
    const rep = this.compute(e164);
    this.index.upsert(rep);
    return rep;
  }

  /** The number as E.164, or a 400 that says why (short codes can never be reported). */
  parse(raw: string): string {
    const n = normalizeNumber(raw);
    if (n.ok) return n.e164;
    if (n.reason === 'short_code') throw new DomainError('SHORT_CODE', { code: n.code, label: n.label });
    throw new DomainError('INVALID_PHONE', { detail: n.detail });
  }

  /**
   * Reporter keys used to be HMACs with a salt stored in `meta`, beside them: a /24 is only 2^24
   * guesses. Those keys are re-keyed one-way with the server's secret key (so old reports still
   * group among themselves) and the salt is deleted, in one transaction (another instance doing
   * the same waits, then finds nothing to do).
   */
  private async forgetLegacySalt(): Promise<void> {
    const rekeyed = await this.store.rekeyLegacy((old) => this.secrets.hash('reporter.legacy', old), `${this.secrets.keyId}:legacy`, LEGACY_SALT);
    if (rekeyed > 0) await this.audit.record(null, 'extortion.reporters.rekeyed', null, { reports: rekeyed, keyId: this.secrets.keyId });
  }

  private key(kind: 'account' | 'device' | 'network', value: string | null): string | null {
    return value ? this.secrets.hash(`reporter.${kind}`, value) : null;
  }

  async report(input: ReportInput, who: ReporterContext): Promise<{ id: string; e164: string; reputation: Reputation }> {
    const e164 = this.parse(input.number);
    const clabe = input.clabe ? validateClabe(input.clabe) : null;
    if (clabe && !clabe.ok) throw new DomainError('INVALID_CLABE', { detail: clabe.detail });
    const card = input.card ? maskCard(input.card) : null;
    if (card && !card.ok) throw new DomainError('INVALID_CARD', { detail: card.detail });
    const now = this.clock.now().getTime();
    const occurredAt = input.occurredAt ? Date.parse(input.occurredAt) : now;
    if (!Number.isFinite(occurredAt) || occurredAt > now + 5 * 60_000 || occurredAt < now - 5 * 365 * 24 * HOUR) {
      throw new DomainError('VALIDATION_FAILED', { detail: { es: 'la fecha del intento no es válida', en: 'the date of the attempt is not valid' } });
    }
    // The device is the device credential (a citizen account), never anything the client names.
    const keys = {
      account: this.key('account', who.userId),
      device: this.key('device', who.role === 'citizen' ? who.userId : null),
      network: this.key('network', networkOf(who.ip)),
    };
    await this.checkFlood(who.userId, who.networkKey);
    const row: StoredReport = {
      id: this.ids(), e164, channel: input.channel, type: input.type, occurred_at: occurredAt,
      claimed: input.claimed?.trim() || null, amount_mxn: input.amountMxn ?? null, paid: input.paid ? 1 : 0,
      clabe: clabe?.ok ? clabe.clabe : null, card_masked: card?.ok ? `${card.brand ?? 'card'} ${card.masked}` : null,
      bank: clabe?.ok ? clabe.bank : null, notes: input.notes?.trim() || null,
      key_id: this.secrets.keyId, key_account: keys.account, key_device: keys.device, key_network: keys.network,
      status: 'new', created_at: now,
    };
    await this.store.insertReport(row);
    this.factsOf(e164).push(toFact(row));
    return { id: row.id, e164, reputation: this.refresh(e164) };
  }

  /**
   * One signed-in device or one network cannot flood: a clear 429 instead of silently counting.
   * New device credentials from one network still share the network's allowance.
   */
  private async checkFlood(userId: string | null, networkKey: string | null): Promise<void> {
    const [device, network] = await Promise.all([
      userId ? this.limiter.hit(this.limits.device, userId) : null,
      networkKey ? this.limiter.hit(this.limits.network, networkKey) : null,
    ]);
    const over = [device, network].filter((v) => v?.over);
    if (over.length > 0) throw new DomainError('RATE_LIMITED', { seconds: Math.max(...over.map((v) => v!.retryAfterS)) });
  }

  // ——— look-ups ———

  lookup(raw: string): { e164: string; reputation: Reputation } {
    const e164 = this.parse(raw);
    return { e164, reputation: this.index.get(e164) ?? this.unlistedReputation(e164) };
  }

  private unlistedReputation(e164: string): Reputation {
    let rep = this.unlisted.get(e164);
    if (!rep) {
      if (this.unlisted.size >= 10_000) this.unlisted.clear();
      this.unlisted.set(e164, (rep = this.compute(e164)));
    }
    return rep;
  }

  /** k-anonymity: every listed entry whose SHA-256 starts with the 5 hex characters; the client matches. */
  range(prefix: string) {
    if (!/^[0-9a-f]{5}$/i.test(prefix)) throw new DomainError('INVALID_HASH_PREFIX');
    return this.index.range(prefix.toLowerCase());
  }

  /** The carriers' blocklist: probable and confirmed numbers only (one report is not enough to block anyone). */
  feed(): IndexedReputation[] { return this.index.feed(); }
  /** What entered, left or changed level in the feed after a cursor (a feedChangedAt), oldest first. */
  feedChangedSince(cursor: number): IndexedReputation[] { return this.index.feedChangedSince(cursor); }
  /** The carriers' feed (all of it, or what changed after `since`) and when it was read, on the injected clock. */
  feedAsOf(since: number | null): { generatedAt: number; rows: IndexedReputation[] } {
    return { generatedAt: this.clock.now().getTime(), rows: since === null ? this.feed() : this.feedChangedSince(since) };
  }

  // ——— analysts ———

  /** New reports, newest first, without anything about who sent them. The read is audited. */
  async queue(actorId: string, limit = 100) {
    const rows = await this.store.reportsByStatus('new', limit);
    await this.audit.record(actorId, 'extortion.queue.read', null, { reports: rows.length });
    return rows.map(reportView);
  }

  /** A number's page: its reports with reporter letters (A, B, C — local to this page), never keys or ids. Audited. */
  async numberPage(actorId: string, e164: string) {
    const rows = await this.store.reportsFor(e164);
    const reputation = this.index.get(e164) ?? this.compute(e164);
    const disputes = await this.store.disputesFor(e164);
    const { reports, reporters } = groupReporters(rows);
    await this.audit.record(actorId, 'extortion.number.read', e164, { reports: rows.length, reporters: reporters.length });
    return {
      e164, reputation: analystReputation(reputation), reports, reporters, disputes: disputes.map(disputeView),
      protectedLabel: this.protectedNumbers.get(e164) ?? null, decision: (this.decisions.get(e164) ?? null) as { status: 'confirmed' | 'rejected'; note: string | null; decidedAt: number } | null,
    };
  }

  async decide(actorId: string, raw: string, status: 'confirmed' | 'rejected' | null, note: string | null): Promise<Reputation> {
    const e164 = this.parse(raw);
    const now = this.clock.now().getTime();
    await this.store.setDecision(e164, status, note, actorId, now);
    if (status === null) this.decisions.delete(e164);
    else this.decisions.set(e164, { status, note, decidedAt: now });
    await this.store.markReviewed(e164);
    await this.audit.record(actorId, `number.${status ?? 'reset'}`, e164, { note });
    return this.refresh(e164, true);
  }

  async setProtected(actorId: string, raw: string, label: string | null): Promise<Reputation> {
    const e164 = this.parse(raw);
    await this.store.setProtected(e164, label, actorId, this.clock.now().getTime());
    if (label === null) this.protectedNumbers.delete(e164);
    else this.protectedNumbers.set(e164, label);
    await this.audit.record(actorId, label === null ? 'number.unprotect' : 'number.protect', e164, { label });
    return this.refresh(e164, true);
  }

  protectedList(): { e164: string; label: string }[] {
    return [...this.protectedNumbers].map(([e164, label]) => ({ e164, label }));
  }

  /**
   * The owner of a number says it is theirs and legitimate: it goes to the review queue. Anyone
   * may file one (owners have no account), so disputes are limited per network (hard, per hour)
   * and per number (growing, bounded delays after the first few of a day).
   */
  async dispute(raw: string, input: { ownerName: string; contact: string; reason: string }, networkKey: string | null) {
    const e164 = this.parse(raw);
    if (networkKey) {
      const v = await this.limiter.hit(this.limits.disputes, networkKey);
      if (v.over) throw new DomainError('RATE_LIMITED', { seconds: v.retryAfterS });
    }
    if (!this.facts.has(e164) && !this.decisions.has(e164)) throw new DomainError('NUMBER_NOT_LISTED', { number: e164 });
    await this.disputeThrottle.attempt(e164, null);
    const d = { id: this.ids(), e164, owner_name: input.ownerName, contact: input.contact, reason: input.reason, status: 'open', created_at: this.clock.now().getTime(), resolved_by: null, resolved_at: null, resolution_note: null };
    await this.store.insertDispute(d);
    this.openDisputes.add(e164);
    await this.audit.record(null, 'number.dispute', e164, { disputeId: d.id });
    this.refresh(e164, true);
    return { id: d.id, e164, status: 'open' as const };
  }

  async disputes(status: string | null) { return (await this.store.disputes(status)).map(disputeView); }

  async resolveDispute(actorId: string, id: string, outcome: 'upheld' | 'denied', note: string | null): Promise<Reputation> {
    const d = await this.store.findDispute(id);
    if (!d) throw new DomainError('NOT_FOUND');
    if (!(await this.store.resolveDispute(id, outcome, actorId, this.clock.now().getTime(), note))) {
      throw new DomainError('INVALID_TRANSITION', { action: outcome, status: d.status });
    }
    const stillOpen = (await this.store.disputes('open')).some((x) => x.e164 === d.e164);
    if (!stillOpen) this.openDisputes.delete(d.e164);
    await this.audit.record(actorId, `number.dispute.${outcome}`, d.e164, { disputeId: id, note });
    // An upheld dispute clears the number, exactly like an analyst's rejection.
    if (outcome === 'upheld') return this.decide(actorId, d.e164, 'rejected', note ?? 'dispute upheld');
    return this.refresh(d.e164, true);
  }

  async campaigns(windowDays: number) {
    const now = this.clock.now().getTime();
    const reports = await this.store.reportsBetween(now - windowDays * 24 * HOUR, now + 1);
    return detectCampaigns(reports.map((r) => ({
      id: r.id, e164: r.e164, at: Number(r.created_at), claimed: r.claimed, clabe: r.clabe, card: cardKey(r.card_masked),
    })), { windowMs: windowDays * 24 * HOUR });
  }

  /** Reports by type and week over [from, to) (to defaults to now, from to 90 days before it). */
  async stats(fromMs: number | null, toMs: number | null) {
    const to = toMs ?? this.clock.now().getTime();
    const from = fromMs ?? to - 90 * 86_400_000;
    const reports = await this.store.reportsBetween(from, to);
    const byType = new Map<string, number>();
    const byWeek = new Map<string, number>();
    for (const r of reports) {
      byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
      const week = isoWeek(Number(r.created_at));
      byWeek.set(week, (byWeek.get(week) ?? 0) + 1);
    }
    return {
      from: new Date(from).toISOString(), to: new Date(to).toISOString(), reports: reports.length,
      paid: reports.filter((r) => r.paid === 1).length,
      amountPaidMxn: reports.filter((r) => r.paid === 1).reduce((a, r) => a + (r.amount_mxn ?? 0), 0),
      byType: [...byType].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count),
      byWeek: [...byWeek].map(([week, count]) => ({ week, count })).sort((a, b) => (a.week < b.week ? -1 : 1)),
    };
  }

  /** Everything the cyber police (or 089) need for a set of numbers: no reporter identities. */
  async caseExport(actorId: string, numbers: readonly string[]) {
    const e164s = numbers.map((n) => this.parse(n));
    const rows = (await Promise.all(e164s.map((e) => this.store.reportsFor(e)))).flat();
    await this.audit.record(actorId, 'extortion.case_export', e164s.join(','), { reports: rows.length });
    return {
      generatedAt: new Date(this.clock.now().getTime()).toISOString(),
      numbers: e164s.map((e) => ({ e164: e, reputation: this.index.get(e) ?? this.compute(e) })),
      reports: rows.map((r) => ({
        id: r.id, number: r.e164, channel: r.channel, type: r.type, occurredAt: new Date(Number(r.occurred_at)).toISOString(),
        claimed: r.claimed, amountMxn: r.amount_mxn, paid: r.paid === 1, clabe: r.clabe, card: r.card_masked, bank: r.bank,
        reportedAt: new Date(Number(r.created_at)).toISOString(),
      })),
    };
  }
}

/** "Visa •••• •••• •••• 1234" → "Visa:1234": brand and last four, the most a masked card can link. */
function cardKey(masked: string | null): string | null {
  if (!masked) return null;
  const brand = masked.split(' ')[0];
  return brand && brand !== 'card' ? `${brand}:${masked.slice(-4)}` : null;
}

/** The reputation as analysts read it (epoch ms as in the public model; no change tracking). */
function analystReputation(r: Reputation & { changedAt?: number; feedChangedAt?: number }): Reputation {
  const { changedAt: _c, feedChangedAt: _f, ...rest } = r;
  return rest;
}

function toFact(r: StoredReport): ReportFact {
  const reporterKeys: ReportFact['reporterKeys'] = {};
  if (r.key_account) reporterKeys.account = r.key_account;
  if (r.key_device) reporterKeys.device = r.key_device;
  if (r.key_network) reporterKeys.network = r.key_network;
  return {
    id: r.id, e164: r.e164, at: Number(r.created_at), type: r.type as ScamType, reporterKeys,
    paid: r.paid === 1, amountMxn: r.amount_mxn, channel: r.channel as ReportFact['channel'],
  };
}

function isoWeek(t: number): string {
  const d = new Date(t);
  const day = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - day + 3);
  const firstThursday = new Date(Date.UTC(d.getUTCFullYear(), 0, 4));
  const week = 1 + Math.round(((d.getTime() - firstThursday.getTime()) / 86_400_000 - 3 + ((firstThursday.getUTCDay() + 6) % 7)) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
