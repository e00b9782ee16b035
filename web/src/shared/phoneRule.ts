// The phone rule (src/rules/phone.ts, the server's own) carries libphonenumber's metadata, about
// 53 KiB gzipped: the citizen page fetches it when the number check is first used, so the panic
// button never waits for it. Once loaded it is the same module the server runs.
export type PhoneRule = typeof import('../../../src/rules/phone.js');

let rule: Promise<PhoneRule> | null = null;

/** Loads once; a failed fetch (offline) is tried again on the next call. */
export const loadPhoneRule = (): Promise<PhoneRule> =>
  (rule ??= import('../../../src/rules/phone.js').catch((err: unknown) => { rule = null; throw err; }));
