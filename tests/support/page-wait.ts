// Waiting for something inside a page that runs under a strict Content-Security-Policy.
// Playwright's page.waitForFunction('…') turns its string into code with eval inside the page,
// which the pages' policy (no 'unsafe-eval') refuses with an EvalError; page.evaluate('…') goes
// through the debugger protocol, which the policy does not govern. So: poll with evaluate.
import type { Page } from 'playwright-core';

/** Resolves once `expression` (page JavaScript) is truthy; rejects after `timeoutMs`. */
export async function waitForExpression(page: Page, expression: string, timeoutMs = 20_000, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      if (await page.evaluate(expression)) return;
    } catch (err) {
      // A navigation in progress destroys the context: try again in the next one.
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${expression}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** The pages' map is drawn and ready (window.__cuadrante.mapReady, set on the first idle). */
export const waitForMapReady = (page: Page, timeoutMs = 20_000): Promise<void> =>
  waitForExpression(page, 'window.__cuadrante?.mapReady === true', timeoutMs);
