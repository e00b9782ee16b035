import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.js';

describe('configuration', () => {
  it('has working defaults: embedded SQLite on 127.0.0.1:8080', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8080, databaseUrl: null, seed: 'cdmx', cityLine: '+525552089898' });
    expect(c.dataDir.endsWith('/var')).toBe(true);
  });

  it('reads every documented key', () => {
    const c = loadConfig({ HOST: '0.0.0.0', PORT: '9000', DATABASE_URL: 'postgres://u@db:5432/c', CUADRANTE_SEED: 'none', CUADRANTE_ADMIN_PASSWORD: 'a-long-password', CUADRANTE_LOG_REQUESTS: 'true' });
    expect(c).toMatchObject({ host: '0.0.0.0', port: 9000, databaseUrl: 'postgres://u@db:5432/c', seed: 'none', adminPassword: 'a-long-password', logRequests: true });
  });

  it('lists every problem at once, naming each key', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', CUADRANTE_ADMIN_PASSWORD: 'short', CUADRANTE_CITY_LINE: '5208 9898', CUADRANTE_SEED: 'gdl' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems;
      expect(problems.map((p) => p.split(':')[0])).toEqual(['PORT', 'DATABASE_URL', 'CUADRANTE_ADMIN_PASSWORD', 'CUADRANTE_SEED', 'CUADRANTE_CITY_LINE']);
      expect((err as ConfigError).message).toContain('must be an integer from 0 to 65535, got "eighty"');
    }
  });

  it('trusts only the proxies it is told about, and never every proxy', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ CUADRANTE_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(loadConfig({ CUADRANTE_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    for (const bad of ['true', '10.0.0.0/40', 'proxy.local']) {
      expect(() => loadConfig({ CUADRANTE_TRUST_PROXY: bad }), bad).toThrow(/CUADRANTE_TRUST_PROXY/);
    }
  });

  it('reads limits, retention and the shared secret key, refusing inconsistent ones', () => {
    const c = loadConfig({ CUADRANTE_SMS_COUNTRIES: 'mx,us', CUADRANTE_RETENTION_AUDIT_DAYS: '3650', CUADRANTE_SECRET_KEY: 'ab'.repeat(32), CUADRANTE_MODE: 'development' });
    expect(c).toMatchObject({ smsCountries: ['MX', 'US'], mode: 'development', secretKey: 'ab'.repeat(32) });
    expect(c.retentionDays.audit).toBe(3650);
    expect(() => loadConfig({ CUADRANTE_RETENTION_ALERT_LOCATIONS_DAYS: '800' })).toThrow(/cannot be longer/);
    expect(() => loadConfig({ CUADRANTE_SECRET_KEY: 'too-short' })).toThrow(/CUADRANTE_SECRET_KEY/);
  });
});
