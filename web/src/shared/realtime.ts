import type { ServerMessage } from './alerts.js';

// The one realtime controller every page uses (citizen, unit, console). It owns the socket to
// /api/v1/ws: authenticates with the first message (tokens stay out of URLs and logs), hands
// every server message to subscribers, and reconnects with backoff — at once when the device
// comes back online or the page becomes visible again, since phones freeze background tabs and
// their sockets die silently. The server sends a fresh `snapshot` after every (re)connection:
// that is how a page catches up after a gap, so subscribers must treat a snapshot as the whole
// truth and replace (not merge) what they hold.
//
// Framework-free on purpose: Preact bindings live in useRealtime.ts.

/**
 * - idle: created, not started
 * - connecting: first attempt under way
 * - connected: authenticated (the server said hello)
 * - reconnecting: lost, or never reached; another attempt is scheduled or under way
 * - unauthorized: the server refused the token; no retries until `reconnectNow()`
 * - stopped: `stop()` was called
 */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'unauthorized' | 'stopped';

export type MessageHandler = (message: ServerMessage) => void;
export type StateHandler = (state: ConnectionState) => void;

export interface RealtimeOptions {
  /** Read at every (re)connection, so a renewed token is picked up. */
  token: string | (() => string | null);
  /** Defaults to ws(s)://<this host>/api/v1/ws. */
  url?: string;
  /** First retry delay; doubles per failed attempt up to maxBackoffMs, with ±25% jitter. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A ping this often; a connection silent for two intervals is presumed dead. */
  pingIntervalMs?: number;
  /** Give up an attempt that has not been authenticated by then. */
  connectTimeoutMs?: number;
}

/** Close codes with which the server refuses a token (src/realtime/hub.ts): retrying cannot help. */
const AUTH_REFUSED = new Set([4400, 4401]);

