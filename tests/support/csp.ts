// Reading security headers the way a browser does: a CSP as directives, a Permissions-Policy as features.

export function parseCsp(header: string | null): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), values);
  }
  return out;
}

/** feature → allow-list as written, e.g. geolocation → "(self)", camera → "()". */
export function parsePermissionsPolicy(header: string | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(',')) {
    const m = /^\s*([a-z-]+)=(\(.*\)|\*)\s*$/.exec(part);
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}
