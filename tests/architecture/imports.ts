// Reads the import graph of src/. A small scanner rather than dependency-cruiser: the TypeScript
// we build with (7, the native compiler) has no JavaScript parser API for such tools to use, and
// our imports are plain ESM statements — this reads them, type-only ones told apart, in ~50 lines
// the test itself exercises.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export interface ImportEdge {
  /** Path of the importing file, relative to the repository root, with '/' separators. */
  from: string;
  /** What was written: './x.js', '../kernel/index.js', 'fastify'… */
  specifier: string;
  /** For relative specifiers: the imported file relative to the repository root (.js → .ts). */
  target: string | null;
  /** `import type`/`export type`: erased at compile time. */
  typeOnly: boolean;
}

export function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listTs(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

const posix = (p: string) => p.split(sep).join('/');

/** Comments out, strings kept (an import's specifier is a string): block comments, then whole-line ones. */
const stripComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

const STATIC = /(?:^|[;}\n])\s*(import|export)\s+(type\s+)?([^;'"`]*?)\s*from\s*['"]([^'"]+)['"]/g;
const BARE = /(?:^|[;\n])\s*import\s*['"]([^'"]+)['"]/g;
const DYNAMIC = /(typeof\s+)?\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** `{ type A, type B }` (every name type-only) or `type { … }`: erased at compile time. */
function typeOnly(keyword: string | undefined, clause: string): boolean {
  if (keyword) return true;
  const named = /^\{([\s\S]*)\}$/.exec(clause.trim());
  if (!named) return false;
  const names = named[1]!.split(',').map((n) => n.trim()).filter(Boolean);
  return names.length > 0 && names.every((n) => n.startsWith('type '));
}

/** Every import, re-export and dynamic import() of one file's source text. */
export function importsOf(root: string, file: string, text = readFileSync(file, 'utf8')): ImportEdge[] {
  const code = stripComments(text);
  const found: { at: number; specifier: string; typeOnly: boolean }[] = [];
  for (const m of code.matchAll(STATIC)) {
    if (m[1] === 'export' && !/^(\*|\{|type\s|\*\s+as\s)/.test((m[2] ?? '') + m[3]!)) continue; // `export const x = …` is no import
    found.push({ at: m.index, specifier: m[4]!, typeOnly: typeOnly(m[2], m[3]!) });
  }
  for (const m of code.matchAll(BARE)) found.push({ at: m.index, specifier: m[1]!, typeOnly: false });
  for (const m of code.matchAll(DYNAMIC)) found.push({ at: m.index, specifier: m[2]!, typeOnly: !!m[1] });
  return found.sort((a, b) => a.at - b.at).map(({ specifier, typeOnly: t }) => ({
    from: posix(relative(root, file)), specifier, typeOnly: t,
    target: specifier.startsWith('.') ? posix(relative(root, resolve(dirname(file), specifier))).replace(/\.js$/, '.ts') : null,
  }));
}

/** The folder under src/ a file belongs to ('(root)' for src/*.ts itself), or null outside src/. */
export function contextOf(path: string): string | null {
  const parts = path.split('/');
  if (parts[0] !== 'src') return null;
  return parts.length === 2 ? '(root)' : parts[1]!;
}

/**
 * The boundary rule (docs/ARCHITECTURE.md, "Boundaries"): a file outside a context reaches it only
 * through src/<context>/index.ts. Exceptions, each a reason:
 * - src/contracts/ and src/rules/ are shared modules the pages import too, one file per context or
 *   rule so a page's bundle carries only what it uses; for the same reason src/rules/ takes the two
 *   browser-safe kernel files (types.ts, errors.ts) directly — the kernel's index carries Node-only
 *   parts (node:net);
 * - src/http/ is the HTTP edge, not a context: a context's HTTP adapter (routes.ts, presenters.ts)
 *   uses its kit (error bodies, bearer auth, route contract, answer bytes), the process wiring (src/*.ts) builds the app from it, and
 *   src/http/app.ts registers each context's routes.ts — wiring, not a use of the context.
 */
export function boundaryViolation(edge: ImportEdge): string | null {
  if (!edge.target) return null;
  const from = contextOf(edge.from);
  const to = contextOf(edge.target);
  if (!from || !to || to === '(root)' || from === to) return null;
  const inside = edge.target.split('/').slice(2).join('/');
  if (inside === 'index.ts') return null;
  if (to === 'contracts' || to === 'rules') return null;
  if (from === 'rules' && to === 'kernel' && (inside === 'types.ts' || inside === 'errors.ts')) return null;
  if (to === 'http' && (from === '(root)' || /(^|\/)(routes|presenters)(\.ts|\/)/.test(edge.from.split('/').slice(2).join('/')))) return null;
  if (edge.from === 'src/http/app.ts' && inside === 'routes.ts') return null;
  return `${edge.from} imports ${edge.specifier}: use src/${to}/index.ts`;
}

/** Frameworks, drivers and the HTTP server: never in a domain/ folder. */
export const FRAMEWORKS = /^(fastify|@fastify\/.*|kysely|better-sqlite3|pg|pg-.*|ws|maplibre-gl|node:http|node:https|http|https|node:http2|http2)$/;
