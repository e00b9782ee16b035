// scrypt from Node's standard library: memory-hard, no native dependency to build.
// Every hash runs through one small pool: a crowd of guessers (each try costs ~128 MiB and a
// third of a second) can only queue behind each other, never take the cores alerts need.
import { availableParallelism } from 'node:os';
import { randomBytes, scrypt as scryptCb, timingSafeEqual, createHash, type ScryptOptions } from 'node:crypto';
import { DomainError } from '../kernel/index.js';

const scrypt = (pw: string, salt: Buffer, len: number, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(pw, salt, len, opts, (err, key) => (err ? reject(err) : resolve(key))));

/** OWASP's current guidance for scrypt: N = 2^17, r = 8, p = 1 (128 MiB per hash). */
export const PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
const KEY_LEN = 32;
const MAXMEM = 256 * 1024 * 1024;

/** Hashes running at once, and waiting: past the queue a request gets 503 at once, not a long wait. */
const CONCURRENCY = Math.max(1, availableParallelism() - 1);
const MAX_QUEUED = 64;

let running = 0;
let computed = 0;
const waiting: (() => void)[] = [];
/**
 * Served before `waiting`: sign-ins from a network where the account signed in lately (the
 * operations centre), so a botnet spraying guesses from everywhere — which no per-account or
 * per-network counter can stop — never queues a dispatcher behind its hashes.
 */
const waitingFirst: (() => void)[] = [];

/** 'first': the try comes from a place this account is known to sign in from. */
export type HashPriority = 'first' | 'normal';

async function withSlot<T>(work: () => Promise<T>, priority: HashPriority = 'normal'): Promise<T> {
  if (running >= CONCURRENCY) {
    const queue = priority === 'first' ? waitingFirst : waiting;
    if (queue.length >= MAX_QUEUED) throw new DomainError('SERVER_BUSY', { seconds: 2 });
    await new Promise<void>((resolve) => queue.push(resolve));
  }
  running++;
  computed++;
  try {
    return await work();
  } finally {
    running--;
    (waitingFirst.shift() ?? waiting.shift())?.();
  }
}

/** How many hashes are running and waiting now (for tests and diagnostics). */
export const hashPoolLoad = (): { running: number; waiting: number } => ({ running, waiting: waiting.length + waitingFirst.length });

/** How many scrypt computations this process has started: lets a test prove a refused try cost none. */
export const hashesComputed = (): number => computed;

/**
 * A hash of nothing with today's parameters, checked when the account does not exist (or has no
 * password), so an unknown username costs the same time as a known one and timing reveals nothing.
 */
export const DUMMY_HASH = ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, Buffer.alloc(16).toString('base64url'), Buffer.alloc(KEY_LEN).toString('base64url')].join('$');

/** Format: scrypt$N$r$p$salt$hash (base64url), so parameters can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await withSlot(() => scrypt(password.normalize('NFC'), salt, KEY_LEN, { ...PARAMS, maxmem: MAXMEM }));
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string, priority: HashPriority = 'normal'): Promise<boolean> {
  const [scheme, n, r, p, saltB64, keyB64] = stored.split('$');
  if (scheme !== 'scrypt' || !saltB64 || !keyB64) return false;
  const expected = Buffer.from(keyB64, 'base64url');
  const key = await withSlot(() => scrypt(password.normalize('NFC'), Buffer.from(saltB64, 'base64url'), expected.length,
    { N: Number(n), r: Number(r), p: Number(p), maxmem: MAXMEM }), priority);
  return timingSafeEqual(key, expected);
}

/** A hash made with weaker parameters than today's: re-hash it when the password is next given. */
export function needsRehash(stored: string): boolean {
  const [scheme, n, r, p] = stored.split('$');
  return scheme === 'scrypt' && (Number(n) < PARAMS.N || Number(r) < PARAMS.r || Number(p) < PARAMS.p);
}

/** A password a person can type from the console once: 4 groups of 5 base32 characters. */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(20);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-');
}

export function newToken(): string {
  return `cq_${randomBytes(32).toString('base64url')}`;
}

/** Tokens are stored only as this hash: a leaked database grants no sessions. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
