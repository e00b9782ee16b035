// One clock: nothing in src/ reads the current time except the clock implementation, so the planner
// and the tests can run every route, service and job on simulated time (a ManualClock). `new
// Date(ms)` formatting a given instant is fine; `Date.now()` and an argument-less `new Date()` are
// what this refuses. Parsed (oxc, through Vite's parseAst), so comments and strings never count.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAst } from 'vite';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..');
/** The one place allowed to read the wall clock. */
const CLOCK_IMPLEMENTATION = new Set(['kernel/clock.ts']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every reading of the current time in a source text: `Date.now()` and `new Date()` without arguments. */
export function clockReads(fileName: string, text: string): string[] {
  const found: string[] = [];
  const line = (offset: number) => text.slice(0, offset).split('\n').length;
  const isDate = (e: Node | undefined) => e?.type === 'Identifier' && e.name === 'Date';
  const visit = (n: Node): void => {
    if (n.type === 'NewExpression' && isDate(n.callee) && (n.arguments?.length ?? 0) === 0) found.push(`${fileName}:${line(n.start)} new Date()`);
    if (n.type === 'CallExpression' && n.callee?.type === 'MemberExpression' && isDate(n.callee.object) && n.callee.property?.name === 'now') {
      found.push(`${fileName}:${line(n.start)} Date.now()`);
    }
    for (const v of Object.values(n)) {
      for (const child of Array.isArray(v) ? v : [v]) if (child && typeof child === 'object' && typeof (child as Node).type === 'string') visit(child as Node);
    }
  };
  visit(parseAst(text, { lang: 'ts' }) as unknown as Node);
  return found;
}

interface Node {
  type: string; start: number; name?: string;
  callee?: Node; object?: Node; property?: Node; arguments?: Node[];
}

describe('one clock', () => {
  it('finds what it must refuse, and only that', () => {
    const text = [
      'const a = Date.now();', 'const b = new Date();', 'const c = new Date;',
      'const ok1 = new Date(a).toISOString();', 'const ok2 = Date.parse("2026-01-01");',
      '// Date.now() in a comment', 'const s = "new Date()";', 'const ok3 = clock.now();',
    ].join('\n');
    expect(clockReads('x.ts', text)).toEqual(['x.ts:1 Date.now()', 'x.ts:2 new Date()', 'x.ts:3 new Date()']);
  });

  it('no route, service or job in src/ reads the current time except through the injected clock', () => {
    const reads = sources(SRC)
      .filter((path) => !CLOCK_IMPLEMENTATION.has(relative(SRC, path).split('\\').join('/')))
      .flatMap((path) => clockReads(relative(SRC, path), readFileSync(path, 'utf8')));
    expect(reads).toEqual([]);
  });
});
