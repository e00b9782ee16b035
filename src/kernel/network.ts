// The network a request came from, as the unit abuse limits count: an IPv4 /24 or an IPv6 /48 —
// roughly one household, office or call centre. Never stored as such: callers keep only a keyed
// hash of it (config/secrets.ts), which a database dump cannot reverse.
import { isIP } from 'node:net';

export function networkOf(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/i.exec(ip);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  if (isIP(ip) !== 6) return `other:${ip.slice(0, 64)}`;
  return `${expandV6(ip).slice(0, 3).join(':')}::/48`;
}

/** "2001:db8::1" → its eight groups, so "2001:db8::" and "2001:0db8:0:0::" are one network. */
function expandV6(ip: string): string[] {
  const [head = '', tail] = ip.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  return groups.map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16).toString(16) : g.toLowerCase()));
}
