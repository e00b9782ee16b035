// A WebSocket client that behaves like a page behind a load balancer: when its socket closes for
// any reason but an ended session it reconnects to another live instance, and catches up through
// the snapshot every connection starts with. It records what a person would notice: each alert the
// device learns of (a `page`, or a snapshot holding an alert it had not seen: the page it missed)
// and every `page` for an alert it already knew (a second ring: a duplicate), and, per connection,
// any alert message older than one it already showed (events out of order).
import WebSocket from 'ws';

interface AlertMsg { id: string; version: number; status: string; pagedUnits?: { id: string }[] }
interface Msg { type: string; alert?: AlertMsg; alerts?: AlertMsg[]; role?: string; unitId?: string | null }

export interface LiveClient {
  name: string;
  /** Alerts this device knows of, with how it learned of each first. */
  known: Map<string, 'page' | 'snapshot' | 'alert'>;
  /** `page` messages per alert, over every connection. */
  pages: Map<string, number>;
  /** A page for an alert the device already knew (from a page or a snapshot). */
  duplicates: string[];
  /** An alert message whose version is below one this connection already delivered for that alert. */
  outOfOrder: string[];
  /** Connections made (the first included) and the instance index of each. */
  connections: number[];
  /** Close codes seen, oldest first. */
  closes: number[];
  /** Resolves with the close code once the server ends the session (4401/4403): no reconnect after that. */
  sessionEnded: Promise<number>;
  /** Resolves when the current connection has its snapshot. */
  ready(): Promise<void>;
  /** Whether a connection is open and past its snapshot. */
  readonly live: boolean;
  /** Which instance the open connection is on (-1: none). */
  readonly instance: number;
  close(): void;
}

const SESSION_ENDED = new Set([4401, 4403]);

/**
 * Opens the client on `first`, then on close moves round-robin over `instances()` (the indexes of
 * the instances a load balancer would still send to), retrying every `retryMs`.
 */
export function liveClient(name: string, token: string, urls: readonly string[], first: number, instances: () => number[], retryMs = 100): LiveClient {
  let socket: WebSocket | null = null;
  let current = -1;
  let live = false;
  let stopped = false;
  let readyWaiters: (() => void)[] = [];
  let endSession!: (code: number) => void;
  const client: LiveClient = {
    name, known: new Map(), pages: new Map(), duplicates: [], outOfOrder: [], connections: [], closes: [],
    sessionEnded: new Promise<number>((r) => { endSession = r; }),
    ready: () => (live ? Promise.resolve() : new Promise<void>((r) => readyWaiters.push(r))),
    get live() { return live; },
    get instance() { return live ? current : -1; },
    close() { stopped = true; socket?.close(); },
  };

  const open = (index: number) => {
    if (stopped) return;
    current = index;
    const ws = new WebSocket(`${urls[index]!.replace(/^http/, 'ws')}/api/v1/ws`, { perMessageDeflate: false });
    socket = ws;
    /** Versions this connection delivered, per alert. */
    const shown = new Map<string, number>();
    const see = (a: AlertMsg, via: string) => {
      const last = shown.get(a.id);
      if (last !== undefined && a.version < last) client.outOfOrder.push(`${name} on #${index}: ${via} v${a.version} of ${a.id} after v${last}`);
      shown.set(a.id, Math.max(last ?? 0, a.version));
    };
    ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', token })));
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as Msg;
      if (m.type === 'snapshot') {
        for (const a of m.alerts ?? []) {
          see(a, 'snapshot');
          if (!client.known.has(a.id)) client.known.set(a.id, 'snapshot');
        }
        client.connections.push(index);
        live = true;
        for (const w of readyWaiters.splice(0)) w();
      } else if (m.type === 'page' && m.alert) {
        see(m.alert, 'page');
        client.pages.set(m.alert.id, (client.pages.get(m.alert.id) ?? 0) + 1);
        if (client.known.has(m.alert.id)) client.duplicates.push(`${name}: page for ${m.alert.id} (v${m.alert.version}) on #${index}, already known by ${client.known.get(m.alert.id)}`);
        else client.known.set(m.alert.id, 'page');
      } else if (m.type === 'alert' && m.alert) {
        see(m.alert, 'alert');
        if (!client.known.has(m.alert.id)) client.known.set(m.alert.id, 'alert');
      }
    });
    ws.on('error', () => { /* 'close' follows */ });
    ws.on('close', (code) => {
      live = false;
      client.closes.push(code);
      if (SESSION_ENDED.has(code)) { stopped = true; endSession(code); return; }
      if (stopped) return;
      // The load balancer's choice: the next live instance after this one.
      const pool = instances();
      const next = pool.find((i) => i > index) ?? pool[0];
      setTimeout(() => open(next ?? index), retryMs).unref();
    });
  };
  open(first);
  return client;
}
