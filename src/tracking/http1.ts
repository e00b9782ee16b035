// A small incremental HTTP/1.1 request parser for the tracker port. Trackers send tiny requests
// (a query string, or a form or JSON body of a few hundred bytes) many times a second over
// keep-alive connections; node:http's per-request objects (IncomingMessage, ServerResponse,
// header maps, streams) cost more than decoding and ingesting the position itself. This parser
// keeps one buffer per connection and yields plain request records. It is strict where
// leniency would be a risk (request smuggling: Content-Length with Transfer-Encoding, differing
// Content-Lengths, obsolete line folding) and bounded everywhere (head and body sizes).

export interface Http1Request {
  method: string;
  /** The request target as sent (path and query), latin1. */
  target: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Map<string, string>;
  body: Buffer;
  /** The connection may carry another request after this one. */
  keepAlive: boolean;
  /** HTTP/1.0: the answer must say keep-alive explicitly to keep the connection. */
  http10: boolean;
}

export type Http1Event =
  | { kind: 'request'; request: Http1Request }
  /** The client sent `Expect: 100-continue` and waits before sending its body. */
  | { kind: 'continue' }
  /** The connection must be answered with this status and closed; nothing after it is read. */
  | { kind: 'error'; status: 400 | 413 | 417 | 431 | 501 | 505; reason: string };

export interface Http1Limits {
  /** Request line + headers, bytes (node:http's default: 16 KiB). */
  maxHeadBytes: number;
  /** Decoded body, bytes. */
  maxBodyBytes: number;
}

const CRLF2 = Buffer.from('\r\n\r\n');
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const EMPTY = Buffer.alloc(0);

type State =
  | { at: 'head' }
  | { at: 'body'; request: Http1Request; remaining: number }
  | { at: 'chunk-size'; request: Http1Request; parts: Buffer[]; size: number }
  | { at: 'chunk-data'; request: Http1Request; parts: Buffer[]; size: number; remaining: number }
  | { at: 'chunk-end'; request: Http1Request; parts: Buffer[]; size: number }
  | { at: 'trailers'; request: Http1Request; parts: Buffer[]; size: number }
  | { at: 'dead' };

export class Http1Parser {
  private buf: Buffer = EMPTY;
  private state: State = { at: 'head' };

  constructor(private readonly limits: Http1Limits) {}

  /** Bytes received and not yet part of a complete request. */
  get pending(): number { return this.buf.length; }

  /** True while a request has started and not yet been completed. */
  get midRequest(): boolean { return this.buf.length > 0 || this.state.at !== 'head'; }

  /** Feeds received bytes; returns the events they complete, in order. After an error, nothing. */
  push(chunk: Buffer, out: Http1Event[] = []): Http1Event[] {
    if (this.state.at === 'dead') return out;
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    for (;;) {
      const before = this.buf.length;
      const stateBefore: State['at'] = this.state.at;
      const event = this.step();
      if (event) {
        out.push(event);
        if (event.kind === 'error') { this.state = { at: 'dead' }; this.buf = EMPTY; return out; }
        continue;
      }
      if (this.buf.length === before && this.state.at === stateBefore) return out;
    }
  }

  private fail(status: 400 | 413 | 417 | 431 | 501 | 505, reason: string): Http1Event {
    return { kind: 'error', status, reason };
  }

  /** One step of progress; an event when one completes, null otherwise. */
  private step(): Http1Event | null {
    const s = this.state;
    switch (s.at) {
      case 'head': return this.head();
      case 'body': {
        if (this.buf.length < s.remaining) return null;
        s.request.body = this.buf.subarray(0, s.remaining);
        this.buf = this.buf.subarray(s.remaining);
        this.state = { at: 'head' };
        return { kind: 'request', request: s.request };
      }
      case 'chunk-size': {
        const eol = this.buf.indexOf('\r\n');
        if (eol < 0) return this.buf.length > 1024 ? this.fail(400, 'chunk size line too long') : null;
        const line = this.buf.toString('latin1', 0, eol);
        const hex = (line.indexOf(';') >= 0 ? line.slice(0, line.indexOf(';')) : line).trim();
        if (!/^[0-9A-Fa-f]{1,8}$/.test(hex)) return this.fail(400, 'bad chunk size');
        const n = parseInt(hex, 16);
        this.buf = this.buf.subarray(eol + 2);
        if (n === 0) { this.state = { at: 'trailers', request: s.request, parts: s.parts, size: s.size }; return null; }
        if (s.size + n > this.limits.maxBodyBytes) return this.fail(413, 'body too large');
        this.state = { at: 'chunk-data', request: s.request, parts: s.parts, size: s.size + n, remaining: n };
        return null;
      }
      case 'chunk-data': {
        if (this.buf.length === 0) return null;
        const take = Math.min(s.remaining, this.buf.length);
        s.parts.push(this.buf.subarray(0, take));
        this.buf = this.buf.subarray(take);
        s.remaining -= take;
        if (s.remaining === 0) this.state = { at: 'chunk-end', request: s.request, parts: s.parts, size: s.size };
        return null;
      }
      case 'chunk-end': {
        if (this.buf.length < 2) return null;
        if (this.buf[0] !== 13 || this.buf[1] !== 10) return this.fail(400, 'chunk not followed by CRLF');
        this.buf = this.buf.subarray(2);
        this.state = { at: 'chunk-size', request: s.request, parts: s.parts, size: s.size };
        return null;
      }
      case 'trailers': {
        const eol = this.buf.indexOf('\r\n');
        if (eol < 0) return this.buf.length > this.limits.maxHeadBytes ? this.fail(431, 'trailers too large') : null;
        this.buf = this.buf.subarray(eol + 2);
        if (eol > 0) return null; // a trailer field: ignored
        s.request.body = s.parts.length === 1 ? s.parts[0]! : Buffer.concat(s.parts);
        this.state = { at: 'head' };
        return { kind: 'request', request: s.request };
      }
      case 'dead': return null;
    }
  }

