import { describe, expect, it } from 'vitest';
import { networkOf } from './network.js';

describe('networkOf', () => {
  it('groups IPv4 by /24, also when mapped into IPv6', () => {
    expect(networkOf('189.203.14.77')).toBe('189.203.14.0/24');
    expect(networkOf('::ffff:189.203.14.1')).toBe('189.203.14.0/24');
  });
  it('groups IPv6 by /48 however the address is written', () => {
    const a = networkOf('2806:2f0:9020:1::1');
    expect(a).toBe('2806:2f0:9020::/48');
    expect(networkOf('2806:02f0:9020:ffff:0:0:0:7')).toBe(a);
    expect(networkOf('2806:2f0::1')).toBe('2806:2f0:0::/48');
    expect(networkOf('2806:2f1::1')).not.toBe(networkOf('2806:2f0::1'));
  });
  it('keeps anything else apart rather than lumping it together', () => {
    expect(networkOf('not-an-ip')).toBe('other:not-an-ip');
  });
});
