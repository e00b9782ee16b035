// Retention on a real database (SQLite and PostgreSQL) with an injected clock: records are made
// through the services, the clock is moved past each period (and to just before it), the job runs,
// and exactly the right rows are gone or reduced — never open work, however old. Also: bounded
// batches with more rows than one batch, and two jobs running at once on one database.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableEngines, type EngineCase } from '../../tests/support/engines.js';
import { openStorage, type Storage } from '../storage/index.js';
import { createServices, type Services } from '../services.js';
import { ManualClock } from '../kernel/index.js';
import type { Config, RetentionDays } from '../config/index.js';
import type { Actor } from '../dispatch/ports.js';
import { responseStats } from '../dispatch/domain/stats.js';
import { createRetentionJob, RETENTION_KINDS, type RetentionJob } from './index.js';

const engines = await availableEngines();

const DAY = 86_400_000;
const MIN = 60_000;
const PERIODS: RetentionDays = {
  alertLocations: 10, alertEvents: 20, alerts: 30, webhookOutbox: 8, extortionReports: 40,
  notifications: 5, checkins: 6, tokens: 7, audit: 50,
};
const POSITION_DAYS = 9;

// A 3×3 city of 0.01° squares: Q-r-c covers lat 19.4+r/100…, lon -99.2+c/100….
const square = (r: number, c: number) => {
  const x = -99.2 + c * 0.01, y = 19.4 + r * 0.01;
  return { type: 'Feature', properties: { clave: `Q-${r}-${c}`, sector: 'S' }, geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]] } };
};
const city = { type: 'FeatureCollection', features: [0, 1, 2].flatMap((r) => [0, 1, 2].map((c) => square(r, c))) };

const citizen = (id: string): Actor => ({ userId: id, role: 'citizen', unitId: null });
const dispatcher: Actor = { userId: 'dispatcher-1', role: 'dispatcher', unitId: null };

interface World {
  s: Services;
  clock: ManualClock;
  config: Config;
  storage: Storage;
  job(batchSize?: number): RetentionJob;
  unit(callsign: string, quadrant: string): Promise<Actor>;
}

const opened: (() => Promise<void>)[] = [];
afterEach(async () => { while (opened.length) await opened.pop()!(); });

async function world(engine: EngineCase, overrides: Partial<Config> = {}): Promise<World> {
  const fresh = await engine.fresh();
  const config: Config = {
    ...fresh.config, webhookUrl: 'http://127.0.0.1:9/911', webhookSecret: 'secret',
    retentionDays: PERIODS, positionRetentionDays: POSITION_DAYS, tokenTtlHours: 12, ...overrides,
  };
  const storage = await openStorage({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, schema: config.databaseSchema });
  opened.push(async () => { await storage.close(); await fresh.cleanup(); });
  const clock = new ManualClock(Date.UTC(2026, 2, 1, 12, 0, 0));
  let n = 0;
  const s = createServices(storage, config, clock, () => `${engine.name}-${++n}`);
  await s.quadrants.importSet(null, city, { id: 'clave', sector: 'sector' }, { name: 'grid', source: 'test', activate: true });
  await s.extortion.load();
  return {
    s, clock, config, storage,
    job: (batchSize) => createRetentionJob(s, config, batchSize ? { batchSize } : {}),
    async unit(callsign, quadrant) {
      const u = await s.units.create(null, { callsign, type: 'car', quadrantIds: [quadrant] });
      await s.units.setShift(u.id, 'available');
      return { userId: `officer-${callsign}`, role: 'unit', unitId: u.id };
    },
  };
}

