// Campaigns: one gang behind many numbers. Numbers are linked when their reports name the same
// bank account (a CLABE, or a card's bank and last four digits) or repeat the same script (what
// the caller claimed, normalised, compared as word shingles by Jaccard similarity), within a time
// window. A campaign is a connected group of at least two numbers, returned with the evidence.
import { DisjointSets } from './reputation.js';

export interface CampaignReport {
  id: string;
  e164: string;
  /** Epoch ms. */
  at: number;
  /** What the caller claimed, as the victim wrote it. */
  claimed?: string | null;
  /** 18-digit CLABE (spaces allowed). */
  clabe?: string | null;
  /** "bank:last4", e.g. "BBVA:1234". Without a bank, four digits are too common to link anything. */
  card?: string | null;
}

export interface CampaignOptions {
  /** Two reports link only if at most this far apart (a chain of links may span longer). */
  windowMs: number;
  /** Jaccard similarity of the claims' shingle sets from which they are the same script (default 0.5). */
  minSimilarity?: number;
  /** Words per shingle (default 3). */
  shingleSize?: number;
  /** Claims with fewer words are too short to be a script (default 5): "pague ya" links nothing. */
  minWords?: number;
}

export type CampaignEvidence =
  | { kind: 'bank_account'; account: string; numbers: string[]; reports: number }
  /** `similarity`: the weakest link that joined these reports; `example`: the earliest claim. */
  | { kind: 'script'; numbers: string[]; reports: number; similarity: number; example: string };

export interface Campaign {
  /** "C-" + the id of its earliest report: stable while that report stays in the window. */
  id: string;
  numbers: string[];
  reportIds: string[];
  firstAt: number;
  lastAt: number;
  evidence: CampaignEvidence[];
}

export function detectCampaigns(reports: readonly CampaignReport[], opts: CampaignOptions): Campaign[] {
  const byTime = [...reports].sort((a, b) => a.at - b.at);
  const all = new DisjointSets(byTime.length);
  const accounts = linkAccounts(byTime, opts.windowMs, all);
  const scripts = linkScripts(byTime, opts, all);
  const members = new Map<number, number[]>();
  byTime.forEach((_, i) => {
    const root = all.find(i);
    const list = members.get(root);
    if (list) list.push(i);
    else members.set(root, [i]);
  });
  const campaigns: Campaign[] = [];
  for (const list of members.values()) {
    const numbers = distinctNumbers(byTime, list);
    if (numbers.length < 2) continue;
    campaigns.push({
      id: `C-${byTime[list[0]!]!.id}`,
      numbers,
      reportIds: list.map((i) => byTime[i]!.id),
      firstAt: byTime[list[0]!]!.at,
      lastAt: byTime[list[list.length - 1]!]!.at,
      evidence: [...accountEvidence(byTime, list, accounts), ...scriptEvidence(byTime, list, scripts)],
    });
  }
  return campaigns.sort((a, b) => b.numbers.length - a.numbers.length || b.lastAt - a.lastAt);
}

// ---------- bank accounts ----------

/** "clabe:012180001234567891" or "card:bbva:1234"; null when there is nothing usable. */
export function accountKey(r: CampaignReport): string | null {
  const clabe = r.clabe?.replace(/[\s-]/g, '');
  if (clabe && /^\d{18}$/.test(clabe)) return `clabe:${clabe}`;
  const [bank, last4] = (r.card ?? '').split(':').map((s) => s.trim().toLowerCase());
  return bank && last4 && /^\d{4}$/.test(last4) ? `card:${bank}:${last4}` : null;
}

/** Links each report to the previous one naming the same account, if within the window. */
function linkAccounts(byTime: readonly CampaignReport[], windowMs: number, all: DisjointSets): (string | null)[] {
  const keys = byTime.map(accountKey);
  const previous = new Map<string, number>();
  keys.forEach((key, i) => {
    if (key === null) return;
    const j = previous.get(key);
    if (j !== undefined && byTime[i]!.at - byTime[j]!.at <= windowMs) all.union(i, j);
    previous.set(key, i);
  });
  return keys;
}

function accountEvidence(byTime: readonly CampaignReport[], list: readonly number[], keys: readonly (string | null)[]): CampaignEvidence[] {
  const byKey = groupBy(list, (i) => keys[i] ?? null);
  const out: CampaignEvidence[] = [];
  for (const [account, idx] of byKey) {
    const numbers = distinctNumbers(byTime, idx);
    if (numbers.length >= 2) out.push({ kind: 'bank_account', account, numbers, reports: idx.length });
  }
  return out;
}

// ---------- scripts ----------

