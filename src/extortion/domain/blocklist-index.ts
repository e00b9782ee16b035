// What the look-up API serves from, all in memory: a number's reputation by E.164 (the hot path),
// k-anonymous range buckets by SHA-256 prefix, and the blocklist feed with a monotonic changedAt.
import { createHash } from 'node:crypto';
import { DomainError, systemClock, type Clock } from '../../kernel/index.js';
import type { Reputation, ReputationLevel } from './reputation.js';

/**
 * A reputation as the index holds it, with when its feed-relevant state last changed: epoch ms,
 * never behind an earlier change; one batch (the constructor, upsertAll) shares one value, and the
 * next change gets a strictly greater one, so `changedSince(cursor)` never misses or repeats.
 */
export type IndexedReputation = Reputation & { changedAt: number };

/** What a range query returns per number: never the number itself. */
export interface RangeEntry {
  /** The SHA-256 hex of the E.164 string after the 5-character prefix (59 characters). */
  hashSuffix: string;
  level: ReputationLevel;
  score: number;
  underReview: boolean;
}

export const RANGE_PREFIX_LENGTH = 5;
const LISTED: ReadonlySet<ReputationLevel> = new Set(['suspicious', 'probable', 'confirmed']);
const EMPTY: readonly RangeEntry[] = Object.freeze([]);

export const isListed = (level: ReputationLevel): boolean => LISTED.has(level);
export const e164Hash = (e164: string): string => createHash('sha256').update(e164).digest('hex');

export class ReputationIndex {
  private readonly byNumber = new Map<string, IndexedReputation>();
  private readonly hashes = new Map<string, string>();
  /** Buckets are replaced, never edited, so an array a caller holds does not change under it. */
  private readonly buckets = new Map<string, readonly RangeEntry[]>();
  /** Entries in changedAt order; superseded ones are skipped on read and compacted now and then. */
  private log: IndexedReputation[] = [];
  private lastChange = 0;

  constructor(entries: Iterable<Reputation>, private readonly clock: Clock = systemClock) {
    this.upsertAll(entries);
  }

  get size(): number { return this.byNumber.size; }

  /** The latest changedAt handed out: a feed cursor. */
  get cursor(): number { return this.lastChange; }

  get(e164: string): IndexedReputation | undefined {
    return this.byNumber.get(e164);
  }

  /**
   * Stores a recomputed reputation. `changedAt` moves only when what a blocklist consumer acts on
   * changes (level, under review, basis), not when decay nudges the score or the wording, so a
   * daily recompute does not resend the whole list. Returns whether it moved.
   */
  upsert(rep: Reputation): boolean {
    return this.upsertAll([rep]) === 1;
  }

  /** Stores many at once, with one changedAt for all that moved; returns how many moved. */
  upsertAll(reps: Iterable<Reputation>): number {
    let stamp: number | undefined;
    const changedAt = () => (stamp ??= this.tick());
    let moved = 0;
    for (const rep of reps) if (this.put(rep, changedAt)) moved++;
    return moved;
  }

  private put(rep: Reputation, changedAt: () => number): boolean {
    const before = this.byNumber.get(rep.e164);
    const moved = before === undefined || before.level !== rep.level || before.underReview !== rep.underReview || before.basis !== rep.basis;
    const entry: IndexedReputation = { ...rep, changedAt: moved ? changedAt() : before.changedAt };
    this.byNumber.set(rep.e164, entry);
    if (moved) this.append(entry);
    if (!before || before.level !== rep.level || before.score !== rep.score || before.underReview !== rep.underReview) this.rebucket(rep);
    return moved;
  }

  /** Every entry whose SHA-256(E.164) hex starts with `prefix5` (5 hex characters, any case). */
  range(prefix5: string): readonly RangeEntry[] {
    if (!/^[0-9a-fA-F]{5}$/.test(prefix5)) {
      throw new DomainError('VALIDATION_FAILED', { detail: { es: 'el prefijo debe tener 5 caracteres hexadecimales', en: 'the prefix must be 5 hexadecimal characters' } });
    }
    return this.buckets.get(prefix5.toLowerCase()) ?? EMPTY;
  }

  /** The blocklist: every number at suspicious or above (spoofed and cleared numbers never are). */
  listed(): IndexedReputation[] {
    const out: IndexedReputation[] = [];
    for (const rep of this.byNumber.values()) if (LISTED.has(rep.level)) out.push(rep);
    return out;
  }

  /**
   * What changed after `cursor`, oldest first, including numbers that left the list (their level
   * says so), so an incremental consumer can remove them too.
   */
  changedSince(cursor: number): IndexedReputation[] {
    let lo = 0, hi = this.log.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.log[mid]!.changedAt <= cursor) lo = mid + 1;
      else hi = mid;
    }
    const out: IndexedReputation[] = [];
    for (let i = lo; i < this.log.length; i++) {
      const entry = this.log[i]!;
      if (this.byNumber.get(entry.e164)?.changedAt === entry.changedAt) out.push(entry);
    }
    return out;
  }

  /** Wall-clock milliseconds, but never equal to or behind the previous change. */
  private tick(): number {
    this.lastChange = Math.max(this.clock.now().getTime(), this.lastChange + 1);
    return this.lastChange;
  }

  private append(entry: IndexedReputation): void {
    this.log.push(entry);
    if (this.log.length > 1024 && this.log.length > 2 * this.byNumber.size) {
      this.log = this.log.filter((e) => this.byNumber.get(e.e164)?.changedAt === e.changedAt);
    }
  }

  private rebucket(rep: Reputation): void {
    let hash = this.hashes.get(rep.e164);
    if (hash === undefined) this.hashes.set(rep.e164, (hash = e164Hash(rep.e164)));
    const prefix = hash.slice(0, RANGE_PREFIX_LENGTH);
    const hashSuffix = hash.slice(RANGE_PREFIX_LENGTH);
    const entry: RangeEntry = Object.freeze({ hashSuffix, level: rep.level, score: rep.score, underReview: rep.underReview });
    const bucket = (this.buckets.get(prefix) ?? EMPTY).filter((e) => e.hashSuffix !== hashSuffix);
    bucket.push(entry);
    this.buckets.set(prefix, Object.freeze(bucket));
  }
}
