// Extortion defence in a real Chromium: the call coach (/llamada) reports a number written the
// messy way people copy it; the citizen page (/) checks a number privately — only 5 characters of
// its SHA-256 leave the phone — and sees its level; independent reporters raise the level (and
// one network alone cannot); a "¿Estás bien?" check-in is answered live.
import { createHash } from 'node:crypto';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PHONE, describeInBrowser, ensureWebBuilt, launchChromium } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/server.js';

interface Reputation { number: string; level: string; reports: number; independentReporters: number }
interface OutboxMessage { to: string; body: string }

const STEP_TIMEOUT = 10_000;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describeInBrowser('extortion: report, private check, check-ins', () => {
  let server: TestServer; // every request comes from 127.0.0.1: one network
  let proxied: TestServer; // behind a trusted proxy: X-Forwarded-For tells the networks apart
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await ensureWebBuilt();
    // Development mode: the check-in SMS is read from the development outbox.
    [server, proxied, browser] = await Promise.all([
      startTestServer({ config: { mode: 'development' } }), startTestServer({ config: { mode: 'development', trustProxy: ['127.0.0.1', '::1'] } }), launchChromium(),
    ]);
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await Promise.all([server?.close(), proxied?.close()]);
  });

  /** A fresh phone: its own storage (and no device credential until it needs one). */
  async function phone(options: BrowserContextOptions = {}): Promise<Page> {
    const context = await browser.newContext({ ...PHONE, ...options });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('[page error]', err));
    return page;
  }

  /** Fills step 6 of /llamada and sends it; returns the level the page shows. */
  async function reportFromCoach(page: Page, base: string, number: string, type = 'virtual_kidnapping'): Promise<string | null> {
    await page.goto(base + '/llamada');
    await page.getByTestId('report-number').fill(number);
    await page.getByTestId('report-type').selectOption(type);
    await page.getByTestId('report-submit').click();
    await page.getByTestId('report-result').waitFor({ timeout: STEP_TIMEOUT });
    return page.getByTestId('report-level').getAttribute('data-level');
  }

  /** Types a number into "¿Quién me llama?" on / and returns the level shown. */
  async function checkFromCitizenPage(page: Page, base: string, number: string): Promise<string | null> {
    if (!page.url().startsWith(base)) await page.goto(base + '/');
    await page.getByTestId('check-number').fill(number);
    await page.getByTestId('check-submit').click();
    await expect.poll(() => page.getByTestId('check-result').getAttribute('data-phase'), { timeout: STEP_TIMEOUT }).toBe('done');
    return page.getByTestId('check-level').getAttribute('data-level');
  }

  it('reports a number from the call coach, then the citizen page finds it through the 5-character range query', async () => {
    const coach = await phone();
    await coach.goto(server.url + '/llamada');
    // The first screen says what to do first, and 911 is one tap away.
    expect(await coach.getByTestId('step-1').textContent()).toContain('Cuelga');
    expect(await coach.getByTestId('coach-911').getAttribute('href')).toBe('tel:911');
    expect(await coach.getByTestId('line-089').first().getAttribute('href')).toBe('tel:089');
    expect(await coach.getByTestId('line-consejo').first().getAttribute('href')).toBe('tel:+525555335533');
    expect(await coach.getByTestId('code-word-link').getAttribute('href')).toBe('/#familia');
    await coach.screenshot({ path: '/tmp/llamada-top.png' });

    // Jotted during the call, the way it was copied from the call log…
    await coach.getByTestId('call-notes').locator('summary').click();
    await coach.getByTestId('note-number').fill('044 55 1234 5678');
    expect(await coach.getByTestId('note-number-hint').textContent()).toBe('Se reportará: +52 55 1234 5678');
    await coach.getByTestId('note-type').selectOption('virtual_kidnapping');
    await coach.getByTestId('note-claimed').fill('Tenemos a tu hijo, deposita ya');
    await coach.getByTestId('note-amount').fill('50,000');
    // …pre-fills the report.
    expect(await coach.getByTestId('report-number').inputValue()).toBe('044 55 1234 5678');
    expect(await coach.getByTestId('report-type').inputValue()).toBe('virtual_kidnapping');
    expect(await coach.getByTestId('report-claimed').inputValue()).toBe('Tenemos a tu hijo, deposita ya');
    expect(await coach.getByTestId('report-amount').inputValue()).toBe('50,000');

    const sent = coach.waitForRequest((r) => r.url().endsWith('/api/v1/extortion/reports') && r.method() === 'POST');
    await coach.getByTestId('report-submit').click();
    const request = await sent;
    expect(request.postDataJSON()).toMatchObject({ number: '+525512345678', channel: 'call', type: 'virtual_kidnapping', claimed: 'Tenemos a tu hijo, deposita ya', amountMxn: 50000 });
    // No self-chosen reporter id: the server tells reporters apart by its own credential only.
    expect((await request.allHeaders())['x-device-id']).toBeUndefined();
    const result = coach.getByTestId('report-result');
    await result.waitFor({ timeout: STEP_TIMEOUT });
    expect(await result.getAttribute('data-number')).toBe('+525512345678');
    expect(await coach.getByTestId('report-level').getAttribute('data-level')).toBe('suspicious');
    expect(await coach.getByTestId('report-level-name').textContent()).toBe('Sospechoso');
    expect(await coach.getByTestId('report-level-explanation').textContent()).toContain('Sospechoso');
    expect(await coach.getByTestId('report-tally').textContent()).toBe('1 reporte de 1 persona.');
    await coach.getByTestId('step-6').scrollIntoViewIfNeeded();
    await coach.screenshot({ path: '/tmp/llamada-reported.png' });

    // The citizen page: the same number written another way.
    const citizen = await phone();
    const seen: { url: string; body: string | null }[] = [];
    citizen.on('request', (r) => seen.push({ url: r.url(), body: r.postData() }));
    await citizen.goto(server.url + '/');
    expect(await checkFromCitizenPage(citizen, server.url, '+52 1 55 1234 5678')).toBe('suspicious');
    expect(await citizen.getByTestId('check-level-name').textContent()).toBe('Sospechoso');
    expect(await citizen.getByTestId('checked-number').textContent()).toBe('55 1234 5678');
    expect(await citizen.getByTestId('check-report').getAttribute('href')).toBe('/llamada?numero=%2B525512345678#reportar');
    await citizen.getByTestId('number-check').scrollIntoViewIfNeeded();
    await citizen.screenshot({ path: '/tmp/citizen-number-check.png' });

    // Only the prefix travelled; the number itself (in any form) never did.
    const prefix = sha256('+525512345678').slice(0, 5);
    const ranges = seen.filter((r) => r.url.includes('/api/v1/numbers/'));
    expect(ranges.map((r) => new URL(r.url).pathname)).toEqual([`/api/v1/numbers/range/${prefix}`]);
    for (const r of seen) {
      const text = decodeURIComponent(r.url) + (r.body ?? '');
      expect(text).not.toMatch(/5512345678|1234\D?5678/);
      expect(text).not.toContain(sha256('+525512345678'));
    }

    // A number nobody reported, and a short code that never leaves the phone either.
    expect(await checkFromCitizenPage(citizen, server.url, '55 8765 4321')).toBe('none');
    expect(await citizen.getByTestId('check-level-name').textContent()).toBe('Sin reportes');
    const before = seen.length;
    await citizen.getByTestId('check-number').fill('089');
    await citizen.getByTestId('check-submit').click();
    expect(await citizen.getByTestId('check-short').textContent()).toContain('089 es un número corto de denuncia');
    expect(seen.slice(before).filter((r) => r.url.includes('/api/v1/numbers/'))).toHaveLength(0);

    // "Si te llamaron, repórtalo" opens the coach with the number filled in.
    await checkFromCitizenPage(citizen, server.url, '55 1234 5678');
    await citizen.getByTestId('check-report').click();
    await citizen.waitForURL(/\/llamada\?numero=/);
    expect(await citizen.getByTestId('report-number').inputValue()).toBe('+525512345678');
  }, 90_000);

  it('three phones on one network count as one reporter; on three networks the number becomes probable', async () => {
    // One network (all from 127.0.0.1): the model caps a network at one independent reporter.
    const sameNetwork = '55 2468 1357';
    const levels: (string | null)[] = [];
    for (let i = 0; i < 3; i++) levels.push(await reportFromCoach(await phone(), server.url, sameNetwork));
    const capped = await reputation(server, sameNetwork);
    expect(capped).toMatchObject({ reports: 3, independentReporters: 1, level: 'suspicious' });
    expect(levels).toEqual(['suspicious', 'suspicious', 'suspicious']);
    expect(await checkFromCitizenPage(await phone(), server.url, sameNetwork)).toBe(capped.level);

    // Behind a proxy the server trusts, three phones on three networks are three reporters.
    const spread = '55 1357 2468';
    const shown: (string | null)[] = [];
    for (const ip of ['201.141.10.7', '189.203.44.12', '187.190.5.33']) {
      shown.push(await reportFromCoach(await phone({ extraHTTPHeaders: { 'x-forwarded-for': ip } }), proxied.url, spread));
    }
    const rep = await reputation(proxied, spread);
    expect(rep).toMatchObject({ reports: 3, independentReporters: 3, level: 'probable' });
    expect(shown[2]).toBe('probable');
    const citizen = await phone({ extraHTTPHeaders: { 'x-forwarded-for': '200.52.1.1' } });
    expect(await checkFromCitizenPage(citizen, proxied.url, '5513572468')).toBe('probable');
    expect(await citizen.getByTestId('check-level-name').textContent()).toBe('Probable extorsión');
    await citizen.getByTestId('number-check').scrollIntoViewIfNeeded();
    await citizen.screenshot({ path: '/tmp/citizen-number-probable.png' });
  }, 90_000);

  it('normalises every way a Mexican number is written, in the browser exactly as the server does', async () => {
    const coach = await phone();
    await coach.goto(server.url + '/llamada');
    const forms: [string, string][] = [
      ['55 1234 5678', '+525512345678'], ['044 55 1234 5678', '+525512345678'], ['045 55 1234 5678', '+525512345678'],
      ['01 55 1234 5678', '+525512345678'], ['+52 1 55 1234 5678', '+525512345678'], ['521 55 1234 5678', '+525512345678'],
      ['0052 55 1234 5678', '+525512345678'], ['52 55 1234 5678', '+525512345678'], ['(55) 1234-5678', '+525512345678'],
      ['55.1234.5678', '+525512345678'], ['Tel: 55 1234 5678', '+525512345678'], ['５５ １２３４ ５６７８', '+525512345678'],
      ['＋５２ ３３ １２３４ ５６７８', '+523312345678'], ['222 123 4567', '+522221234567'], ['+1 (415) 555-2671', '+14155552671'],
    ];
    for (const [typed, e164] of forms) {
      await coach.getByTestId('report-number').fill(typed);
      expect(await coach.getByTestId('report-number-hint').textContent(), typed).toBe(`Se reportará: ${spaced(e164)}`);
      const res = await fetch(`${server.url}/api/v1/numbers/${encodeURIComponent(typed)}`);
      expect(((await res.json()) as Reputation).number, `server reads "${typed}"`).toBe(e164);
    }
    for (const code of ['911', '089', '088', '*5533']) {
      await coach.getByTestId('report-number').fill(code);
      expect(await coach.getByTestId('report-number-hint').textContent(), code).toContain('número corto');
    }
    await coach.getByTestId('report-number').fill('5533 5533');
    expect(await coach.getByTestId('report-number-hint').textContent()).toBe('Escribe el número completo de 10 dígitos.');
  }, 30_000);

  it('shows the server’s reason when a report is refused, in the page language', async () => {
    const coach = await phone();
    await coach.goto(server.url + '/llamada');
    await coach.getByTestId('report-number').fill('911');
    expect(await coach.getByTestId('report-number-hint').textContent()).toContain('número corto');
    await coach.getByTestId('report-type').selectOption('other');
    await coach.getByTestId('report-submit').click();
    await expect.poll(() => coach.getByTestId('report-error').textContent()).toContain('911 es un número corto');

    await coach.getByTestId('lang-toggle').click();
    expect(await coach.getByTestId('step-1').textContent()).toContain('Hang up');
    await coach.getByTestId('report-number').fill('55 1234');
    await coach.getByTestId('report-submit').click();
    await expect.poll(() => coach.getByTestId('report-error').textContent()).toMatch(/Invalid phone number/);
  }, 30_000);

  it('sends a "¿Estás bien?" check-in to a trusted contact and shows the answer live', async () => {
    const coach = await phone();
    const frames: string[] = [];
    coach.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))));
    await coach.goto(server.url + '/llamada');
    await coach.getByTestId('no-contacts').waitFor();
    await coach.getByTestId('contact-name').fill('Mamá');
    await coach.getByTestId('contact-phone').fill('55 1111 2222');
    await coach.getByTestId('contact-add').click();
    const contact = coach.getByTestId('contact');
    await contact.waitFor({ timeout: STEP_TIMEOUT });
    expect(await contact.getByTestId('contact-call').getAttribute('href')).toBe('tel:+525511112222');

    await contact.getByTestId('checkin-ask').click();
    const status = contact.getByTestId('checkin-status');
    await expect.poll(() => status.getAttribute('data-status'), { timeout: STEP_TIMEOUT }).toBe('pending');
    expect(await status.textContent()).toBe('Le preguntamos a Mamá. Esperando respuesta…');

    // Mamá opens the link from her SMS and answers.
    const token = await checkinToken(server, '+525511112222');
    const res = await fetch(`${server.url}/api/v1/checkin-links/answer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, answer: 'fine' }) });
    expect(res.status).toBe(200);
    await expect.poll(() => status.getAttribute('data-status'), { timeout: STEP_TIMEOUT }).toBe('fine');
    // It came over the realtime socket, not a poll.
    expect(frames.some((f) => f.includes('"type":"checkin"') && f.includes('"status":"fine"'))).toBe(true);
    expect(await status.textContent()).toMatch(/^Mamá respondió: está bien\. \(\d{1,2}:\d{2}/);
    await coach.getByTestId('step-3').scrollIntoViewIfNeeded();
    await coach.screenshot({ path: '/tmp/llamada-checkin.png' });

    // The contact is remembered for the next call (on this device's anonymous credential).
    await coach.reload();
    await coach.getByTestId('contact').waitFor({ timeout: STEP_TIMEOUT });
    expect(await coach.getByTestId('no-contacts').count()).toBe(0);
  }, 60_000);
});

/** "+525512345678" → "+52 55 1234 5678", "+522221234567" → "+52 222 123 4567"; others as they are. */
function spaced(e164: string): string {
  const m = /^\+52(\d{10})$/.exec(e164);
  if (!m) return e164;
  const d = m[1]!;
  return /^(55|56|33|81)/.test(d) ? `+52 ${d.slice(0, 2)} ${d.slice(2, 6)} ${d.slice(6)}` : `+52 ${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}`;
}

async function reputation(server: TestServer, number: string): Promise<Reputation> {
  const res = await fetch(`${server.url}/api/v1/numbers/${encodeURIComponent(number)}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Reputation;
}

/** The check-in link goes by SMS; without a provider the development outbox is the delivery. */
async function checkinToken(server: TestServer, to: string): Promise<string> {
  const res = await fetch(`${server.url}/api/v1/dev/outbox`, { headers: { authorization: `Bearer ${await server.adminToken()}` } });
  expect(res.status).toBe(200);
  const message = ((await res.json()) as OutboxMessage[]).find((m) => m.to === to);
  const token = /#([A-Za-z0-9_-]{10,})/.exec(message?.body ?? '')?.[1];
  if (!token) throw new Error(`no check-in link sent to ${to}`);
  return token;
}