  private head(): Http1Event | null {
    // RFC 9112 §2.2: ignore at least one empty line before a request line.
    while (this.buf.length >= 2 && this.buf[0] === 13 && this.buf[1] === 10) this.buf = this.buf.subarray(2);
    const end = this.buf.indexOf(CRLF2);
    if (end < 0) return this.buf.length > this.limits.maxHeadBytes ? this.fail(431, 'request head too large') : null;
    if (end + 4 > this.limits.maxHeadBytes) return this.fail(431, 'request head too large');
    const head = this.buf.toString('latin1', 0, end);
    this.buf = this.buf.subarray(end + 4);

    const lineEnd = head.indexOf('\r\n');
    const requestLine = lineEnd < 0 ? head : head.slice(0, lineEnd);
    const sp1 = requestLine.indexOf(' ');
    const sp2 = requestLine.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 <= sp1 + 1 || requestLine.indexOf(' ', sp2 + 1) >= 0) return this.fail(400, 'bad request line');
    const method = requestLine.slice(0, sp1);
    const target = requestLine.slice(sp1 + 1, sp2);
    const version = requestLine.slice(sp2 + 1);
    if (!TOKEN.test(method)) return this.fail(400, 'bad method');
    if (!/^[\x21-\x7e]+$/.test(target)) return this.fail(400, 'bad request target');
    let http10: boolean;
    if (version === 'HTTP/1.1') http10 = false;
    else if (version === 'HTTP/1.0') http10 = true;
    else return /^HTTP\/\d\.\d$/.test(version) ? this.fail(505, 'HTTP version not supported') : this.fail(400, 'bad HTTP version');

    const headers = new Map<string, string>();
    let contentLength: string | undefined;
    let pos = lineEnd < 0 ? head.length : lineEnd + 2;
    while (pos < head.length) {
      let next = head.indexOf('\r\n', pos);
      if (next < 0) next = head.length;
      const line = head.slice(pos, next);
      pos = next + 2;
      if (line.charCodeAt(0) === 32 || line.charCodeAt(0) === 9) return this.fail(400, 'obsolete header line folding');
      const colon = line.indexOf(':');
      if (colon <= 0) return this.fail(400, 'bad header line');
      const name = line.slice(0, colon);
      if (!TOKEN.test(name)) return this.fail(400, 'bad header name');
      const key = name.toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (key === 'content-length') {
        // Repeated identical values are tolerated (RFC 9112 §6.3); differing ones are an attack.
        if (contentLength !== undefined && contentLength !== value) return this.fail(400, 'conflicting Content-Length');
        contentLength = value;
      }
      const prev = headers.get(key);
      headers.set(key, prev === undefined ? value : key === 'content-length' ? prev : `${prev}, ${value}`);
    }

    const connection = (headers.get('connection') ?? '').toLowerCase();
    const keepAlive = http10 ? /(^|,)\s*keep-alive\s*(,|$)/.test(connection) : !/(^|,)\s*close\s*(,|$)/.test(connection);
    const request: Http1Request = { method, target, headers, body: EMPTY, keepAlive, http10 };
    const te = headers.get('transfer-encoding');
    if (te !== undefined) {
      if (contentLength !== undefined) return this.fail(400, 'both Transfer-Encoding and Content-Length');
      if (http10 || te.toLowerCase() !== 'chunked') return this.fail(501, 'unsupported Transfer-Encoding');
      const cont = this.expectContinue(headers);
      if (cont && cont.kind === 'error') return cont;
      this.state = { at: 'chunk-size', request, parts: [], size: 0 };
      return cont;
    }
    if (contentLength === undefined || contentLength === '0') return { kind: 'request', request };
    if (!/^\d{1,15}$/.test(contentLength)) return this.fail(400, 'bad Content-Length');
    const length = Number(contentLength);
    if (length > this.limits.maxBodyBytes) return this.fail(413, 'body too large');
    const cont = this.expectContinue(headers);
    if (cont && cont.kind === 'error') return cont;
    this.state = { at: 'body', request, remaining: length };
    return cont;
  }

  private expectContinue(headers: Map<string, string>): Http1Event | null {
    const expect = headers.get('expect');
    if (expect === undefined) return null;
    // The body may already be here (the client did not wait): then no 100 is needed.
    if (expect.toLowerCase() === '100-continue') return this.buf.length === 0 ? { kind: 'continue' } : null;
    return this.fail(417, 'unsupported Expect');
  }
}
