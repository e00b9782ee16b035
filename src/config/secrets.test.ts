import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ephemeralSecrets, loadSecrets, parseSecretKey, rotateSecrets, SECRET_FILE } from './secrets.js';

const dir = mkdtempSync(join(tmpdir(), 'cuadrante-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('server secrets', () => {
  it('creates a key file only the server user can read, and reuses it', () => {
    const a = loadSecrets({ dataDir: dir, secretKey: null });
    expect(statSync(join(dir, SECRET_FILE)).mode & 0o777).toBe(0o600);
    const b = loadSecrets({ dataDir: dir, secretKey: null });
    expect(b.hash('network', '10.1.2.0/24')).toBe(a.hash('network', '10.1.2.0/24'));
    expect(a.hash('network', '10.1.2.0/24')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('keeps purposes apart, and the same value hashes differently under another key', () => {
    const s = loadSecrets({ dataDir: dir, secretKey: null });
    expect(s.hash('network', 'x')).not.toBe(s.hash('device', 'x'));
    expect(ephemeralSecrets().hash('network', 'x')).not.toBe(s.hash('network', 'x'));
  });

  it('rotates: the new key is current, the old one still derives what it derived', () => {
    const before = loadSecrets({ dataDir: dir, secretKey: null });
    const oldId = before.keyId;
    const h = before.hash('reporter', 'device-1');
    const newId = rotateSecrets(dir);
    const after = loadSecrets({ dataDir: dir, secretKey: null });
    expect(after.keyId).toBe(newId);
    expect(after.keyIds).toEqual([newId, oldId]);
    expect(after.hash('reporter', 'device-1')).not.toBe(h);
    expect(after.hash('reporter', 'device-1', oldId)).toBe(h);
    expect(JSON.parse(readFileSync(join(dir, SECRET_FILE), 'utf8')).keys).toHaveLength(2);
  });

  it('takes a shared key from the setting (several instances), and refuses a short one', () => {
    const key = 'ab'.repeat(32);
    expect(loadSecrets({ dataDir: '/nonexistent', secretKey: key }).hash('network', 'n'))
      .toBe(loadSecrets({ dataDir: '/nonexistent', secretKey: key }).hash('network', 'n'));
    expect(parseSecretKey('c2hvcnQ=')).toBeNull();
    expect(() => loadSecrets({ dataDir: dir, secretKey: 'short' })).toThrow(/CUADRANTE_SECRET_KEY/);
  });
});