export function defaultRealtimeUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/v1/ws`;
}

export class RealtimeController {
  private socket: WebSocket | null = null;
  private current: ConnectionState = 'idle';
  private attempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private connectTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private lastHeard = 0;
  private messageHandlers = new Set<MessageHandler>();
  private stateHandlers = new Set<StateHandler>();
  private readonly opts: Required<Omit<RealtimeOptions, 'url'>> & { url: string | undefined };

  constructor(options: RealtimeOptions) {
    this.opts = {
      url: options.url,
      token: options.token,
      initialBackoffMs: options.initialBackoffMs ?? 1000,
      maxBackoffMs: options.maxBackoffMs ?? 30_000,
      pingIntervalMs: options.pingIntervalMs ?? 20_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    };
  }

  get state(): ConnectionState { return this.current; }
  get connected(): boolean { return this.current === 'connected'; }

  /** Subscribes to every server message; returns the unsubscribe function. */
  onMessage(handler: MessageHandler): () => void {
    this.messageHandlers.add(handler);
    return () => this.messageHandlers.delete(handler);
  }

  /** Subscribes to connection-state changes (called at once with the current state). */
  onState(handler: StateHandler): () => void {
    this.stateHandlers.add(handler);
    handler(this.current);
    return () => this.stateHandlers.delete(handler);
  }

  start(): void {
    if (this.current !== 'idle' && this.current !== 'stopped') return;
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    window.addEventListener('pageshow', this.onPageShow);
    document.addEventListener('visibilitychange', this.onVisibility);
    this.connect('connecting');
  }

  stop(): void {
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    window.removeEventListener('pageshow', this.onPageShow);
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.teardown();
    this.setState('stopped');
  }

  /** Drops any current attempt or backoff wait and connects now (e.g. after a new sign-in). */
  reconnectNow(): void {
    if (this.current === 'stopped' || this.current === 'idle') return;
    this.attempts = 0;
    this.connect(this.current === 'connecting' ? 'connecting' : 'reconnecting');
  }

  /** Sends a JSON message if connected; false otherwise (callers use HTTP for anything that matters). */
  send(message: object): boolean {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN || this.current !== 'connected') return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  private readToken(): string | null {
    return typeof this.opts.token === 'function' ? this.opts.token() : this.opts.token;
  }

  private connect(state: 'connecting' | 'reconnecting'): void {
    this.teardown();
    const token = this.readToken();
    if (!token) { this.setState('unauthorized'); return; }
    this.setState(state);
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.opts.url ?? defaultRealtimeUrl());
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    this.connectTimer = setTimeout(() => this.lost(socket), this.opts.connectTimeoutMs);
    socket.onopen = () => socket.send(JSON.stringify({ type: 'auth', token }));
    socket.onmessage = (event) => this.received(socket, event);
    socket.onclose = (event) => {
      if (socket !== this.socket) return;
      if (AUTH_REFUSED.has(event.code)) {
        this.teardown();
        this.setState('unauthorized');
      } else {
        this.lost(socket);
      }
    };
    // An error is always followed by close; nothing to do here.
    socket.onerror = () => undefined;
  }

  private received(socket: WebSocket, event: MessageEvent): void {
    if (socket !== this.socket) return;
    this.lastHeard = Date.now();
    let message: ServerMessage;
    try {
      message = JSON.parse(String(event.data)) as ServerMessage;
    } catch {
      return;
    }
    if (message.type === 'hello') {
      if (this.connectTimer) clearTimeout(this.connectTimer);
      this.connectTimer = null;
      this.attempts = 0;
      this.startPinging(socket);
      this.setState('connected');
    }
    for (const handler of [...this.messageHandlers]) {
      try {
        handler(message);
      } catch (err) {
        console.error('realtime handler failed', err);
      }
    }
  }

  private startPinging(socket: WebSocket): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      if (Date.now() - this.lastHeard > 2 * this.opts.pingIntervalMs) this.lost(socket);
      else if (socket.readyState === WebSocket.OPEN) socket.send('{"type":"ping"}');
    }, this.opts.pingIntervalMs);
  }

  private lost(socket: WebSocket): void {
    if (socket !== this.socket) return;
    this.teardown();
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    this.setState('reconnecting');
    const base = Math.min(this.opts.maxBackoffMs, this.opts.initialBackoffMs * 2 ** this.attempts);
    const delay = base * (0.75 + Math.random() * 0.5);
    this.attempts += 1;
    this.retryTimer = setTimeout(() => this.connect('reconnecting'), delay);
  }

  /** Forgets the socket and every timer; the old socket's late events are ignored. */
  private teardown(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.connectTimer) clearTimeout(this.connectTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.retryTimer = this.connectTimer = this.pingTimer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      if (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN) socket.close(1000);
    }
  }

  private setState(state: ConnectionState): void {
    if (state === this.current) return;
    this.current = state;
    for (const handler of [...this.stateHandlers]) handler(state);
  }

  private readonly onOnline = () => {
    if (this.current !== 'connected' && this.current !== 'unauthorized') this.reconnectNow();
  };

  // The socket may linger for a minute before the browser notices it is dead; say so now.
  private readonly onOffline = () => {
    if (this.current === 'connected' || this.current === 'connecting') {
      this.teardown();
      this.scheduleRetry();
    }
  };

  private readonly onVisibility = () => {
    if (document.visibilityState !== 'visible') return;
    if (this.current === 'connected') this.probe();
    else if (this.current === 'reconnecting' || this.current === 'connecting') this.reconnectNow();
  };

  // Restored from the back/forward cache: the old socket is gone.
  private readonly onPageShow = (event: PageTransitionEvent) => {
    if (event.persisted && this.current !== 'unauthorized') this.reconnectNow();
  };

  /** A socket that survived a frozen tab may be dead: ping and reconnect if nothing comes back. */
  private probe(): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) { this.reconnectNow(); return; }
    const sentAt = Date.now();
    socket.send('{"type":"ping"}');
    setTimeout(() => {
      if (socket === this.socket && this.lastHeard < sentAt) this.lost(socket);
    }, 3000);
  }
}

export function createRealtime(options: RealtimeOptions): RealtimeController {
  return new RealtimeController(options);
}

/**
 * Does `incoming` describe the alert at least as recently as `known`? Every change to an alert
 * bumps its `version` in the change's own transaction, so versions order what the socket, the
 * snapshot and HTTP answers say about one alert whatever order they arrive in — clocks (the
 * server's updatedAt, this device's) never do. Equal versions are the same state (replacing is
 * harmless); a description without a version (an older server) is taken as it comes.
 */
export function supersedes(incoming: { version?: number | undefined }, known: { version?: number | undefined } | null | undefined): boolean {
  if (!known) return true;
  if (typeof incoming.version !== 'number' || typeof known.version !== 'number') return true;
  return incoming.version >= known.version;
}
