// A citizen device's credential, counted per network (issue 9 §1) as one use-case: the route only
// validates and presents, and anything else that enrols devices (the simulator) counts them alike.
import { DomainError, type Clock } from '../kernel/index.js';
import type { Limit, RateLimiter } from '../limits/index.js';
import type { AccountService, Session } from './service.js';

export interface DeviceLimits {
  /** Devices a network may create in an hour before new ones start on probation. */
  perNetworkHour: number;
  /** Devices a network may create in an hour at all (then RATE_LIMITED). */
  perNetworkHourMax: number;
  /** How long a device on probation has its alerts held for a dispatcher. */
  probationMs: number;
}

export class DeviceRegistration {
  private readonly perNetwork: Limit;

  constructor(private accounts: AccountService, private limits: RateLimiter, private clock: Clock, private settings: DeviceLimits) {
    this.perNetwork = { scope: 'devices.network', max: settings.perNetworkHourMax, windowMs: 3600_000 };
  }

  /**
   * Past the soft limit the device starts on probation — nothing in the answer says so, so a flooder
   * learns nothing and an honest phone behaves the same; past the hard limit, RATE_LIMITED.
   */
  async register(networkKey: string): Promise<Session> {
    const counted = await this.limits.hit(this.perNetwork, networkKey);
    if (counted.over) throw new DomainError('RATE_LIMITED', { seconds: counted.retryAfterS });
    const probationUntil = counted.count > this.settings.perNetworkHour ? this.clock.now().getTime() + this.settings.probationMs : null;
    return this.accounts.registerDevice({ probationUntil });
  }
}
