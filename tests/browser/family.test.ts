// "Mi familia" and the contact's check-in page, two phones in a real Chromium against the real
// server: the device owner (context A, /verificar.html without a token) adds a trusted contact,
// sets the family code word and asks "¿Estás bien?"; the contact (context B) opens the link from
// the SMS outbox and answers. "Estoy bien" and "Necesito ayuda" reach A live; help raises a
// police alert where B is. B's location is asked for only when B taps "Necesito ayuda".
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PHONE, describeInBrowser, ensureWebBuilt, launchChromium } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/server.js';

interface OutboxMessage { id: number; to: string; body: string }
interface AlertRow { id: string; status: string; lat: number; lon: number; kind: string; note: string | null }

const CONTACT_PHONE = '+525511112222';
const WHERE_B_IS = { latitude: 19.3467, longitude: -99.1617 }; // Coyoacán centro

describeInBrowser('family check-ins: /verificar.html', () => {
  let server: TestServer;
  let browser: Browser;
  let owner: Page;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await ensureWebBuilt();
    // Development mode: the SMS is read from the development outbox (absent in production).
    [server, browser] = await Promise.all([startTestServer({ config: { mode: 'development' } }), launchChromium()]);
    owner = await newPage();
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await server?.close();
  });

  async function newPage(options: BrowserContextOptions = {}): Promise<Page> {
    const context = await browser.newContext({ ...PHONE, ...options });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('[page error]', err));
    return page;
  }

  /** The token of the newest check-in SMS: the link's fragment (the outbox names the configured public URL). */
  async function latestLink(): Promise<string> {
    const admin = await server.adminToken();
    const res = await fetch(`${server.url}/api/v1/dev/outbox`, { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(200);
    const [newest] = (await res.json()) as OutboxMessage[];
    expect(newest?.to).toBe(CONTACT_PHONE);
    const match = /\/verificar\.html#([A-Za-z0-9_-]+)/.exec(newest!.body);
    expect(match, newest!.body).not.toBeNull();
    return `${server.url}/verificar.html#${match![1]}`;
  }

  const status = () => owner.getByTestId('contact').first().getByTestId('checkin-status');

  it('lets the owner add a trusted contact and set the family code word', async () => {
    await owner.goto(server.url + '/verificar.html');
    await owner.getByTestId('family-panel').waitFor();
    expect(await owner.getByTestId('no-contacts').textContent()).toBe('Aún no tienes contactos de confianza.');

    await owner.getByTestId('contact-name-input').fill('Mamá');
    await owner.getByTestId('contact-phone-input').fill('123');
    await owner.getByTestId('add-contact-submit').click();
    await owner.getByTestId('add-contact-error').waitFor();

    await owner.getByTestId('contact-phone-input').fill('55 1111 2222');
    await owner.getByTestId('add-contact-submit').click();
    const contact = owner.getByTestId('contact');
    await contact.waitFor();
    expect(await contact.getByTestId('contact-name').textContent()).toBe('Mamá');
    expect(await contact.textContent()).toContain(CONTACT_PHONE);
    expect(await owner.getByTestId('contact-name-input').inputValue()).toBe('');

    await owner.getByTestId('code-word-check-input').fill('girasol');
    await owner.getByTestId('code-word-check').click();
    await expect.poll(() => owner.getByTestId('code-word-result').getAttribute('data-result')).toBe('not-set');
    await owner.getByTestId('code-word-input').fill('Girasol');
    await owner.getByTestId('code-word-save').click();
    await expect.poll(() => owner.getByTestId('code-word-result').getAttribute('data-result')).toBe('saved');
    expect(await owner.getByTestId('code-word-input').inputValue()).toBe('');
    await owner.getByTestId('code-word-check-input').fill('  girasol ');
    await owner.getByTestId('code-word-check').click();
    await expect.poll(() => owner.getByTestId('code-word-result').getAttribute('data-result')).toBe('match');
    await owner.getByTestId('code-word-check-input').fill('tulipán');
    await owner.getByTestId('code-word-check').click();
    await expect.poll(() => owner.getByTestId('code-word-result').getAttribute('data-result')).toBe('no-match');
    await owner.screenshot({ path: '/tmp/familia-panel.png', fullPage: true });
  });

  it('"Estoy bien" on the contact’s phone shows live on the owner’s', async () => {
    await owner.getByTestId('ask').click();
    await expect.poll(() => status().getAttribute('data-status')).toBe('pending');
    expect(await status().textContent()).toContain('Esperando la respuesta de Mamá…');
    await expect.poll(() => owner.getByTestId('checkin-live').textContent()).toBe('Recibiendo la respuesta en vivo');

    const contact = await newPage();
    const urls: string[] = [];
    contact.on('request', (r) => urls.push(r.url()));
    const link = await latestLink();
    const token = new URL(link).hash.slice(1);
    await contact.goto(link);
    await expect.poll(() => contact.getByTestId('verify').getAttribute('data-phase')).toBe('open');
    expect(await contact.locator('h1').textContent()).toBe('Alguien cercano quiere saber si estás a salvo');
    await contact.screenshot({ path: '/tmp/verificar-open.png' });
    await contact.getByTestId('answer-fine').click();
    await expect.poll(() => contact.getByTestId('verify-result').getAttribute('data-result')).toBe('fine');
    expect(await contact.getByTestId('verify-result').textContent()).toBe('Gracias. Ya le avisamos que estás bien.');

    // Live over the socket: well within the 10 s poll that stands in when the socket is down.
    await expect.poll(() => status().getAttribute('data-status'), { timeout: 3000 }).toBe('fine');
    expect(await status().textContent()).toContain('Mamá está bien');
    await owner.screenshot({ path: '/tmp/familia-fine.png', fullPage: true });

    // Opened again, the link says it was used (and still offers help).
    await contact.reload();
    await expect.poll(() => contact.getByTestId('verify-result').getAttribute('data-result')).toBe('used-fine');
    expect(await contact.getByTestId('answer-fine').count()).toBe(0);
    expect(await contact.getByTestId('answer-help').isVisible()).toBe(true);
    // The token went to the server only in POST bodies: no request's URL (logs, Referer) holds it.
    expect(urls.filter((u) => u.includes('/api/'))).not.toHaveLength(0);
    expect(urls.filter((u) => new URL(u).pathname.includes(token) || new URL(u).search.includes(token))).toEqual([]);
  });

  it('"Necesito ayuda" sends the contact’s location, raises a police alert there, and shows on the owner’s phone', async () => {
    await owner.getByTestId('ask').click();
    await expect.poll(() => status().getAttribute('data-status')).toBe('pending');

    const contact = await newPage({ geolocation: WHERE_B_IS, permissions: ['geolocation'] });
    await contact.goto(await latestLink());
    await expect.poll(() => contact.getByTestId('verify').getAttribute('data-phase')).toBe('open');
    await contact.getByTestId('answer-help').click();
    await expect.poll(() => contact.getByTestId('verify-result').getAttribute('data-result')).toBe('help');
    expect(await contact.getByTestId('call-911').getAttribute('href')).toBe('tel:911');
    await contact.screenshot({ path: '/tmp/verificar-help.png' });

    await expect.poll(() => status().getAttribute('data-status'), { timeout: 3000 }).toBe('need_help');
    expect(await status().textContent()).toContain('Mamá necesita ayuda');
    expect(await status().textContent()).toContain('Se avisó a la policía con su ubicación');
    expect(await status().getByTestId('checkin-call-911').getAttribute('href')).toBe('tel:911');
    await owner.screenshot({ path: '/tmp/familia-help.png', fullPage: true });

    const admin = await server.adminToken();
    const alerts = (await (await fetch(`${server.url}/api/v1/alerts`, { headers: { authorization: `Bearer ${admin}` } })).json()) as AlertRow[];
    const near = alerts.filter((a) => Math.abs(a.lat - WHERE_B_IS.latitude) < 0.001 && Math.abs(a.lon - WHERE_B_IS.longitude) < 0.001);
    expect(near).toHaveLength(1);
    expect(['new', 'paging', 'escalated']).toContain(near[0]!.status);
  });

  it('without location permission, help is still sent and the contact is told to call 911', async () => {
    await owner.getByTestId('ask').click();
    await expect.poll(() => status().getAttribute('data-status')).toBe('pending');
    const contact = await newPage(); // no permission granted: headless Chromium denies the prompt
    await contact.goto(await latestLink());
    await contact.getByTestId('answer-help').click();
    await expect.poll(() => contact.getByTestId('verify-result').getAttribute('data-result'), { timeout: 15_000 }).toBe('help-no-location');
    expect(await contact.getByTestId('verify-result').textContent()).toContain('Llama al 911 ahora');
    expect(await contact.getByTestId('call-911').getAttribute('href')).toBe('tel:911');
    await expect.poll(() => status().getAttribute('data-status'), { timeout: 3000 }).toBe('need_help');
    expect(await status().textContent()).toContain('No compartió su ubicación');
  });

  it('shows an unknown or expired link as such, with a way to call 911', async () => {
    const stranger = await newPage();
    await stranger.goto(`${server.url}/verificar.html#${'x'.repeat(24)}`);
    await expect.poll(() => stranger.getByTestId('verify').getAttribute('data-phase')).toBe('expired');
    expect(await stranger.getByTestId('verify-expired').textContent()).toBe('Este enlace caducó o ya no es válido.');
    expect(await stranger.getByTestId('call-911').getAttribute('href')).toBe('tel:911');
    await stranger.screenshot({ path: '/tmp/verificar-expired.png' });
  });

  it('keeps the contacts on the device across a reload, and removes one', async () => {
    await owner.reload();
    const contact = owner.getByTestId('contact');
    await contact.waitFor();
    // The latest check-in's answer is read back after the reload.
    await expect.poll(() => contact.getByTestId('checkin-status').getAttribute('data-status')).toBe('need_help');
    await owner.getByTestId('lang-toggle').click();
    expect(await contact.getByTestId('ask').textContent()).toBe('Are you OK?');
    await owner.getByTestId('lang-toggle').click();
    await contact.getByTestId('contact-remove').click();
    await owner.getByTestId('no-contacts').waitFor();
  });
});
