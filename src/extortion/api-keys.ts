// Keys for carriers and call-blocking apps: stored as hashes, each with its own per-minute limit.
import { createHash, randomBytes } from 'node:crypto';
import { DomainError, type Clock, type IdGenerator } from '../kernel/index.js';
import type { AuditLog } from '../audit/index.js';
import type { ExtortionStore } from './storage.js';
import type { RateLimiter } from '../limits/index.js';
import type { ChangeLog } from '../bus/index.js';

/** The subject of a key created or revoked (to the other instances, which reload theirs); payload `{ id }`. */
export const API_KEYS_CHANGED = 'extortion.api_keys.changed';

interface Active { id: string; name: string; perMinute: number }

export class ApiKeyService {
  private byHash = new Map<string, Active>();

  /** `limits`: the per-minute counts live in the database, shared by every instance (N instances never give a key N× its allowance). */
  constructor(private store: ExtortionStore, private audit: AuditLog, private clock: Clock, private ids: IdGenerator,
    private limits: RateLimiter, private changes: ChangeLog | null = null) {}

  async load(): Promise<void> {
    this.byHash = new Map((await this.store.apiKeys()).filter((k) => k.revoked_at === null)
      .map((k) => [k.key_hash, { id: k.id, name: k.name, perMinute: Number(k.per_minute) }]));
  }

  async create(actorId: string, name: string, perMinute: number): Promise<{ id: string; key: string; name: string; perMinute: number }> {
    const key = `cqk_${randomBytes(24).toString('base64url')}`;
    const id = this.ids();
    const keyHash = hash(key);
    await this.store.insertApiKey({ id, keyHash, name, perMinute, by: actorId, at: this.clock.now().getTime() });
    this.byHash.set(keyHash, { id, name, perMinute });
    await this.changes?.publish(API_KEYS_CHANGED, { id });
    await this.audit.record(actorId, 'api_key.create', id, { name, perMinute });
    return { id, key, name, perMinute };
  }

  async list() {
    return (await this.store.apiKeys()).map((k) => ({
      id: k.id, name: k.name, perMinute: Number(k.per_minute), createdAt: new Date(Number(k.created_at)).toISOString(),
      revokedAt: k.revoked_at === null ? null : new Date(Number(k.revoked_at)).toISOString(),
    }));
  }

  async revoke(actorId: string, id: string): Promise<void> {
    if (!(await this.store.revokeApiKey(id, this.clock.now().getTime()))) throw new DomainError('NOT_FOUND');
    for (const [h, k] of this.byHash) if (k.id === id) this.byHash.delete(h);
    // The other instances reload their keys: a revoked key is refused everywhere within the bus's latency.
    await this.changes?.publish(API_KEYS_CHANGED, { id });
    await this.audit.record(actorId, 'api_key.revoke', id);
  }

  /** Checks the key and counts the call against its per-minute limit (a sliding minute, in the database). */
  async check(key: string | undefined): Promise<Active> {
    const k = key ? this.byHash.get(hash(key)) : undefined;
    if (!k) throw new DomainError('INVALID_API_KEY');
    const v = await this.limits.hit({ scope: 'api_key', max: k.perMinute, windowMs: 60_000 }, k.id);
    if (v.over) throw new DomainError('RATE_LIMITED', { seconds: Math.max(1, v.retryAfterS) });
    return k;
  }
}

const hash = (key: string) => createHash('sha256').update(key).digest('hex');
