// Accounts in a real Chromium against the real server: the first admin's printed password must be
// changed before the console opens; the admin's accounts panel creates, disables, resets and
// re-roles staff accounts and ends their sessions — and a dispatcher cut off there is sent back
// to sign-in at once, on their own screen.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { PHONE, describeInBrowser, ensureWebBuilt, launchChromium, submitStaffLogin } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/server.js';

const DESKTOP = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 };
const ADMIN_NEW_PASSWORD = 'la contraseña de la jefa de turno';
const DISPATCHER = 'despacho.noche';
/** Each change waits on a password hash (scrypt, ~0.3 s, more on a busy machine). */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 8000 });

describeInBrowser('accounts: first sign-in and the admin panel', () => {
  let server: TestServer;
  let browser: Browser;
  let adminContext: BrowserContext;
  let admin: Page;
  let printed: string;
  let dispatcherPassword: string;

  const login = async (username: string, password: string) => {
    const res = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
    });
    return { status: res.status, body: (await res.json()) as { token?: string; mustChangePassword?: boolean } };
  };
  const row = (username: string) => admin.locator(`[data-testid="user-row"][data-username="${username}"]`);

  beforeAll(async () => {
    await ensureWebBuilt();
    // No configured admin password: the server prints one, as on a city's first start.
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => { lines.push(args.map(String).join(' ')); });
    try {
      [server, browser] = await Promise.all([startTestServer({ config: { adminPassword: null } }), launchChromium()]);
    } finally {
      log.mockRestore();
    }
    printed = /contraseña \/ password: +(\S+)/.exec(lines.join('\n'))?.[1] ?? '';
    expect(printed).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    adminContext = await browser.newContext(DESKTOP);
    admin = await adminContext.newPage();
    admin.on('pageerror', (err) => console.error('[page error]', err));
  }, 120_000);

  afterAll(async () => {
    await adminContext?.close();
    await browser?.close();
    await server?.close();
  });

  it('makes the first admin replace the printed password before the console opens', async () => {
    await admin.goto(server.url + '/centro');
    await submitStaffLogin(admin, server.config.adminUsername, printed);
    const form = admin.getByTestId('password-change-form');
    await form.waitFor();
    expect(await form.locator('h1').textContent()).toBe('Cambia tu contraseña');
    expect(await admin.getByTestId('sign-out').count()).toBe(0); // not in the console yet

    await admin.getByTestId('password-new').fill(ADMIN_NEW_PASSWORD);
    await admin.getByTestId('password-repeat').fill(ADMIN_NEW_PASSWORD + ' ');
    await admin.getByTestId('password-submit').click();
    expect(await admin.getByTestId('password-error').textContent()).toBe('Las dos contraseñas nuevas no coinciden.');
    await admin.getByTestId('password-new').fill(printed);
    await admin.getByTestId('password-repeat').fill(printed);
    await admin.getByTestId('password-submit').click();
    await poll(() => admin.getByTestId('password-error').textContent()).toBe('La nueva contraseña debe ser distinta de la actual.');

    await admin.getByTestId('password-new').fill(ADMIN_NEW_PASSWORD);
    await admin.getByTestId('password-repeat').fill(ADMIN_NEW_PASSWORD);
    await admin.getByTestId('password-submit').click();
    await admin.getByTestId('sign-out').waitFor();
    await poll(() => admin.getByTestId('connection').getAttribute('data-state')).toBe('connected');

    expect((await login(server.config.adminUsername, printed)).status).toBe(401);
    expect((await login(server.config.adminUsername, ADMIN_NEW_PASSWORD)).body.mustChangePassword).toBe(false);
  });

  it('creates a dispatcher account in the panel, who must set their own password at first sign-in', async () => {
    await admin.getByTestId('accounts-open').click();
    await admin.getByTestId('users-panel').waitFor();
    await admin.getByTestId('user-create-open').click();
    await admin.getByTestId('user-username').fill(DISPATCHER);
    await admin.getByTestId('user-display-name').fill('Turno de noche');
    await admin.getByTestId('user-role').selectOption('dispatcher');
    await admin.getByTestId('user-generate').click();
    dispatcherPassword = await admin.getByTestId('user-password').inputValue();
    expect(dispatcherPassword.length).toBeGreaterThanOrEqual(12);
    expect(await admin.getByTestId('user-must-change').isChecked()).toBe(true);
    await admin.getByTestId('user-create-submit').click();
    await row(DISPATCHER).waitFor();
    expect(await row(DISPATCHER).getAttribute('data-must-change')).toBe('true');
    expect(await admin.getByTestId('users-notice').textContent()).toBe(`Cuenta ${DISPATCHER} creada.`);

    const ctx = await browser.newContext(DESKTOP);
    try {
      const page = await ctx.newPage();
      await page.goto(server.url + '/centro');
      await submitStaffLogin(page, DISPATCHER, dispatcherPassword);
      await page.getByTestId('password-change-form').waitFor();
      await page.getByTestId('password-new').fill('mi contraseña de despacho');
      await page.getByTestId('password-repeat').fill('mi contraseña de despacho');
      await page.getByTestId('password-submit').click();
      await page.getByTestId('sign-out').waitFor();
      dispatcherPassword = 'mi contraseña de despacho';
    } finally {
      await ctx.close();
    }
  });

  it('disables a dispatcher who is signed in: their console goes back to sign-in at once; enabling lets them in again', async () => {
    const ctx = await browser.newContext(DESKTOP);
    try {
      const page = await ctx.newPage();
      await page.goto(server.url + '/centro');
      await submitStaffLogin(page, DISPATCHER, dispatcherPassword);
      await poll(() => page.getByTestId('connection').getAttribute('data-state')).toBe('connected');

      await admin.getByTestId('users-close').click();
      await admin.getByTestId('accounts-open').click(); // reopened: the list is read again
      await row(DISPATCHER).getByTestId('user-disable').click();
      await poll(() => row(DISPATCHER).getAttribute('data-disabled')).toBe('true');
      await page.getByTestId('login-notice').waitFor({ timeout: 2000 });
      expect(await page.getByTestId('login-notice').textContent()).toBe('Tu sesión terminó. Vuelve a iniciar sesión.');
      await submitStaffLogin(page, DISPATCHER, dispatcherPassword);
      await poll(() => page.getByTestId('login-error').textContent()).toBe('Usuario o contraseña incorrectos');

      await row(DISPATCHER).getByTestId('user-enable').click();
      await poll(() => row(DISPATCHER).getAttribute('data-disabled')).toBe('false');
      await submitStaffLogin(page, DISPATCHER, dispatcherPassword);
      await page.getByTestId('sign-out').waitFor();

      // "Sign out everywhere" for them, from the panel.
      await row(DISPATCHER).getByTestId('user-sign-out').click();
      await poll(() => admin.getByTestId('users-notice').textContent()).toBe(`${DISPATCHER}: 1 sesión cerrada.`);
      await page.getByTestId('login-notice').waitFor({ timeout: 2000 });
    } finally {
      await ctx.close();
    }
  });

  it('resets a password and changes a role; the new analyst changes the password at /analistas', async () => {
    await row(DISPATCHER).getByTestId('user-reset-open').click();
    const temporary = await admin.getByTestId('user-reset-password').inputValue();
    await admin.getByTestId('user-reset-save').click();
    await poll(() => row(DISPATCHER).getAttribute('data-must-change')).toBe('true');
    expect((await login(DISPATCHER, dispatcherPassword)).status).toBe(401);

    await row(DISPATCHER).getByTestId('user-role-select').selectOption('analyst');
    await row(DISPATCHER).getByTestId('user-role-save').click();
    await poll(() => row(DISPATCHER).getAttribute('data-role')).toBe('analyst');

    // The last admin cannot be disabled: the server's answer is shown on the row.
    await row(server.config.adminUsername).getByTestId('user-disable').click();
    await poll(() => row(server.config.adminUsername).getByTestId('user-error').textContent())
      .toBe('No se puede quitar ni desactivar al último administrador');

    const ctx = await browser.newContext(DESKTOP);
    try {
      const page = await ctx.newPage();
      await page.goto(server.url + '/analistas');
      await submitStaffLogin(page, DISPATCHER, temporary);
      await page.getByTestId('password-change-form').waitFor();
      await page.getByTestId('password-new').fill('ahora analizo extorsiones');
      await page.getByTestId('password-repeat').fill('ahora analizo extorsiones');
      await page.getByTestId('password-submit').click();
      await page.getByTestId('sign-out').waitFor();
    } finally {
      await ctx.close();
    }
  });

  it('asks an officer whose password an admin reset for a new one at /unidad before the desk opens', async () => {
    const token = (await login(server.config.adminUsername, ADMIN_NEW_PASSWORD)).body.token!;
    const call = async (method: string, path: string, body: unknown) => {
      const res = await fetch(server.url + path, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
      expect(res.ok, `${method} ${path} → ${res.status}`).toBe(true);
      return res.json() as Promise<{ id: string; username: string }>;
    };
    await call('POST', '/api/v1/units', { callsign: 'P-148-N', type: 'car', quadrantIds: ['P-1.4.8'], username: 'oficial.noche', password: 'contraseña-del-oficial' });
    const users = await (await fetch(server.url + '/api/v1/users', { headers: { authorization: `Bearer ${token}` } })).json() as { id: string; username: string }[];
    await call('PUT', `/api/v1/users/${users.find((u) => u.username === 'oficial.noche')!.id}/password`, { password: 'temporal-para-el-oficial' });

    const ctx = await browser.newContext({ ...PHONE });
    try {
      const page = await ctx.newPage();
      await page.goto(server.url + '/unidad');
      await page.getByTestId('unit-username').fill('oficial.noche');
      await page.getByTestId('unit-password').fill('temporal-para-el-oficial');
      await page.getByTestId('unit-sign-in-submit').click();
      await page.getByTestId('password-change-form').waitFor();
      expect(await page.getByTestId('duty').count()).toBe(0);
      await page.getByTestId('password-new').fill('la del oficial de noche');
      await page.getByTestId('password-repeat').fill('la del oficial de noche');
      await page.getByTestId('password-submit').click();
      await poll(() => page.getByTestId('unit-callsign').textContent()).toBe('P-148-N');
    } finally {
      await ctx.close();
    }
  });

  it('changes the admin\'s own password and signs them out everywhere from "my account"', async () => {
    await admin.getByTestId('own-password-open').click();
    await admin.getByTestId('password-current').fill(ADMIN_NEW_PASSWORD);
    await admin.getByTestId('password-new').fill('otra contraseña de la jefa');
    await admin.getByTestId('password-repeat').fill('otra contraseña de la jefa');
    await admin.getByTestId('password-submit').click();
    await poll(() => admin.getByTestId('password-changed').textContent()).toBe('Contraseña cambiada. Tus otras sesiones se cerraron.');
    expect((await login(server.config.adminUsername, ADMIN_NEW_PASSWORD)).status).toBe(401);

    const second = await login(server.config.adminUsername, 'otra contraseña de la jefa');
    await admin.getByTestId('sign-out-everywhere').click();
    await admin.getByTestId('login-form').waitFor();
    const me = await fetch(`${server.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${second.body.token}` } });
    expect(me.status).toBe(401);
  });
});
