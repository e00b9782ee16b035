import type { ReportRow } from './types.js';

// Who is behind a number's reports, as the analyst should see it: reports that share an account
// or a device key are one person (union-find over those keys); the network key is shown beside
// each person, since the reputation counts one network as one reporter however many people use it.

export interface Reporter {
  /** 1-based, in order of each person's first report. */
  n: number;
  reports: ReportRow[];
  userIds: string[];
  accounts: string[];
  devices: string[];
  /** Labels (N1, N2…) of the networks this person reported from. */
  networks: string[];
}

export interface Reporters { people: Reporter[]; networks: number }

export function groupReporters(reports: readonly ReportRow[]): Reporters {
  const rows = [...reports].sort((a, b) => a.created_at - b.created_at);
  const parent = rows.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const owner = new Map<string, number>();
  rows.forEach((r, i) => {
    for (const key of [r.key_account && `a:${r.key_account}`, r.key_device && `d:${r.key_device}`]) {
      if (!key) continue;
      const j = owner.get(key);
      if (j === undefined) owner.set(key, i);
      else parent[find(i)] = find(j);
    }
  });

  const networkLabels = new Map<string, string>();
  const networkLabel = (key: string) => {
    if (!networkLabels.has(key)) networkLabels.set(key, `N${networkLabels.size + 1}`);
    return networkLabels.get(key)!;
  };
  const byRoot = new Map<number, ReportRow[]>();
  rows.forEach((r, i) => {
    const root = find(i);
    byRoot.set(root, [...(byRoot.get(root) ?? []), r]);
  });
  const people = [...byRoot.values()].map((group, index): Reporter => ({
    n: index + 1,
    reports: group,
    userIds: distinct(group.map((r) => r.reporter_user_id)),
    accounts: distinct(group.map((r) => r.key_account)),
    devices: distinct(group.map((r) => r.key_device)),
    networks: distinct(group.map((r) => (r.key_network ? networkLabel(r.key_network) : null))),
  }));
  return { people, networks: networkLabels.size };
}

function distinct(values: Array<string | null>): string[] {
  return [...new Set(values.filter((v): v is string => !!v))];
}
