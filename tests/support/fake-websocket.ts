// A WebSocket and a window/document for the pages' realtime code under Node (no browser): each test
// plays the server by hand — open, say hello, send a snapshot, drop the line — with fake timers.

export class FakeWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  /** Every socket created since the last `reset()`, oldest first. */
  static created: FakeWebSocket[] = [];
  static reset(): void { FakeWebSocket.created = []; }
  static get last(): FakeWebSocket {
    const s = FakeWebSocket.created.at(-1);
    if (!s) throw new Error('no WebSocket was opened');
    return s;
  }

  readyState = FakeWebSocket.CONNECTING;
  readonly sent: string[] = [];
  closedWith: number | null = null;
  onopen: ((e: unknown) => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;

  constructor(readonly url: string) { FakeWebSocket.created.push(this); }

  send(data: string): void {
    if (this.readyState !== FakeWebSocket.OPEN) throw new Error('send on a socket that is not open');
    this.sent.push(data);
  }
  close(code = 1000): void {
    this.closedWith = code;
    this.readyState = FakeWebSocket.CLOSED;
  }

  // ——— the server's side ———
  accept(): void {
    this.readyState = FakeWebSocket.OPEN;
    this.onopen?.({});
  }
  /** Accepts, then says hello: the client is authenticated. */
  acceptAndGreet(): void {
    this.accept();
    this.push({ type: 'hello' });
  }
  push(message: object): void { this.onmessage?.({ data: JSON.stringify(message) }); }
  drop(code = 1006): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.onclose?.({ code });
  }
  /** The JSON messages the client sent, parsed. */
  messages(): unknown[] { return this.sent.map((s) => JSON.parse(s) as unknown); }
}

/** window and document as the realtime controller uses them: event targets, plus visibilityState. */
export function fakePageGlobals(): { window: EventTarget; document: EventTarget & { visibilityState: string }; location: { protocol: string; host: string } } {
  return {
    window: new EventTarget(),
    document: Object.assign(new EventTarget(), { visibilityState: 'visible' }),
    location: { protocol: 'https:', host: 'cuadrante.example' },
  };
}
