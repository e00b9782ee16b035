// A small incremental HTTP/1.1 request parser for the tracker port. Trackers send tiny requests
// (a query string, or a form or JSON body of a few hundred bytes) many times a second over
// keep-alive connections; node:http's per-request objects (IncomingMessage, ServerResponse,
// header maps, streams) cost more than decoding and ingesting the position itself. This parser
// keeps one buffer per connection and yields plain request records.
//
// It is at least as strict as Node's own parser (llhttp, non-lenient) wherever leniency would be
// a risk — request smuggling (Content-Length with Transfer-Encoding, repeated Content-Length,
// Transfer-Encoding on HTTP/1.0), bare CR or LF anywhere in the framing, control bytes in
// header values, obsolete line folding, loose chunk lines, malformed trailers — and bounded
// everywhere: head, body, trailers, and the empty lines a client may send between requests.
// src/tracking/http1.differential.test.ts holds it to llhttp's verdicts and lists where it is
// deliberately stricter.

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

export type Http1Status = 400 | 413 | 417 | 431 | 501 | 505;

export type Http1Event =
  | { kind: 'request'; request: Http1Request }
  /** The client sent `Expect: 100-continue` and waits before sending its body. */
  | { kind: 'continue' }
  /** The connection must be answered with this status and closed; nothing after it is read. */
  | { kind: 'error'; status: Http1Status; reason: string };

export interface Http1Limits {
  /** Request line + headers (and any empty lines before them), bytes (node:http's default: 16 KiB). */
  maxHeadBytes: number;
  /** Decoded body, bytes. */
  maxBodyBytes: number;
  /** Trailer section of a chunked body, bytes (default 4 KiB). */
  maxTrailerBytes?: number;
  /** Trailer fields (default 32). */
  maxTrailers?: number;
}

const CRLF2 = Buffer.from('\r\n\r\n');
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const EMPTY = Buffer.alloc(0);
/** Any control byte but HTAB, and any CR or LF that is not part of a CRLF pair. */
// oxlint-disable-next-line no-control-regex -- control bytes are exactly what this refuses
const BAD_HEAD_BYTE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)|(?<!\r)\n/;
const BARE_CR_LF = /\r(?!\n)|(?<!\r)\n/;
/** In a single line (CRLF already removed): any control byte but HTAB. */
// oxlint-disable-next-line no-control-regex -- control bytes are exactly what this refuses
const BAD_LINE_BYTE = /[\x00-\x08\x0a-\x1f\x7f]/;
/** RFC 9112 §7.1: chunk-size [ chunk-ext ], with no whitespace (as llhttp, strict). Eight hex digits at most. */
const CHUNK_LINE = /^0*[0-9A-Fa-f]{1,8}(?:;[!#$%&'*+\-.^_`|~0-9A-Za-z]+(?:=(?:[!#$%&'*+\-.^_`|~0-9A-Za-z]+|"(?:[\t \x21\x23-\x5b\x5d-\x7e\x80-\xff]|\\[\t \x21-\x7e\x80-\xff])*"))?)*$/;
/** The methods a tracker (or anything else on this port) may use; CONNECT and TRACE have no business here. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

type State =
  | { at: 'head' }
  | { at: 'body'; request: Http1Request; remaining: number }
  | { at: 'chunk-size'; request: Http1Request; parts: Buffer[]; size: number }
  | { at: 'chunk-data'; request: Http1Request; parts: Buffer[]; size: number; remaining: number }
  | { at: 'chunk-end'; request: Http1Request; parts: Buffer[]; size: number }
  | { at: 'trailers'; request: Http1Request; parts: Buffer[]; size: number; bytes: number; count: number }
  | { at: 'dead' };

/** Trims HTTP's optional whitespace (SP, HTAB) only — String#trim would also eat obs-text such as 0xA0. */
function trimOws(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 9)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9)) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** An incomplete line's bytes from `from` on: a LF (no CRLF was found, so it is bare) or a CR followed by anything. */
function bareLineBreak(buf: Buffer, from: number): boolean {
  for (let i = buf.indexOf(10, from); i >= 0; i = buf.indexOf(10, i + 1)) if (i === 0 || buf[i - 1] !== 13) return true;
  for (let i = buf.indexOf(13, from); i >= 0 && i < buf.length - 1; i = buf.indexOf(13, i + 1)) if (buf[i + 1] !== 10) return true;
  return false;
}

