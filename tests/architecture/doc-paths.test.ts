// Every file a document cites exists, inside the repository: docs/*.md and README.md name files
// (`src/dispatch/domain/lifecycle.ts`, `dispatch/webhook.ts`, `http1.ts`) that a reader opens next,
// and a moved or deleted file must take its mentions with it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const docs = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const EXT = '(?:ts|mts|mjs|js|json|md|csv|html|css|yml|yaml|sql|geojson|sh)(?:\\.gz)?';
/** A path-looking token: letters, digits, dots, dashes, slashes, ending in a file extension (a glob such as `*.test.ts` is none). */
const CITED = new RegExp(String.raw`(?<![\w./@:*-])((?:\.{1,2}/|/)?[\w@.-]+(?:/[\w@.-]+)*\.${EXT})(?![\w/-]|\.\w)`, 'g');
/** Where a path may be written from: the root, or the folders the docs abbreviate. */
const BASES = ['', 'src/', 'web/', 'web/src/', 'tests/', 'docs/'];

function allFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === '.git' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) allFiles(p, out); else out.push(p.slice(root.length).replace(/\\/g, '/'));
  }
  return out;
}
const files = allFiles(root);
const names = new Set(files.map((f) => f.split('/').pop()!));

/**
 * URLs are not citations, nor a server path of one segment (`/openapi.json`, `/verificar.html`: what
 * the server answers), nor a product named like a file (`Node.js`).
 */
function cited(text: string): string[] {
  const withoutUrls = text.replace(/\bhttps?:\/\/\S+/g, ' ');
  return [...withoutUrls.matchAll(CITED)].map((m) => m[1]!)
    .filter((p) => !/^\/[^/]+$/.test(p) && !/^[A-Z][a-z]+\.js$/.test(p));
}

function problem(path: string): string | null {
  if (path.startsWith('/') || path.startsWith('../')) return 'outside the repository';
  const p = path.replace(/^\.\//, '');
  if (!p.includes('/')) return names.has(p) ? null : 'no such file anywhere in the repository';
  return BASES.some((b) => existsSync(join(root, b + p))) ? null : 'no such file';
}

describe('documentation', () => {
  it('cites only files that exist inside the repository', () => {
    const bad: string[] = [];
    let checked = 0;
    for (const doc of docs) {
      for (const path of cited(readFileSync(join(root, doc), 'utf8'))) {
        checked++;
        const why = problem(path);
        if (why) bad.push(`${doc}: ${path} — ${why}`);
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(bad).toEqual([]);
  });

  it('the check sees paths in and out of backticks and refuses absolute, outside and missing ones', () => {
    expect(cited('see `src/a/b.ts` and docs/X.md, https://example.org/y.js, and http1.ts.')).toEqual(['src/a/b.ts', 'docs/X.md', 'http1.ts']);
    expect(problem('/work/shared/standards/x.md')).toBe('outside the repository');
    expect(problem('../shared/STYLE.md')).toBe('outside the repository');
    expect(problem('src/extortion/checkins.ts')).toBe('no such file');
    expect(problem('dispatch/domain/lifecycle.ts')).toBeNull();
    expect(problem('package.json')).toBeNull();
    expect(cited('GET /openapi.json on Node.js; data/cdmx/crimes-by-quadrant-2013-2015.csv.gz')).toEqual(['data/cdmx/crimes-by-quadrant-2013-2015.csv.gz']);
  });
});
