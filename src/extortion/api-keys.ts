// Keys for carriers and call-blocking apps: stored as hashes, each with its own per-minute limit.
import { createHash, randomBytes } from 'node:crypto';
import { DomainError, type Clock, type IdGenerator } from '../kernel/index.js';
import type { AuditLog } from '../audit/index.js';
import type { ExtortionStore } from './storage.js';

interface Active { id: string; name: string; perMinute: number }

export class ApiKeyService {
  private byHash = new Map<string, Active>();
  private windows = new Map<string, { start: number; count: number }>();

  constructor(private store: ExtortionStore, private audit: AuditLog, private clock: Clock, private ids: IdGenerator) {}

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
    await this.audit.record(actorId, 'api_key.revoke', id);
  }

  /** Checks the key and counts the call against its fixed one-minute window. */
  check(key: string | undefined): Active {
    const k = key ? this.byHash.get(hash(key)) : undefined;
    if (!k) throw new DomainError('INVALID_API_KEY');
    const now = this.clock.now().getTime();
    const w = this.windows.get(k.id);
    if (!w || now - w.start >= 60_000) {
      this.windows.set(k.id, { start: now, count: 1 });
    } else if (++w.count > k.perMinute) {
      throw new DomainError('RATE_LIMITED', { seconds: Math.ceil((w.start + 60_000 - now) / 1000) });
    }
    return k;
  }
}

const hash = (key: string) => createHash('sha256').update(key).digest('hex');
