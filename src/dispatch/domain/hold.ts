// Which alerts wait for a dispatcher before anyone is paged, and what releases them. Pure rules:
// the service counts (in the database) and applies them.
//
// A held alert is never refused and never lost: it is stored like any other and answered 201, but
// nobody is paged, no escalation deadline runs and it is never handed to 911 automatically.
// Dispatchers see it first in their queue and either confirm it (the escalation ladder then runs
// from that moment) or close it.

import type { LifecycleEvent } from './lifecycle.js';

export const HOLD_REASONS = ['saturation', 'unverified_sos'] as const;
/**
 * saturation: past the per-device or per-network alert limit, or from a device on probation (one
 * created past its network's device limit) — a possible flood. unverified_sos: a tracker's SOS
 * not (yet) confirmed against the unit's track; asked for by the caller.
 */
export type HoldReason = (typeof HOLD_REASONS)[number];

export const isHoldReason = (s: string | null): s is HoldReason => s !== null && (HOLD_REASONS as readonly string[]).includes(s);

export interface FloodVerdicts {
  /** This device's count, this alert included, is past its limit. */
  deviceOver: boolean;
  /** This network's count is past its limit; null when the network is unknown (not raised over HTTP). */
  networkOver: boolean | null;
  /** The device is on probation until then; null: it never was. */
  probationUntil: number | null;
}

export interface HoldInput {
  /** Who raised it: only citizens' alerts are counted (dispatchers and officers are staff). */
  source: 'citizen' | 'dispatcher' | 'officer';
  /** A hold the caller asked for (e.g. an unconfirmed tracker SOS), whoever raised it. */
  requested: HoldReason | null;
  /** The flood counters for this alert; null when it was not counted. */
  flood: FloodVerdicts | null;
  now: number;
}

/** Is this new alert held, and why (null: page at once). Never a refusal. */
export function holdFor(i: HoldInput): HoldReason | null {
  if (i.requested) return i.requested;
  if (i.source !== 'citizen' || !i.flood) return null;
  const f = i.flood;
  if (f.probationUntil !== null && f.probationUntil > i.now) return 'saturation';
  if (f.deviceOver || f.networkOver === true) return 'saturation';
  return null;
}

/**
 * The hold after a staff action. Sending help is a dispatcher's decision that the alert is real:
 * confirming it, taking it (acknowledge), giving it to a unit (assign) or handing it to 911
 * (escalate) releases it. Closing it (cancel, resolve) keeps the reason on record.
 */
export function holdAfter(action: LifecycleEvent, hold: HoldReason | null): HoldReason | null {
  if (hold === null) return null;
  return action === 'confirm' || action === 'acknowledge' || action === 'assign' || action === 'escalate' ? null : hold;
}
