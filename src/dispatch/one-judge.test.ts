// The lifecycle table is the only judge of an alert's status: outside domain/lifecycle.ts no code in
// the contexts that handle alerts assigns a status (`x.status = …`) or writes one as a literal
// (`{ status: 'paging' }`, `.set({ status: … })`). Statuses come from `step` (or INITIAL_STATUS).
// Parsed (oxc, through Vite's parseAst), so comments, strings and `.where('status', …)` never count.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAst } from 'vite';
import { describe, expect, it } from 'vitest';
import { ALERT_STATUSES } from './domain/lifecycle.js';

const SRC = join(import.meta.dirname, '..');
/** Where alerts are written or shown. */
const SCANNED = ['dispatch', 'realtime', 'fleet', 'tracking', 'retention'];
const JUDGE = 'dispatch/domain/lifecycle.ts';

interface Node { type: string; start: number; [k: string]: unknown }

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

export function statusWrites(fileName: string, text: string): string[] {
  const found: string[] = [];
  const line = (n: Node) => `${fileName}:${text.slice(0, n.start).split('\n').length}`;
  const named = (n: unknown, name: string) => !!n && typeof n === 'object' && (((n as Node).type === 'Identifier' && (n as Node).name === name) || ((n as Node).type === 'Literal' && (n as Node).value === name));
  const isStatusLiteral = (n: unknown) => !!n && (n as Node).type === 'Literal' && (ALERT_STATUSES as readonly unknown[]).includes((n as Node).value);
  const visit = (n: Node): void => {
    if (n.type === 'AssignmentExpression' && (n.left as Node).type === 'MemberExpression' && named((n.left as Node).property, 'status')) found.push(`${line(n)} assigns .status`);
    if (n.type === 'Property' && named(n.key, 'status') && isStatusLiteral(n.value)) found.push(`${line(n)} writes status ${String((n.value as Node).value)}`);
    for (const v of Object.values(n)) for (const c of Array.isArray(v) ? v : [v]) if (c && typeof c === 'object' && typeof (c as Node).type === 'string') visit(c as Node);
  };
  visit(parseAst(text, { lang: 'ts' }) as unknown as Node);
  return found;
}

describe('the lifecycle table is the only judge', () => {
  it('recognises the writes it refuses', () => {
    const text = "a.status = 'paging';\nconst b = { ...a, status: 'escalated' };\nq.where('status', 'in', ['new']);\nconst c = { status: s.to };";
    expect(statusWrites('x.ts', text)).toEqual(['x.ts:1 assigns .status', 'x.ts:2 writes status escalated']);
  });

  it('no code outside domain/lifecycle.ts sets an alert status', () => {
    const files = SCANNED.flatMap((d) => sources(join(SRC, d))).filter((p) => relative(SRC, p).split('\\').join('/') !== JUDGE);
    expect(files.length).toBeGreaterThan(10);
    expect(files.flatMap((p) => statusWrites(relative(SRC, p), readFileSync(p, 'utf8')))).toEqual([]);
  });
});
