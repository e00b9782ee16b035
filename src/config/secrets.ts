// The server's secret keys, kept outside the database: an insider with a dump (or a stolen
// backup) cannot recompute which network or device a keyed hash stands for — a /24 is only
// 2^24 guesses against a salt stored beside it, but nothing against a key that is not there.
//
// Where the keys live: CUADRANTE_SECRET_KEY (several instances must share it), or else a key file
// in the data directory (mode 0600), created on first start. `npx cuadrante keys rotate` adds a
// new current key; older keys stay in the file so what they derived can still be recognised.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { systemClock, type Clock } from '../kernel/index.js';

interface KeyRecord { id: string; key: string; createdAt: string }
interface KeyFile { current: string; keys: KeyRecord[] }

export interface ServerSecrets {
  /** Id of the key new derivations use (stored beside what it derived, e.g. reporter keys). */
  readonly keyId: string;
  /** Ids of every key still known, current first. */
  readonly keyIds: readonly string[];
  /** Where the keys came from, for the start-up log. */
  readonly source: 'env' | 'file' | 'ephemeral';
  /** A keyed hash of `value` for one purpose (hex, 32 characters), with the current key or a named one. */
  hash(purpose: string, value: string, keyId?: string): string;
}

export const SECRET_FILE = 'secret.key';

class Keyring implements ServerSecrets {
  private readonly subkeys = new Map<string, Buffer>();
  constructor(private readonly keys: ReadonlyMap<string, Buffer>, readonly keyId: string, readonly source: ServerSecrets['source']) {}

  get keyIds(): readonly string[] { return [this.keyId, ...[...this.keys.keys()].filter((k) => k !== this.keyId)]; }

  hash(purpose: string, value: string, keyId = this.keyId): string {
    return createHmac('sha256', this.subkey(purpose, keyId)).update(value).digest('hex').slice(0, 32);
  }

  /** One subkey per purpose (HKDF), so a hash made for one use never matches another's. */
  private subkey(purpose: string, keyId: string): Buffer {
    const id = `${keyId}\u0000${purpose}`;
    let k = this.subkeys.get(id);
    if (!k) {
      const master = this.keys.get(keyId);
      if (!master) throw new Error(`unknown secret key id ${keyId}`);
      k = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `cuadrante:${purpose}`, 32));
      this.subkeys.set(id, k);
    }
    return k;
  }
}

const idOf = (key: Buffer): string => createHash('sha256').update(key).digest('hex').slice(0, 8);

/** Reads a key given as 64 hex characters or as base64/base64url of at least 32 bytes. */
export function parseSecretKey(raw: string): Buffer | null {
  const t = raw.trim();
  if (/^[0-9a-f]{64,}$/i.test(t)) return Buffer.from(t, 'hex');
  const b = Buffer.from(t, /[-_]/.test(t) ? 'base64url' : 'base64');
  return b.length >= 32 ? b : null;
}

/** The keys for this server: from the setting, or the data directory's key file (created if missing). */
export function loadSecrets(opts: { dataDir: string; secretKey: string | null }): ServerSecrets {
  if (opts.secretKey) {
    const key = parseSecretKey(opts.secretKey);
    if (!key) throw new Error('CUADRANTE_SECRET_KEY must be 64 hex characters or base64 of at least 32 bytes');
    const id = idOf(key);
    return new Keyring(new Map([[id, key]]), id, 'env');
  }
  const file = readOrCreate(opts.dataDir);
  return new Keyring(new Map(file.keys.map((k) => [k.id, Buffer.from(k.key, 'base64url')])), file.current, 'file');
}

/** For tests and throw-away runs: a random key that lives as long as the process. */
export function ephemeralSecrets(): ServerSecrets {
  const key = randomBytes(32);
  const id = idOf(key);
  return new Keyring(new Map([[id, key]]), id, 'ephemeral');
}

/** Adds a new current key to the data directory's key file; returns its id. */
export function rotateSecrets(dataDir: string, clock: Clock = systemClock): string {
  const file = readOrCreate(dataDir, clock);
  const key = randomBytes(32);
  const record = { id: idOf(key), key: key.toString('base64url'), createdAt: clock.now().toISOString() };
  write(dataDir, { current: record.id, keys: [record, ...file.keys] });
  return record.id;
}

/** The key file; created on first use (its key dated by the operator's clock: it never runs on simulated time). */
function readOrCreate(dataDir: string, clock: Clock = systemClock): KeyFile {
  const path = join(dataDir, SECRET_FILE);
  if (existsSync(path)) {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as KeyFile;
    if (!parsed.keys?.some((k) => k.id === parsed.current)) throw new Error(`${path}: the current key is missing`);
    return parsed;
  }
  const key = randomBytes(32);
  const file: KeyFile = { current: idOf(key), keys: [{ id: idOf(key), key: key.toString('base64url'), createdAt: clock.now().toISOString() }] };
  write(dataDir, file);
  return file;
}

function write(dataDir: string, file: KeyFile): void {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, SECRET_FILE);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}
