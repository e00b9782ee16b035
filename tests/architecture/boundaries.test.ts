// The boundaries the code keeps (issue 10 §3, docs/ARCHITECTURE.md "Boundaries"): every context
// has an index.ts and other contexts import only that; no domain/ folder reaches a framework.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { boundaryViolation, contextOf, FRAMEWORKS, importsOf, listTs, type ImportEdge } from './imports.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const sources = listTs(join(root, 'src')).filter((f) => !f.endsWith('.test.ts'));
const edges = sources.flatMap((f) => importsOf(root, f));
/** Folders under src/ that are entry points or wiring, not contexts another one could import. */
const NOT_CONTEXTS = new Set(['cli', 'http']);

describe('context boundaries', () => {
  it('every context has an index.ts, its public face', () => {
    const folders = readdirSync(join(root, 'src')).filter((d) => statSync(join(root, 'src', d)).isDirectory() && !NOT_CONTEXTS.has(d));
    expect(folders.length).toBeGreaterThan(10);
    expect(folders.filter((d) => !existsSync(join(root, 'src', d, 'index.ts')))).toEqual([]);
  });

  it('other contexts import a context only through its index.ts (100 % of cross-context imports)', () => {
    const cross = edges.filter((e) => e.target && contextOf(e.target) && contextOf(e.target) !== '(root)' && contextOf(e.from) !== contextOf(e.target));
    expect(cross.length).toBeGreaterThan(100);
    expect(cross.map(boundaryViolation).filter((v) => v !== null)).toEqual([]);
  });

  it('the rule catches an import around a context\'s face, and allows the listed exceptions', () => {
    const edge = (from: string, specifier: string, target: string): ImportEdge => ({ from, specifier, target, typeOnly: false });
    expect(boundaryViolation(edge('src/realtime/hub.ts', '../dispatch/storage.js', 'src/dispatch/storage.ts'))).toMatch(/use src\/dispatch\/index\.ts/);
    expect(boundaryViolation(edge('src/services.ts', './tracking/domain/pipeline.js', 'src/tracking/domain/pipeline.ts'))).not.toBeNull();
    expect(boundaryViolation(edge('src/dispatch/service.ts', '../fleet/index.js', 'src/fleet/index.ts'))).toBeNull();
    expect(boundaryViolation(edge('src/dispatch/routes.ts', '../http/auth.js', 'src/http/auth.ts'))).toBeNull();
    expect(boundaryViolation(edge('src/dispatch/service.ts', '../http/auth.js', 'src/http/auth.ts'))).not.toBeNull();
    expect(boundaryViolation(edge('src/http/app.ts', '../family/routes.js', 'src/family/routes.ts'))).toBeNull();
    expect(boundaryViolation(edge('src/dispatch/routes.ts', '../contracts/dispatch.js', 'src/contracts/dispatch.ts'))).toBeNull();
    expect(boundaryViolation(edge('src/dispatch/service.ts', './storage.js', 'src/dispatch/storage.ts'))).toBeNull();
    expect(boundaryViolation(edge('src/server.ts', './http/app.js', 'src/http/app.ts'))).toBeNull();
    expect(boundaryViolation(edge('src/server.ts', './seed/cdmx.js', 'src/seed/cdmx.ts'))).not.toBeNull();
  });

  it('the parser sees multi-line, type-only, re-exported and dynamic imports', () => {
    const text = "import {\n  a,\n  type B,\n} from '../x/y.js';\nimport type { C } from 'fastify';\nexport { d } from './z.js';\nconst m = await import('ws');\n";
    const found = importsOf(root, join(root, 'src/q/domain/f.ts'), text);
    expect(found.map((e) => [e.specifier, e.typeOnly, e.target])).toEqual([
      ['../x/y.js', false, 'src/q/x/y.ts'], ['fastify', true, null], ['./z.js', false, 'src/q/domain/z.ts'], ['ws', false, null],
    ]);
  });
});

describe('domain folders', () => {
  const domainFiles = sources.filter((f) => /[\\/]domain[\\/]/.test(f));
  const byFile = new Map(sources.map((f) => [f, importsOf(root, f)]));

  it('import no framework, driver or node:http', () => {
    expect(domainFiles.length).toBeGreaterThan(20);
    const bad = domainFiles.flatMap((f) => byFile.get(f)!.filter((e) => FRAMEWORKS.test(e.specifier)).map((e) => `${e.from} → ${e.specifier}`));
    expect(bad).toEqual([]);
  });

  it('reach none at run time either, through the files they import', () => {
    const bad: string[] = [];
    for (const start of domainFiles) {
      const seen = new Set<string>();
      const walk = (file: string, path: string[]): void => {
        if (seen.has(file)) return;
        seen.add(file);
        for (const e of byFile.get(file) ?? importsOf(root, file)) {
          if (e.typeOnly) continue; // erased: nothing of it runs
          if (FRAMEWORKS.test(e.specifier)) { bad.push([...path, e.specifier].join(' → ')); continue; }
          if (e.target && existsSync(join(root, e.target))) walk(join(root, e.target), [...path, e.target]);
        }
      };
      walk(start, [start.slice(root.length)]);
    }
    expect(bad).toEqual([]);
  });
});