const alertRow = (w: World, id: string) => w.storage.db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
const eventsOf = (w: World, id: string) => w.storage.db.selectFrom('alert_events').selectAll().where('alert_id', '=', id).orderBy('seq').execute();
const pagesOf = (w: World, id: string) => w.storage.db.selectFrom('alert_pages').selectAll().where('alert_id', '=', id).orderBy('unit_id').execute();
const outboxOf = (w: World, id: string) => w.storage.db.selectFrom('webhook_outbox').selectAll().where('alert_id', '=', id).orderBy('id').execute();
/** Hands the alert to 911 now, unless nobody could be paged and that already happened. */
async function escalate(w: World, id: string): Promise<void> {
  if ((await w.s.dispatchStore.findAlert(id))!.status !== 'escalated') await w.s.dispatch.act(dispatcher, id, 'escalate');
  expect(await outboxOf(w, id)).toHaveLength(1);
}
/** The 911 receiver took the alert's hand-off now (the sender's own bookkeeping). */
const delivered = (w: World, alertId: string) => w.storage.db.updateTable('webhook_outbox')
  .set({ delivered_at: w.clock.now().getTime(), attempts: 1 }).where('alert_id', '=', alertId).execute();
/** Everything stored about an alert, to compare before and after a run. */
const everything = async (w: World, id: string) => ({ alert: await alertRow(w, id), events: await eventsOf(w, id), pages: await pagesOf(w, id), outbox: await outboxOf(w, id) });
const count = async (w: World, table: 'positions' | 'audit_log' | 'auth_tokens' | 'notifications' | 'checkins' | 'extortion_reports' | 'alerts' | 'alert_events') =>
  Number((await w.storage.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

async function insertPositions(w: World, n: number, fixAt: number): Promise<void> {
  for (let i = 0; i < n; i += 500) {
    const rows = Array.from({ length: Math.min(500, n - i) }, (_, k) => ({
      unit_id: 'unit-x', source: 'osmand', tracker_id: null, fix_at: fixAt + i + k, received_at: fixAt + i + k, lat: 19.41, lon: -99.19,
      speed_mps: null, course: null, altitude_m: null, accuracy_m: null, battery_pct: null, quadrant_id: null, attributes: null,
    }));
    await w.storage.db.insertInto('positions').values(rows).execute();
  }
}

async function insertAudit(w: World, n: number, at: number): Promise<void> {
  for (let i = 0; i < n; i += 500) {
    await w.storage.db.insertInto('audit_log').values(Array.from({ length: Math.min(500, n - i) }, () => ({ at, actor_id: null, action: 'test.old', target: null, details: '{}' }))).execute();
  }
}

describe.each(engines)('retention on $name with an injected clock', (engine) => {
  it('reduces a closed alert to its quadrant after alertLocations days, deletes its events after alertEvents and the alert after alerts; an open one is never touched', async () => {
    const w = await world(engine, { retentionDays: { ...PERIODS, webhookOutbox: 25 } });
    const { s, clock } = w;
    const officer = await w.unit('CENTRO', 'Q-1-1');
    // A: in Q-1-1, escalated to 911 (delivered), then attended by the quadrant's unit.
    const exactA = { lat: 19.4112345, lon: -99.1887654 };
    const a = (await s.dispatch.raise(citizen('device-a'), { ...exactA, accuracy: 12, kind: 'robbery', note: 'casa azul', address: 'Calle 5 #12' }, 'key-a')).alert;
    await escalate(w, a.id);
    await delivered(w, a.id);
    clock.advance(20_000);
    await s.dispatch.act(officer, a.id, 'acknowledge');
    clock.advance(100_000);
    await s.dispatch.act(officer, a.id, 'on_scene');
    // B: as old as the others but still open (escalated; its hand-off not delivered).
    const b = (await s.dispatch.raise(citizen('device-b'), { lat: 19.4054321, lon: -99.1954321, kind: 'violence' }, null)).alert;
    await escalate(w, b.id);
    // C: outside every quadrant.
    const c = (await s.dispatch.raise(citizen('device-c'), { lat: 19.3512345, lon: -99.3087654, kind: 'followed', note: 'me siguen' }, null)).alert;
    clock.advance(60_000);
    const closedAt = clock.now().getTime();
    await s.dispatch.act(officer, a.id, 'resolve', { outcome: 'attended' });
    await s.dispatch.act(dispatcher, c.id, 'cancel');
    const statsBefore = responseStats(await s.dispatchStore.alertsBetween(0, closedAt + 1), 'quadrant', w.config.targetOnSceneMs);
    const before = { a: await everything(w, a.id), b: await everything(w, b.id), c: await everything(w, c.id) };
    expect(before.a.alert).toMatchObject({ owner_id: 'device-a', lat: exactA.lat, lon: exactA.lon, note: 'casa azul', location_reduced_at: null });
    expect(before.a.outbox).toHaveLength(1);
    expect(before.b.outbox[0]).toMatchObject({ delivered_at: null });
    const job = w.job();

    // Exactly at the period nothing changes; a millisecond later the exact location is gone.
    clock.set(new Date(closedAt + 10 * DAY));
    expect((await job.run()).counts.alertLocations).toBe(0);
    expect(await everything(w, a.id)).toEqual(before.a);
    clock.advance(1);
    const reduceRun = await job.run();
    expect(reduceRun.counts.alertLocations).toBe(2);
    expect(reduceRun.counts.alerts + reduceRun.counts.alertEvents).toBe(0);

    const point = await w.storage.db.selectFrom('quadrants').select(['interior_lat', 'interior_lon']).where('id', '=', 'Q-1-1').executeTakeFirstOrThrow();
    expect(point.interior_lat).toBeGreaterThan(19.41); expect(point.interior_lat).toBeLessThan(19.42);
    expect(point.interior_lon).toBeGreaterThan(-99.19); expect(point.interior_lon).toBeLessThan(-99.18);
    const reducedA = (await alertRow(w, a.id))!;
    expect(reducedA).toMatchObject({
      lat: point.interior_lat, lon: point.interior_lon, accuracy_m: null, note: null, address: null, owner_id: null,
      idempotency_key: null, request_hash: null, location_reduced_at: clock.now().getTime(),
      quadrant_id: 'Q-1-1', status: 'resolved', version: Number(before.a.alert!.version) + 1,
    });
    // The response-time facts stay: the same statistics as before.
    for (const k of ['created_at', 'acknowledged_at', 'on_scene_at', 'closed_at', 'sector', 'outcome'] as const) expect(reducedA[k]).toEqual(before.a.alert![k]);
    expect(responseStats(await s.dispatchStore.alertsBetween(0, closedAt + 1), 'quadrant', w.config.targetOnSceneMs)).toEqual(statsBefore);
    // Outside every quadrant: rounded to 0.01° (about a kilometre).
    expect(await alertRow(w, c.id)).toMatchObject({ lat: 19.35, lon: -99.31, note: null, owner_id: null, quadrant_id: null });
    // Nothing ties A to its device any more: not the owner, not the events, not the stored hand-off.
    const eventsA = await eventsOf(w, a.id);
    expect(eventsA.length).toBe(before.a.events.length);
    expect(eventsA.map((e) => e.actor_id)).not.toContain('device-a');
    expect(eventsA.filter((e) => e.actor_role === 'unit').map((e) => e.actor_id)).toEqual(before.a.events.filter((e) => e.actor_role === 'unit').map((e) => e.actor_id));
    expect(await s.dispatch.visible(citizen('device-a'), a.id).catch((e: { code: string }) => e.code)).toBe('ALERT_NOT_FOUND');
    expect(await s.dispatchStore.alertsOf('device-a', 10)).toEqual([]);
    const sentA = JSON.parse((await outboxOf(w, a.id))[0]!.payload) as Record<string, unknown>;
    expect(sentA).toMatchObject({ alertId: a.id, lat: point.interior_lat, lon: point.interior_lon, accuracyM: null, address: null });
    expect(JSON.stringify(await outboxOf(w, a.id))).not.toContain('19.4112345');
    // The open alert is exactly as it was.
    expect(await everything(w, b.id)).toEqual(before.b);

    // Reduced once: a second run finds nothing (and does not rescan).
    const again = await job.run();
    expect(again.counts.alertLocations).toBe(0);
    expect(again.batches.alertLocations).toBe(1);

    // Events go after alertEvents days; the alert and its timestamps stay.
    clock.set(new Date(closedAt + 20 * DAY));
    expect((await job.run()).counts.alertEvents).toBe(0);
    clock.advance(1);
    const eventsRun = await job.run();
    expect(eventsRun.counts.alertEvents).toBe(before.a.events.length + before.c.events.length);
    expect(await eventsOf(w, a.id)).toEqual([]);
    expect(await eventsOf(w, c.id)).toEqual([]);
    expect(await alertRow(w, a.id)).toMatchObject({ created_at: reducedA.created_at, on_scene_at: reducedA.on_scene_at, closed_at: reducedA.closed_at });
    expect(await everything(w, b.id)).toEqual(before.b);

    // The closed alerts go after alerts days, with their pages and hand-off rows.
    clock.set(new Date(closedAt + 30 * DAY));
    expect((await job.run()).counts.alerts).toBe(0);
    clock.advance(1);
    const leftOutbox = (await outboxOf(w, a.id)).length + (await outboxOf(w, c.id)).length;
    const deleteRun = await job.run();
    expect(deleteRun.counts.alerts).toBe(2);
    expect(deleteRun.counts.alertPages).toBe(before.a.pages.length + before.c.pages.length);
    expect(deleteRun.counts.webhookOutbox).toBe(leftOutbox);
    for (const id of [a.id, c.id]) expect(await everything(w, id)).toEqual({ alert: undefined, events: [], pages: [], outbox: [] });
    // Thirty days later the open alert is still exactly as it was, exact location and owner included.
    expect(await everything(w, b.id)).toEqual(before.b);
    expect((await s.dispatch.visible(citizen('device-b'), b.id)).id).toBe(b.id);
  });

  it('deletes delivered 911 hand-offs after webhookOutbox days and never one still undelivered', async () => {
    const w = await world(engine);
    const { s, clock } = w;
    const x = (await s.dispatch.raise(citizen('device-x'), { lat: 19.415, lon: -99.185 }, null)).alert;
    const y = (await s.dispatch.raise(citizen('device-y'), { lat: 19.425, lon: -99.175 }, null)).alert;
    await escalate(w, x.id);
    await escalate(w, y.id);
    const t0 = clock.now().getTime();
    await delivered(w, x.id);
    const job = w.job();
    clock.set(new Date(t0 + 8 * DAY));
    expect((await job.run()).counts.webhookOutbox).toBe(0);
    clock.advance(1);
    expect((await job.run()).counts.webhookOutbox).toBe(1);
    expect(await outboxOf(w, x.id)).toEqual([]);
    expect(await outboxOf(w, y.id)).toHaveLength(1);
    clock.advance(365 * DAY);
    await job.run();
    expect(await outboxOf(w, y.id)).toMatchObject([{ delivered_at: null }]);
  });

  it("deletes extortion reports after extortionReports days and the number's reputation forgets them at once", async () => {
    const w = await world(engine);
    const { s, clock } = w;
    const report = (n: string, who: number) => s.extortion.report({ number: n, channel: 'call', type: 'virtual_kidnapping' },
      { userId: `device-r${who}`, role: 'citizen', ip: `10.${who}.0.1`, networkKey: `net-${who}` });
    const t0 = clock.now().getTime();
    await report('+525511112222', 1);
    await report('+525511112222', 2);
    clock.advance(20 * DAY);
    await report('+525533334444', 3);
    expect(s.extortion.lookup('+525511112222').reputation.reports).toBe(2);
    const job = w.job();
    clock.set(new Date(t0 + 40 * DAY));
    expect((await job.run()).counts.extortionReports).toBe(0);
    clock.advance(1);
    expect((await job.run()).counts.extortionReports).toBe(2);
    expect(s.extortion.lookup('+525511112222').reputation.reports).toBe(0);
    expect(s.extortion.lookup('+525533334444').reputation.reports).toBe(1);
    expect(await count(w, 'extortion_reports')).toBe(1);
  });

  it('deletes SMS sent or given up notifications days ago, never one the sender may still retry', async () => {
    const provider = await smsProvider(['+525587654321', '+525523456789']);
    const w = await world(engine, { sms: { url: provider.url, accountSid: 'AC1', authToken: 'tok', from: '+15550001111' } });
    const { s, clock } = w;
    const t0 = clock.now().getTime();
    const sms = (to: string) => s.notifier.sms({ to, body: 'hola', sender: null, purpose: 'test' });
    const rows = async () => new Map((await w.storage.db.selectFrom('notifications').selectAll().execute()).map((r) => [Number(r.id), r]));
    // The sender's own passes (sms() also starts one): each tries a due message once.
    const deliverUntil = async (done: (r: Awaited<ReturnType<typeof rows>>) => boolean) => {
      for (let i = 0; i < 500 && !done(await rows()); i++) { await s.notifier.deliver(); await new Promise((r) => setTimeout(r, 2)); }
    };
    const ok = await sms('+525512345678');
    const gaveUp = await sms('+525587654321');
    await deliverUntil((r) => r.get(ok)!.sent_at !== null && Number(r.get(gaveUp)!.attempts) >= 10);
    const retrying = await sms('+525523456789');
    await deliverUntil((r) => r.get(retrying)!.last_error !== null);
    await new Promise((r) => setTimeout(r, 20)); // the pass that tried it ends
    const state = await rows();
    expect(state.get(ok)!.sent_at).toBe(t0);
    expect(state.get(gaveUp)).toMatchObject({ sent_at: null, attempts: 10 });
    expect(Number(state.get(retrying)!.attempts)).toBeLessThan(10);
    const job = w.job();
    clock.set(new Date(t0 + 5 * DAY));
    expect((await job.run()).counts.notifications).toBe(0);
    clock.advance(1);
    expect((await job.run()).counts.notifications).toBe(2);
    expect([...(await rows()).keys()]).toEqual([retrying]);
    provider.close();
  });

  it('with no SMS provider, deletes queued messages notifications days after they were queued (they can never be sent)', async () => {
    const w = await world(engine);
    const { s, clock } = w;
    const t0 = clock.now().getTime();
    await s.notifier.sms({ to: '+525512345678', body: 'hola', sender: null, purpose: 'test' });
    const job = w.job();
    clock.set(new Date(t0 + 5 * DAY));
    expect((await job.run()).counts.notifications).toBe(0);
    clock.advance(1);
    expect((await job.run()).counts.notifications).toBe(1);
  });

  it('deletes check-ins checkins days after they were answered or expired, never a pending one', async () => {
    const w = await world(engine);
    const { s, clock } = w;
    const contact = await s.checkins.addContact('device-k', 'Mamá', '+525512345678');
    const lastLink = async () => {
      const n = await w.storage.db.selectFrom('notifications').select('body').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
      return /#([A-Za-z0-9_-]{16,})/.exec(n.body)![1]!;
    };
    const t0 = clock.now().getTime();
    const answered = await s.checkins.ask('device-k', contact.id, 'es');
    const answeredToken = await lastLink();
    const expired = await s.checkins.ask('device-k', contact.id, 'es');
    clock.advance(MIN);
    await s.checkins.answer(answeredToken, 'fine', null);
    const ids = async () => (await w.storage.db.selectFrom('checkins').select('id').orderBy('created_at').execute()).map((r) => r.id);
    const job = w.job();
    clock.set(new Date(t0 + MIN + 6 * DAY));
    expect((await job.run()).counts.checkins).toBe(0);
    const pending = await s.checkins.ask('device-k', contact.id, 'es'); // expires in 30 min
    clock.advance(1);
    expect((await job.run()).counts.checkins).toBe(1);
    expect(await ids()).toEqual([expired.id, pending.id]);
    clock.set(new Date(t0 + 30 * MIN + 6 * DAY + 1)); // the unanswered one expired six days ago; the new one is still pending
    expect((await job.run()).counts.checkins).toBe(1);
    expect(await ids()).toEqual([pending.id]);
    expect(answered.id).not.toBe(pending.id);
  });

  it('deletes sign-in tokens tokens days after they expired or were revoked, never a live one', async () => {
    const w = await world(engine);
    const { s, clock } = w;
    const t0 = clock.now().getTime();
    const device = await s.accounts.registerDevice(); // a year long
    await s.accounts.createUser(null, { username: 'ana', password: 'una-contraseña-larga', role: 'dispatcher' });
    const expiring = await s.accounts.login('ana', 'una-contraseña-larga', null); // 12 h
    const revoked = await s.accounts.login('ana', 'una-contraseña-larga', null);
    await s.accounts.logout(revoked.token, expiring.user.id);
    expect(await count(w, 'auth_tokens')).toBe(3);
    const job = w.job();
    clock.set(new Date(t0 + 7 * DAY));
    expect((await job.run()).counts.tokens).toBe(0);
    clock.advance(1);
    expect((await job.run()).counts.tokens).toBe(1);
    await expect(s.accounts.authenticate(revoked.token)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
    clock.set(new Date(t0 + 12 * 3600_000 + 7 * DAY + 1));
    expect((await job.run()).counts.tokens).toBe(1);
    expect(await count(w, 'auth_tokens')).toBe(1);
    expect((await s.accounts.authenticate(device.token)).role).toBe('citizen');
  });

  it('purges positions, rate counters and the audit log, and records each run once without personal data', async () => {
    const w = await world(engine);
    const { s, clock } = w;
    const t0 = clock.now().getTime();
    await insertPositions(w, 2, t0 - DAY);
    await insertPositions(w, 1, t0 + DAY);
    const limit = { scope: 'test.retention', max: 1, windowMs: MIN };
    await s.limits.hit(limit, 'k1');
    const job = w.job();
    clock.set(new Date(t0 + POSITION_DAYS * DAY));
    const first = await job.run();
    expect(first.counts.positions).toBe(2);
    expect(first.counts.rateCounters).toBeGreaterThanOrEqual(1);
    expect((await s.limits.peek(limit, 'k1')).count).toBe(0);
    expect(await count(w, 'positions')).toBe(1);

    const auditBefore = await w.storage.db.selectFrom('audit_log').select(['id', 'at']).execute();
    clock.set(new Date(t0 + 50 * DAY + 1));
    const cutoff = clock.now().getTime() - 50 * DAY;
    const run = await job.run();
    expect(run.counts.audit).toBe(auditBefore.filter((e) => Number(e.at) < cutoff).length);
    expect(run.counts.audit).toBeGreaterThan(0);
    const left = await w.storage.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
    expect(left.every((e) => Number(e.at) >= cutoff)).toBe(true);
    // One entry per run: the earlier run's (day 9) and this one.
    const runs = left.filter((e) => e.action === 'retention.run');
    expect(runs).toHaveLength(2);
    const last = runs[1]!;
    expect(last).toMatchObject({ actor_id: null, target: null, at: clock.now().getTime() });
    const details = JSON.parse(last.details) as { counts: Record<string, unknown>; failed: unknown[] };
    expect(Object.keys(details.counts).sort()).toEqual([...RETENTION_KINDS].sort());
    expect(Object.values(details.counts).every((v) => typeof v === 'number')).toBe(true);
    expect(details.counts).toEqual(run.counts);
    expect(details.failed).toEqual([]);
  });

  it('deletes in bounded batches: more rows than one batch, all gone, one statement per batch', async () => {
    const w = await world(engine);
    const { s, clock } = w;
    const t0 = clock.now().getTime();
    await insertPositions(w, 12_001, t0 - 30 * DAY);
    await insertAudit(w, 120, t0 - 60 * DAY);
    // Between batches the job yields: a timer due at once fires while the run is still going.
    let timerFiredAt: number | null = null;
    let runEndedAt: number | null = null;
    setTimeout(() => { timerFiredAt = performance.now(); }, 0);
    const big = await w.job().run().finally(() => { runEndedAt = performance.now(); });
    expect(timerFiredAt).not.toBeNull();
    expect(timerFiredAt!).toBeLessThan(runEndedAt!);
    expect(big.counts.positions).toBe(12_001);
    expect(big.batches.positions).toBe(3); // 5,000 + 5,000 + 2,001
    expect(await count(w, 'positions')).toBe(0);

    // Small batches over alerts (several statements for each step) and the audit log.
    for (let i = 0; i < 7; i++) {
      const { alert } = await s.dispatch.raise(citizen(`device-${i}`), { lat: 19.405 + i * 0.001, lon: -99.195 }, null);
      await s.dispatch.act(dispatcher, alert.id, 'cancel');
    }
    await insertAudit(w, 120, clock.now().getTime());
    const closedAt = clock.now().getTime();
    clock.set(new Date(closedAt + 10 * DAY + 1));
    const job = w.job(3);
    const reduce = await job.run();
    expect(reduce.counts.alertLocations).toBe(7);
    expect(reduce.batches.alertLocations).toBe(3);
    expect(await w.storage.db.selectFrom('alerts').select('id').where('location_reduced_at', 'is', null).execute()).toEqual([]);
    clock.set(new Date(closedAt + 60 * DAY));
    const events = await count(w, 'alert_events');
    const gone = await job.run();
    expect(gone.counts.alerts).toBe(7);
    expect(gone.counts.alertEvents).toBe(events);
    expect(gone.batches.alertEvents).toBeGreaterThan(1);
    expect(gone.counts.audit).toBeGreaterThanOrEqual(120);
    expect(gone.batches.audit).toBeGreaterThan(40);
    expect(await count(w, 'alerts')).toBe(0);
  }, 120_000);

  it('is safe with two instances running the job at once: every row removed once, and their counts add up', async () => {
    const w = await world(engine);
    const { s, clock, config } = w;
    // A second instance: its own connection pool on PostgreSQL; on SQLite, the same file's connection
    // (one process cannot hold two SQLite writers waiting on each other).
    let s2: Services = s;
    if (engine.name === 'postgres') {
      const storage2 = await openStorage({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, schema: config.databaseSchema });
      opened.push(() => storage2.close());
      s2 = createServices(storage2, config, clock, () => `second-${Math.random()}`);
    }
    const t0 = clock.now().getTime();
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const { alert } = await s.dispatch.raise(citizen(`device-${i}`), { lat: 19.405 + (i % 20) * 0.0005, lon: -99.195 + (i % 3) * 0.01 }, null);
      await s.dispatch.act(dispatcher, alert.id, 'cancel');
      ids.push(alert.id);
    }
    const open = (await s.dispatch.raise(citizen('device-open'), { lat: 19.415, lon: -99.185 }, null)).alert;
    await insertPositions(w, 700, t0 - 30 * DAY);
    await insertAudit(w, 300, t0 - 60 * DAY);
    const openBefore = await everything(w, open.id);

    clock.set(new Date(t0 + 10 * DAY + MIN));
    const [r1, r2] = await Promise.all([w.job(25).run(), createRetentionJob(s2, config, { batchSize: 25 }).run()]);
    expect(r1.failed).toEqual([]);
    expect(r2.failed).toEqual([]);
    expect(r1.counts.alertLocations + r2.counts.alertLocations).toBe(40);
    expect(r1.counts.positions + r2.counts.positions).toBe(700);
    expect(r1.counts.audit + r2.counts.audit).toBe(300);
    expect(await w.storage.db.selectFrom('alerts').select('id').where('id', 'in', ids).where('location_reduced_at', 'is', null).execute()).toEqual([]);

    const events = await w.storage.db.selectFrom('alert_events').select('id').where('alert_id', 'in', ids).execute();
    clock.set(new Date(t0 + 30 * DAY + MIN));
    const [d1, d2] = await Promise.all([w.job(25).run(), createRetentionJob(s2, config, { batchSize: 25 }).run()]);
    expect([...d1.failed, ...d2.failed]).toEqual([]);
    expect(d1.counts.alerts + d2.counts.alerts).toBe(40);
    expect(d1.counts.alertEvents + d2.counts.alertEvents).toBe(events.length);
    expect(await w.storage.db.selectFrom('alerts').select('id').execute()).toEqual([{ id: open.id }]);
    expect(await everything(w, open.id)).toEqual(openBefore);
    const runs = await w.storage.db.selectFrom('audit_log').select('id').where('action', '=', 'retention.run').execute();
    expect(runs).toHaveLength(4);
  }, 120_000);
});

/** A Twilio-compatible SMS API on a free port: accepts every message except to the `failing` numbers. */
async function smsProvider(failing: string[]): Promise<{ url: string; close(): void }> {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      const to = new URLSearchParams(body).get('To') ?? '';
      if (failing.includes(to)) { res.writeHead(500).end('{}'); return; }
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sid: `SM${Date.now()}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}
