// Creating a unit with the officer account that signs in to it: one use-case, one transaction.
// Both are checked first (callsign and username free, quadrants known, password hashed), then
// written together, so a refused account never leaves a unit without its officer (nor the other
// way round); audit entries and the unit's announcement follow only once both are stored.
import type { Db } from '../storage/index.js';
import type { Unit } from './model.js';
import type { UnitInput, UnitService } from './units.js';

export interface OfficerInput { username: string; password: string }

/** What enrolment needs of accounts (the composition root passes the AccountService). */
export interface OfficerAccounts<Draft = unknown, Created = unknown> {
  assertUsernameFree(username: string): Promise<void>;
  draftUser(input: { username: string; password: string; role: 'unit'; unitId: string; displayName: string }): Promise<Draft>;
  insertUserIn(trx: Db, draft: Draft): Promise<void>;
  userCreated(actorId: string | null, draft: Draft): Promise<Created>;
}

export class UnitEnrolment<Draft = unknown> {
  constructor(private db: Db, private units: UnitService, private accounts: OfficerAccounts<Draft>) {}

  async enrol(actorId: string | null, input: UnitInput, officer: OfficerInput | null): Promise<Unit> {
    // The account first, as the console always saw it: a taken username is the answer even if the callsign is too.
    if (officer) await this.accounts.assertUsernameFree(officer.username);
    const unit = await this.units.draft(input);
    const account = officer
      ? await this.accounts.draftUser({ ...officer, role: 'unit', unitId: unit.id, displayName: unit.callsign })
      : null;
    // A callsign or username taken meanwhile fails its unique index here: nothing is stored.
    await this.db.transaction().execute(async (trx) => {
      await this.units.insertIn(trx, unit);
      if (account !== null) await this.accounts.insertUserIn(trx, account);
    });
    const saved = await this.units.recorded(actorId, unit);
    if (account !== null) await this.accounts.userCreated(actorId, account);
    return saved;
  }
}
