import type { NumberPage, NumberReport, ReporterGroup } from './types.js';

// Who is behind a number's reports, as the analyst may see it. The server groups them (reports
// sharing a device, an account or a network are one reporter) and names each group with a letter
// local to the page; no key or id ever reaches this page. Here each group gets its reports.

export interface Reporter extends ReporterGroup {
  /** This reporter's reports on the page, oldest first. */
  items: NumberReport[];
}

export interface Reporters { people: Reporter[]; networks: number }

export function groupReporters(page: Pick<NumberPage, 'reports' | 'reporters'>): Reporters {
  const items = new Map<string, NumberReport[]>();
  for (const r of [...page.reports].sort((a, b) => Date.parse(a.reportedAt) - Date.parse(b.reportedAt))) {
    items.set(r.reporter, [...(items.get(r.reporter) ?? []), r]);
  }
  const people = page.reporters.map((g) => ({ ...g, items: items.get(g.label) ?? [] }));
  // Reporters never share a network (sharing one makes them one reporter), so the sum is exact.
  return { people, networks: people.reduce((n, p) => n + p.networks, 0) };
}
