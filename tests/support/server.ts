// A real Cuadrante server on a free port, with its own fresh database and the CDMX data loaded.
import type { Config } from '../../src/config/index.js';
import { startServer, type RunningServer } from '../../src/server.js';
import type { Clock, IdGenerator } from '../../src/kernel/index.js';
import { sqliteEngine, type EngineCase } from './engines.js';
import { freePort } from './net.js';

export interface TestServer extends RunningServer {
  config: Config;
  /** Signs in as the first admin and returns the bearer token. */
  adminToken(): Promise<string>;
}

export async function startTestServer(opts: { engine?: EngineCase; config?: Partial<Config>; clock?: Clock; ids?: IdGenerator; webDir?: string | null } = {}): Promise<TestServer> {
  const db = await (opts.engine ?? sqliteEngine).fresh();
  // A known port up front, so links the server sends (check-in SMS) point back at it.
  const port = opts.config?.port ?? await freePort();
  const config: Config = { ...db.config, port, publicUrl: `http://127.0.0.1:${port}`, ...opts.config };
  const server = await startServer(config, { ...(opts.clock ? { clock: opts.clock } : {}), ...(opts.ids ? { ids: opts.ids } : {}), ...(opts.webDir !== undefined ? { webDir: opts.webDir } : {}) });
  let token: string | null = null;
  return {
    ...server,
    config,
    async adminToken() {
      if (token) return token;
      const res = await fetch(`${server.url}/api/v1/auth/login`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: config.adminUsername, password: config.adminPassword }),
      });
      token = ((await res.json()) as { token: string }).token;
      return token;
    },
    async close() {
      await server.close();
      await db.cleanup();
    },
  };
}
