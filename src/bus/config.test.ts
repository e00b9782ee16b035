// The bus settings as an operator writes them.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/index.js';

/** What several instances must also share (src/config/index.ts refuses the bus without them). */
const shared = { DATABASE_URL: 'postgres://u@db:5432/c', CUADRANTE_SECRET_KEY: 'ab'.repeat(32) };

const problems = (env: Record<string, string>) => {
  try { loadConfig(env); return []; } catch (err) { return (err as ConfigError).problems; }
};

describe('bus configuration', () => {
  it('is off without CUADRANTE_NATS_URL, and takes a comma-separated list of servers', () => {
    expect(loadConfig({}).natsUrl).toBeNull();
    expect(loadConfig({ ...shared, CUADRANTE_NATS_URL: 'nats://10.0.0.1:4222, 10.0.0.2:4222,tls://nats.example.org:4443' }).natsUrl)
      .toEqual(['nats://10.0.0.1:4222', '10.0.0.2:4222', 'tls://nats.example.org:4443']);
    expect(loadConfig({}).bus).toEqual({ stream: 'CUADRANTE_EVENTS', subjectPrefix: 'cuadrante', replicas: 1, maxAgeMs: 86_400_000, duplicateWindowMs: 120_000, outboxRetentionMs: 3_600_000 });
  });

  it('names what is wrong', () => {
    expect(problems({ CUADRANTE_NATS_URL: 'http://10.0.0.1:4222' })[0]).toMatch(/^CUADRANTE_NATS_URL: must be NATS servers/);
    expect(problems({ CUADRANTE_NATS_URL: ',' })[0]).toMatch(/^CUADRANTE_NATS_URL/);
    expect(problems({ CUADRANTE_NATS_STREAM: 'has.dots' })[0]).toMatch(/^CUADRANTE_NATS_STREAM: must be 1-64 letters/);
    expect(problems({ CUADRANTE_NATS_SUBJECT_PREFIX: 'a>' })[0]).toMatch(/^CUADRANTE_NATS_SUBJECT_PREFIX/);
    expect(problems({ CUADRANTE_NATS_REPLICAS: '7' })[0]).toMatch(/^CUADRANTE_NATS_REPLICAS: must be an integer from 1 to 5/);
    expect(problems({ CUADRANTE_NATS_MAX_AGE_H: '1', CUADRANTE_NATS_DUPLICATE_WINDOW_S: '7200' })).toEqual(['CUADRANTE_NATS_DUPLICATE_WINDOW_S: cannot be longer than CUADRANTE_NATS_MAX_AGE_H']);
  });
});
