export { openStorage, migrate, type Storage, type Db, type Engine, type StorageOptions } from './database.js';
export type * from './schema.js';
export { MetaStore } from './meta.js';
export { lockDataDir, DataDirLockedError, LOCK_FILE, type DataDirLock } from './lock.js';
