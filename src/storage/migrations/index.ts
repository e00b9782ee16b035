import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_dispatch.js';
import * as m0003 from './0003_tracking.js';
import * as m0004 from './0004_extortion.js';
import * as m0005 from './0005_trust.js';
import * as m0006 from './0006_lifecycle.js';
import * as m0007 from './0007_event_outbox.js';
import * as m0008 from './0008_pages_by_unit.js';

// Migrations are listed in code (not discovered on disk) so the compiled server, the CLI and
// the tests run exactly the same set, in order.
const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_dispatch': m0002,
  '0003_tracking': m0003,
  '0004_extortion': m0004,
  '0005_trust': m0005,
  '0006_lifecycle': m0006,
  '0007_event_outbox': m0007,
  '0008_pages_by_unit': m0008,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
