// Time and ids are injected so escalations, SLAs and the simulator can run on a fake clock.
import { randomUUID } from 'node:crypto';

export interface Clock { now(): Date }
export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can move by hand. */
export class ManualClock implements Clock {
  constructor(private t: number = Date.UTC(2026, 0, 1)) {}
  now(): Date { return new Date(this.t); }
  advance(ms: number): void { this.t += ms; }
  set(date: Date): void { this.t = date.getTime(); }
}

export type IdGenerator = () => string;
export const uuidIds: IdGenerator = () => randomUUID();