/** Lower case, no accents, numbers and amounts as "#", punctuation as spaces. */
export function normalizeClaim(text: string): string[] {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
    .replace(/\d+([.,]\d+)*/g, ' # ').replace(/[^\p{L}#]+/gu, ' ').trim().split(' ').filter((w) => w !== '');
}

export function shingles(words: readonly string[], size: number): Set<string> {
  const out = new Set<string>();
  if (words.length <= size) out.add(words.join(' '));
  for (let i = 0; i + size <= words.length; i++) out.add(words.slice(i, i + size).join(' '));
  return out;
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const s of a) if (b.has(s)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

interface ScriptLinks { sets: DisjointSets; weakest: Map<number, number> }

/**
 * Reports with the same normalised claim are one text; texts are compared, not reports, so a
 * campaign repeating its script thousands of times costs one comparison per pair of variants.
 * Candidate pairs of texts come from an inverted index of shingles (only texts sharing one are ever
 * compared). Within a text, consecutive reports link when within the window; across two similar
 * texts, a sweep in time order links each report to the other text's latest report before it when
 * within the window — together, the same groups as linking every pair within the window. Links
 * also form their own disjoint sets, one per script, for the evidence.
 */
function linkScripts(byTime: readonly CampaignReport[], opts: CampaignOptions, all: DisjointSets): ScriptLinks {
  const size = opts.shingleSize ?? 3, min = opts.minSimilarity ?? 0.5;
  const sets = new DisjointSets(byTime.length);
  const weakestEdge = new Float64Array(byTime.length).fill(1);
  const link = (i: number, j: number, similarity: number): void => {
    all.union(i, j);
    sets.union(i, j);
    weakestEdge[i] = Math.min(weakestEdge[i]!, similarity);
    weakestEdge[j] = Math.min(weakestEdge[j]!, similarity);
  };
  const texts = distinctTexts(byTime, opts.minWords ?? 5);
  const shingled = texts.map((t) => shingles(t.words, size));
  for (const t of texts) sweep(byTime, t.reports, [], opts.windowMs, (i, j) => link(i, j, 1));
  const postings = new Map<string, number[]>();
  shingled.forEach((set, a) => { for (const sh of set) (postings.get(sh) ?? postings.set(sh, []).get(sh)!).push(a); });
  shingled.forEach((set, a) => {
    const shared = new Map<number, number>();
    for (const sh of set) for (const b of postings.get(sh)!) if (b > a) shared.set(b, (shared.get(b) ?? 0) + 1);
    for (const [b, n] of shared) {
      const similarity = n / (set.size + shingled[b]!.size - n);
      if (similarity >= min) sweep(byTime, texts[a]!.reports, texts[b]!.reports, opts.windowMs, (i, j) => link(i, j, similarity));
    }
  });
  const weakest = new Map<number, number>();
  weakestEdge.forEach((w, i) => {
    const root = sets.find(i);
    weakest.set(root, Math.min(weakest.get(root) ?? 1, w));
  });
  return { sets, weakest };
}

function distinctTexts(byTime: readonly CampaignReport[], minWords: number): { words: string[]; reports: number[] }[] {
  const texts = new Map<string, { words: string[]; reports: number[] }>();
  byTime.forEach((r, i) => {
    const words = normalizeClaim(r.claimed ?? '');
    if (words.length < minWords) return;
    const key = words.join(' ');
    const text = texts.get(key);
    if (text) text.reports.push(i);
    else texts.set(key, { words, reports: [i] });
  });
  return [...texts.values()];
}

/**
 * Walks two time-ordered lists of reports as one; each report links to the latest earlier report
 * of the other list (or, with `b` empty, of its own list) when within the window.
 */
function sweep(byTime: readonly CampaignReport[], a: readonly number[], b: readonly number[], windowMs: number, link: (i: number, j: number) => void): void {
  const own = b.length === 0;
  let lastA = -1, lastB = -1;
  for (let x = 0, y = 0; x < a.length || y < b.length;) {
    const fromA = y >= b.length || (x < a.length && a[x]! <= b[y]!);
    const i = fromA ? a[x++]! : b[y++]!;
    const other = own || !fromA ? lastA : lastB;
    if (other >= 0 && byTime[i]!.at - byTime[other]!.at <= windowMs) link(other, i);
    if (fromA) lastA = i;
    else lastB = i;
  }
}

function scriptEvidence(byTime: readonly CampaignReport[], list: readonly number[], links: ScriptLinks): CampaignEvidence[] {
  const out: CampaignEvidence[] = [];
  for (const [root, idx] of groupBy(list, (i) => links.sets.find(i))) {
    const numbers = distinctNumbers(byTime, idx);
    if (numbers.length < 2) continue;
    const similarity = Math.round(links.weakest.get(root)! * 100) / 100;
    out.push({ kind: 'script', numbers, reports: idx.length, similarity, example: byTime[idx[0]!]!.claimed ?? '' });
  }
  return out;
}

// ---------- helpers ----------

function groupBy<K>(list: readonly number[], keyOf: (i: number) => K | null): Map<K, number[]> {
  const out = new Map<K, number[]>();
  for (const i of list) {
    const key = keyOf(i);
    if (key === null) continue;
    const group = out.get(key);
    if (group) group.push(i);
    else out.set(key, [i]);
  }
  return out;
}

const distinctNumbers = (byTime: readonly CampaignReport[], idx: readonly number[]): string[] =>
  [...new Set(idx.map((i) => byTime[i]!.e164))].sort();