/** "GET /path" and a line break, as HTTP/0.9 wrote it (named as such in the refusal). */
function versionless(head: string): boolean {
  return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+ +[\x21-\x7e]+\r?(?:\n|$)/.test(head);
}

export class Http1Parser {
  private buf: Buffer = EMPTY;
  private state: State = { at: 'head' };
  /** Bytes of empty lines skipped before the request now arriving (they count as its start). */
  private skipped = 0;
  /** How far an incomplete head has been checked for bare CR/LF (so a trickle is not rescanned). */
  private scanned = 0;
  private readonly maxTrailerBytes: number;
  private readonly maxTrailers: number;

  constructor(private readonly limits: Http1Limits) {
    this.maxTrailerBytes = limits.maxTrailerBytes ?? 4096;
    this.maxTrailers = limits.maxTrailers ?? 32;
  }

  /** Bytes received and not yet part of a complete request. */
  get pending(): number { return this.buf.length; }

  /**
   * True while a request has started and not yet been completed. Empty lines count as a start:
   * a client that sends nothing but CRLFs is a request that never arrives (408), not an idle one.
   */
  get midRequest(): boolean { return this.skipped > 0 || this.buf.length > 0 || this.state.at !== 'head'; }

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

  private fail(status: Http1Status, reason: string): Http1Event {
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
        if (eol < 0) {
          if (this.buf.length > 1024) return this.fail(400, 'chunk size line too long');
          return bareLineBreak(this.buf, 0) ? this.fail(400, 'bare CR or LF in chunk size line') : null;
        }
        if (eol > 1024) return this.fail(400, 'chunk size line too long');
        const line = this.buf.toString('latin1', 0, eol);
        if (!CHUNK_LINE.test(line)) {
          return this.fail(400, /[\r\n]/.test(line) ? 'bare CR or LF in chunk size line'
            : CHUNK_LINE.test(line.replace(/=(?=;|$)/g, '=x')) ? 'empty chunk extension value' : 'bad chunk size');
        }
        const semi = line.indexOf(';');
        const n = parseInt(semi >= 0 ? line.slice(0, semi) : line, 16);
        this.buf = this.buf.subarray(eol + 2);
        if (n === 0) { this.state = { at: 'trailers', request: s.request, parts: s.parts, size: s.size, bytes: 0, count: 0 }; return null; }
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
        if (this.buf.length < 2) return this.buf.length === 1 && this.buf[0] !== 13 ? this.fail(400, 'chunk not followed by CRLF') : null;
        if (this.buf[0] !== 13 || this.buf[1] !== 10) return this.fail(400, 'chunk not followed by CRLF');
        this.buf = this.buf.subarray(2);
        this.state = { at: 'chunk-size', request: s.request, parts: s.parts, size: s.size };
        return null;
      }
      case 'trailers': return this.trailer(s);
      case 'dead': return null;
    }
  }

  /** One trailer line: checked like a header field, counted and bounded, then ignored. */
  private trailer(s: Extract<State, { at: 'trailers' }>): Http1Event | null {
    const eol = this.buf.indexOf('\r\n');
    if (eol < 0) {
      if (s.bytes + this.buf.length > this.maxTrailerBytes) return this.fail(431, 'trailers too large');
      return bareLineBreak(this.buf, 0) ? this.fail(400, 'bare CR or LF in trailers') : null;
    }
    if (eol > 0) {
      s.bytes += eol + 2;
      s.count++;
      if (s.bytes > this.maxTrailerBytes || s.count > this.maxTrailers) return this.fail(431, 'trailers too large');
      const line = this.buf.toString('latin1', 0, eol);
      this.buf = this.buf.subarray(eol + 2);
      const bad = this.fieldProblem(line, true);
      return bad ? this.fail(400, `${bad} in trailers`) : null;
    }
    this.buf = this.buf.subarray(2);
    s.request.body = s.parts.length === 1 ? s.parts[0]! : Buffer.concat(s.parts);
    this.state = { at: 'head' };
    return { kind: 'request', request: s.request };
  }

  /** What is wrong with one header or trailer line, or null. */
  private fieldProblem(line: string, checkBytes: boolean): string | null {
    if (checkBytes && BAD_LINE_BYTE.test(line)) return /[\r\n]/.test(line) ? 'bare CR or LF' : 'control byte';
    if (line.charCodeAt(0) === 32 || line.charCodeAt(0) === 9) return 'obsolete line folding';
    const colon = line.indexOf(':');
    if (colon <= 0) return 'bad field line';
    if (!TOKEN.test(line.slice(0, colon))) return 'bad field name';
    return null;
  }

  private head(): Http1Event | null {
    // RFC 9112 §2.2: ignore at least one empty line before a request line — but count them, for
    // the head's size limit and its timer (see midRequest).
    let i = 0;
    while (i + 1 < this.buf.length && this.buf[i] === 13 && this.buf[i + 1] === 10) i += 2;
    if (i > 0) { this.skipped += i; this.buf = this.buf.subarray(i); }
    if (this.buf.length > 0 && (this.buf[0] === 10 || (this.buf[0] === 13 && this.buf.length > 1))) return this.fail(400, 'bare CR or LF before the request line');
    const end = this.buf.indexOf(CRLF2);
    if (end < 0) {
      if (this.skipped + this.buf.length > this.limits.maxHeadBytes) return this.fail(431, 'request head too large');
      // Refuse a bare LF at once rather than wait for a CRLF CRLF that may never come.
      const bad = bareLineBreak(this.buf, Math.max(0, this.scanned - 1));
      this.scanned = this.buf.length;
      return bad ? this.fail(400, versionless(this.buf.toString('latin1', 0, Math.min(this.buf.length, 8192))) ? 'request line without an HTTP version' : 'bare CR or LF in request head') : null;
    }
    if (this.skipped + end + 4 > this.limits.maxHeadBytes) return this.fail(431, 'request head too large');
    const head = this.buf.toString('latin1', 0, end);
    this.buf = this.buf.subarray(end + 4);
    this.skipped = 0;
    this.scanned = 0;
    if (BAD_HEAD_BYTE.test(head)) {
      return this.fail(400, versionless(head) ? 'request line without an HTTP version' : BARE_CR_LF.test(head) ? 'bare CR or LF in request head' : 'control byte in request head');
    }

    const lineEnd = head.indexOf('\r\n');
    const requestLine = lineEnd < 0 ? head : head.slice(0, lineEnd);
    if (requestLine.includes('  ')) return this.fail(400, 'repeated spaces in the request line');
    const sp1 = requestLine.indexOf(' ');
    const sp2 = requestLine.indexOf(' ', sp1 + 1);
    if (sp1 > 0 && sp2 < 0 && sp1 + 1 < requestLine.length) return this.fail(400, 'request line without an HTTP version');
    if (sp1 <= 0 || sp2 <= sp1 + 1 || requestLine.indexOf(' ', sp2 + 1) >= 0) return this.fail(400, 'bad request line');
    const method = requestLine.slice(0, sp1);
    const target = requestLine.slice(sp1 + 1, sp2);
    const version = requestLine.slice(sp2 + 1);
    if (!TOKEN.test(method)) return this.fail(400, 'bad method');
    if (!/^[\x21-\x7e]+$/.test(target)) return this.fail(400, 'bad request target');
    // A path (origin-form) or "*": trackers talk to this port directly, never through it as a proxy.
    if (target.charCodeAt(0) !== 47 && target !== '*') return this.fail(400, 'request target not a path');
    let http10: boolean;
    if (version === 'HTTP/1.1') http10 = false;
    else if (version === 'HTTP/1.0') http10 = true;
    else return /^HTTP\/\d\.\d$/.test(version) ? this.fail(505, 'HTTP version not supported') : this.fail(400, 'bad HTTP version');
    if (!METHODS.has(method)) return this.fail(501, 'method not implemented');

    const headers = new Map<string, string>();
    let contentLength: string | undefined;
    let pos = lineEnd < 0 ? head.length : lineEnd + 2;
    while (pos < head.length) {
      let next = head.indexOf('\r\n', pos);
      if (next < 0) next = head.length;
      const line = head.slice(pos, next);
      pos = next + 2;
      // Bytes were checked for the whole head above.
      const bad = this.fieldProblem(line, false);
      if (bad) return this.fail(400, bad === 'obsolete line folding' ? 'obsolete header line folding' : bad === 'bad field name' ? 'bad header name' : 'bad header line');
      const colon = line.indexOf(':');
      const key = line.slice(0, colon).toLowerCase();
      const raw = line.slice(colon + 1);
      const value = trimOws(raw);
      if (key === 'content-length') {
        // Even a repeated identical value is refused, as llhttp does: one framing, stated once.
        if (contentLength !== undefined) return this.fail(400, 'repeated Content-Length');
        // Digits, with spaces around (a tab after them is refused, as llhttp does).
        if (!/^[ \t]*\d{1,15} *$/.test(raw)) return this.fail(400, 'bad Content-Length');
        contentLength = value;
      }
      const prev = headers.get(key);
      headers.set(key, prev === undefined ? value : `${prev}, ${value}`);
    }

    const connection = (headers.get('connection') ?? '').toLowerCase();
    const keepAlive = http10 ? /(^|,)\s*keep-alive\s*(,|$)/.test(connection) : !/(^|,)\s*close\s*(,|$)/.test(connection);
    const request: Http1Request = { method, target, headers, body: EMPTY, keepAlive, http10 };
    // RFC 9110 §10.1.1: Expect is an HTTP/1.1 mechanism; an HTTP/1.0 request's is ignored.
    const expect = http10 ? undefined : headers.get('expect');
    const wantsContinue = expect !== undefined && expect.toLowerCase() === '100-continue';
    if (expect !== undefined && !wantsContinue) return this.fail(417, 'unsupported Expect');
    const te = headers.get('transfer-encoding');
    if (te !== undefined) {
      if (contentLength !== undefined) return this.fail(400, 'both Transfer-Encoding and Content-Length');
      // RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message means its framing is faulty.
      if (http10) return this.fail(400, 'Transfer-Encoding in HTTP/1.0');
      if (te.toLowerCase() !== 'chunked') return this.fail(501, 'unsupported Transfer-Encoding');
      this.state = { at: 'chunk-size', request, parts: [], size: 0 };
      return this.continueIfWaiting(wantsContinue);
    }
    if (contentLength === undefined || contentLength === '0') return { kind: 'request', request };
    if (!/^\d{1,15}$/.test(contentLength)) return this.fail(400, 'bad Content-Length');
    const length = Number(contentLength);
    if (length > this.limits.maxBodyBytes) return this.fail(413, 'body too large');
    if (length === 0) return { kind: 'request', request };
    this.state = { at: 'body', request, remaining: length };
    return this.continueIfWaiting(wantsContinue);
  }

  /** The body may already be here (the client did not wait): then no 100 is needed. */
  private continueIfWaiting(wantsContinue: boolean): Http1Event | null {
    return wantsContinue && this.buf.length === 0 ? { kind: 'continue' } : null;
  }
}
