import type { Db } from './database.js';

/** Small key/value facts about the installation (seed hashes, data revision). */
export class MetaStore {
  constructor(private db: Db) {}

  async get(key: string): Promise<string | null> {
    const row = await this.db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value ?? null;
  }

  async set(key: string, value: string, db: Db = this.db): Promise<void> {
    await db.insertInto('meta').values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }
}
