// A WebSocket client for tests: authenticates, records every message, waits for one that matches.
import WebSocket from 'ws';

export interface Msg { type: string; alert?: { id: string; status: string; [k: string]: unknown }; alerts?: { id: string; status: string }[]; [k: string]: unknown }

export interface TestSocket {
  messages: Msg[];
  next(match: (m: Msg) => boolean, timeoutMs?: number): Promise<Msg>;
  closed: Promise<number>;
  close(): void;
}

export function connect(baseUrl: string, token: string): Promise<TestSocket> {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/v1/ws`);
  const messages: Msg[] = [];
  const waiters: { match: (m: Msg) => boolean; resolve: (m: Msg) => void }[] = [];
  let cursor = 0;
  socket.on('message', (data) => {
    const m = JSON.parse(String(data)) as Msg;
    messages.push(m);
    for (const w of [...waiters]) if (w.match(m)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(m); }
  });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const api: TestSocket = {
    messages,
    closed,
    next(match, timeoutMs = 5000) {
      // Messages already received but not yet consumed count too.
      for (; cursor < messages.length; cursor++) {
        if (match(messages[cursor]!)) return Promise.resolve(messages[cursor++]!);
      }
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(messages.map((x) => x.type))}`)), timeoutMs);
        waiters.push({ match, resolve: (m) => { clearTimeout(t); cursor = messages.length; resolve(m); } });
      });
    },
    close: () => socket.close(),
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => { socket.send(JSON.stringify({ type: 'auth', token })); resolve(api); });
    socket.once('error', reject);
  });
}
