// One server per SQLite data directory. Two servers on one file would each keep their own caches,
// hub and deadlines over the same rows — silently wrong, never an error. So the server holds an
// exclusive SQLite transaction on a small separate file, `cuadrante.lock`, for as long as it runs:
// SQLite's lock is an OS file lock (fcntl), which the kernel drops when the process dies, so a
// SIGKILL or a crash leaves no stale lock to clean up by hand (a pid file would). The database file
// itself is not locked: the CLI (imports, user commands) opens it beside a running server on purpose.
// Network file systems (NFS, SMB) may not honour the lock; the data directory belongs on a local disk.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';

export const LOCK_FILE = 'cuadrante.lock';

/** Another process (or another server in this one) holds the data directory. Its message is the one line to print. */
export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string) {
    super(`cuadrante: the data directory ${dataDir} is in use by another Cuadrante server (it holds ${join(dataDir, LOCK_FILE)}): `
      + 'stop that one, or set CUADRANTE_DATA_DIR to another directory; to run several instances on one database, set DATABASE_URL (PostgreSQL).');
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  readonly dataDir: string;
  /** Lets the next server in; safe to call twice. */
  release(): void;
}

/** Takes the data directory's lock at once (no waiting) or throws DataDirLockedError. */
export function lockDataDir(dir: string): DataDirLock {
  const dataDir = resolve(dir);
  mkdirSync(dataDir, { recursive: true });
  // timeout 0: a held lock is an answer now, not after busy_timeout. The journal in memory: the
  // transaction writes nothing, and no `-journal` file is left beside the lock after a kill.
  const file = new SQLite(join(dataDir, LOCK_FILE), { timeout: 0 });
  try {
    file.pragma('journal_mode = MEMORY');
    file.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    file.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') throw new DataDirLockedError(dataDir);
    throw err;
  }
  return {
    dataDir,
    release() {
      if (!file.open) return;
      // Closing ends the transaction and drops the OS lock; the file stays (deleting it while another
      // process opens it would let two hold "the" lock on different inodes).
      file.close();
    },
  };
}
