// The realtime controller under Node with a fake WebSocket and fake timers: the test plays the
// server. What a page relies on: it authenticates by message, reconnects (with backoff, at once
// when the device is back), hands subscribers the snapshot the server sends after every
// (re)connection, and ignores whatever a replaced socket still says.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWebSocket, fakePageGlobals } from '../../../tests/support/fake-websocket.js';
import { RealtimeController, type ConnectionState } from './realtime.js';
import type { ServerMessage } from './alerts.js';

let page: ReturnType<typeof fakePageGlobals>;

beforeEach(() => {
  vi.useFakeTimers();
  vi.spyOn(Math, 'random').mockReturnValue(0.5); // no jitter: backoff delays are exact
  page = fakePageGlobals();
  vi.stubGlobal('window', page.window);
  vi.stubGlobal('document', page.document);
  vi.stubGlobal('location', page.location);
  vi.stubGlobal('WebSocket', FakeWebSocket);
  FakeWebSocket.reset();
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function started(token: string | (() => string | null) = 'token-1') {
  const rt = new RealtimeController({ token, initialBackoffMs: 1000, maxBackoffMs: 8000, pingIntervalMs: 20_000, connectTimeoutMs: 10_000 });
  const states: ConnectionState[] = [];
  const messages: ServerMessage[] = [];
  rt.onState((s) => states.push(s));
  rt.onMessage((m) => messages.push(m));
  rt.start();
  return { rt, states, messages };
}

describe('realtime controller', () => {
  it('connects to this host, sends the token as its first message (never in the URL), and is connected once the server says hello', () => {
    const { rt, states } = started();
    const socket = FakeWebSocket.last;
    expect(socket.url).toBe('wss://cuadrante.example/api/v1/ws');
    expect(rt.state).toBe('connecting');
    socket.accept();
    expect(socket.messages()).toEqual([{ type: 'auth', token: 'token-1' }]);
    expect(rt.state).toBe('connecting');
    socket.push({ type: 'hello' });
    expect(states).toEqual(['idle', 'connecting', 'connected']);
    expect(rt.send({ type: 'ping' })).toBe(true);
  });

  it('reconnects after a drop with doubling backoff, reading the token again, and starts over after a success', () => {
    let token = 'token-1';
    const { rt } = started(() => token);
    FakeWebSocket.last.acceptAndGreet();
    FakeWebSocket.last.drop();
    expect(rt.state).toBe('reconnecting');
    expect(rt.send({ type: 'ping' })).toBe(false);

    token = 'token-2';
    vi.advanceTimersByTime(999);
    expect(FakeWebSocket.created).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.created).toHaveLength(2);
    FakeWebSocket.last.accept();
    expect(FakeWebSocket.last.messages()).toEqual([{ type: 'auth', token: 'token-2' }]);

    FakeWebSocket.last.drop(); // failed again before hello: the wait doubles
    vi.advanceTimersByTime(1999);
    expect(FakeWebSocket.created).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.created).toHaveLength(3);

    FakeWebSocket.last.acceptAndGreet();
    expect(rt.state).toBe('connected');
    FakeWebSocket.last.drop(); // after a success, back to the first delay
    vi.advanceTimersByTime(1000);
    expect(FakeWebSocket.created).toHaveLength(4);
  });

  it('caps the backoff', () => {
    started();
    for (let i = 0; i < 6; i++) {
      const before = FakeWebSocket.created.length;
      FakeWebSocket.last.drop();
      vi.advanceTimersByTime(8000);
      expect(FakeWebSocket.created, `attempt ${i}`).toHaveLength(before + 1);
    }
  });

  it('gives up an attempt the server never authenticates, and retries', () => {
    const { rt } = started();
    FakeWebSocket.last.accept(); // open, but no hello
    vi.advanceTimersByTime(10_000);
    expect(rt.state).toBe('reconnecting');
    expect(FakeWebSocket.created[0]!.closedWith).toBe(1000);
    vi.advanceTimersByTime(1000);
    expect(FakeWebSocket.created).toHaveLength(2);
  });

  it('stops retrying when the server refuses the token, until told to reconnect', () => {
    const { rt } = started();
    FakeWebSocket.last.accept();
    FakeWebSocket.last.drop(4401);
    expect(rt.state).toBe('unauthorized');
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.created).toHaveLength(1);
    rt.reconnectNow();
    expect(FakeWebSocket.created).toHaveLength(2);
  });

  it('moves on when an instance sends it elsewhere (1012: cut off from the others), as after any drop', () => {
    const { rt } = started();
    FakeWebSocket.last.accept();
    FakeWebSocket.last.push({ type: 'hello' });
    FakeWebSocket.last.drop(1012);
    expect(rt.state).toBe('reconnecting');
    vi.advanceTimersByTime(1000);
    expect(FakeWebSocket.created).toHaveLength(2);
  });

  it('does not connect without a token', () => {
    const { rt } = started(() => null);
    expect(rt.state).toBe('unauthorized');
    expect(FakeWebSocket.created).toHaveLength(0);
  });

  it('reconnects at once when the device comes back online, without waiting out the backoff', () => {
    const { rt } = started();
    for (let i = 0; i < 3; i++) { FakeWebSocket.last.drop(); vi.advanceTimersByTime(8000); }
    FakeWebSocket.last.drop(); // now waiting 8 s
    const before = FakeWebSocket.created.length;
    page.window.dispatchEvent(new Event('online'));
    expect(FakeWebSocket.created).toHaveLength(before + 1);
    FakeWebSocket.last.acceptAndGreet();
    expect(rt.state).toBe('connected');
  });

  it('says it is reconnecting as soon as the device goes offline', () => {
    const { rt } = started();
    const socket = FakeWebSocket.last;
    socket.acceptAndGreet();
    page.window.dispatchEvent(new Event('offline'));
    expect(rt.state).toBe('reconnecting');
    expect(socket.closedWith).toBe(1000);
  });

  it('probes a connection when the page becomes visible, and replaces it if nothing answers within 3 s', () => {
    const { rt } = started();
    const socket = FakeWebSocket.last;
    socket.acceptAndGreet();
    vi.advanceTimersByTime(5000); // the tab was in the background for a while
    page.document.visibilityState = 'visible';
    page.document.dispatchEvent(new Event('visibilitychange'));
    expect(socket.messages().at(-1)).toEqual({ type: 'ping' });
    vi.advanceTimersByTime(3000);
    expect(rt.state).toBe('reconnecting');
    vi.advanceTimersByTime(1000);
    expect(FakeWebSocket.created).toHaveLength(2);
  });

  it('keeps a connection that answers the probe', () => {
    const { rt } = started();
    const socket = FakeWebSocket.last;
    socket.acceptAndGreet();
    vi.advanceTimersByTime(5000);
    page.document.dispatchEvent(new Event('visibilitychange'));
    vi.advanceTimersByTime(1000);
    socket.push({ type: 'pong' });
    vi.advanceTimersByTime(2000);
    expect(rt.state).toBe('connected');
    expect(FakeWebSocket.created).toHaveLength(1);
  });

  it('reconnects a page restored from the back/forward cache', () => {
    started();
    FakeWebSocket.last.acceptAndGreet();
    page.window.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
    expect(FakeWebSocket.created).toHaveLength(2);
  });

  it('presumes a connection silent for two ping intervals dead', () => {
    const { rt } = started();
    const socket = FakeWebSocket.last;
    socket.acceptAndGreet();
    vi.advanceTimersByTime(20_000);
    expect(socket.messages().at(-1)).toEqual({ type: 'ping' });
    expect(rt.state).toBe('connected');
    vi.advanceTimersByTime(40_000);
    expect(rt.state).toBe('reconnecting');
  });

  it('hands subscribers the snapshot sent after every (re)connection, and nothing from a replaced socket', () => {
    const { messages } = started();
    const first = FakeWebSocket.last;
    first.acceptAndGreet();
    first.push({ type: 'snapshot', alerts: [{ id: 'a1' }] });
    first.drop();
    vi.advanceTimersByTime(1000);
    const second = FakeWebSocket.last;
    first.push({ type: 'alert', alert: { id: 'late' }, events: [] }); // the dead socket's last words
    second.acceptAndGreet();
    second.push({ type: 'snapshot', alerts: [{ id: 'a2' }] });
    expect(messages).toEqual([
      { type: 'hello' }, { type: 'snapshot', alerts: [{ id: 'a1' }] },
      { type: 'hello' }, { type: 'snapshot', alerts: [{ id: 'a2' }] },
    ]);
  });

  it('keeps delivering to other subscribers when one throws, and ignores what is not JSON', () => {
    const { rt, messages } = started();
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    rt.onMessage(() => { throw new Error('a broken panel'); });
    const socket = FakeWebSocket.last;
    socket.acceptAndGreet();
    socket.onmessage?.({ data: 'not json' });
    socket.push({ type: 'units', units: [] });
    expect(messages).toEqual([{ type: 'hello' }, { type: 'units', units: [] }]);
  });

  it('stops: closes the socket, forgets the page events and never retries', () => {
    const { rt } = started();
    const socket = FakeWebSocket.last;
    socket.acceptAndGreet();
    rt.stop();
    expect(rt.state).toBe('stopped');
    expect(socket.closedWith).toBe(1000);
    page.window.dispatchEvent(new Event('online'));
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.created).toHaveLength(1);
  });
});
