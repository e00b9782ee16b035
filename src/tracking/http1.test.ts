import { describe, expect, it } from 'vitest';
import { Http1Parser, type Http1Event } from './http1.js';

const limits = { maxHeadBytes: 1024, maxBodyBytes: 256 };

function parse(raw: string, chunkSize = Infinity): Http1Event[] {
  const p = new Http1Parser(limits);
  const bytes = Buffer.from(raw, 'utf8');
  const out: Http1Event[] = [];
  for (let i = 0; i < bytes.length; i += Math.min(chunkSize, bytes.length)) p.push(bytes.subarray(i, i + chunkSize), out);
  return out;
}

/** What a test compares: each event with the request's body as text and headers as an object. */
function summary(events: Http1Event[]) {
  return events.map((e) => e.kind !== 'request' ? e : {
    kind: e.kind, method: e.request.method, target: e.request.target, keepAlive: e.request.keepAlive, http10: e.request.http10,
    headers: Object.fromEntries(e.request.headers), body: e.request.body.toString('utf8'),
  });
}

const req = (method: string, target: string, headers: Record<string, string> = {}, body = '', version = 'HTTP/1.1') =>
  `${method} ${target} ${version}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${body}`;

describe('HTTP/1.1 request parser (tracker port)', () => {
  const cases: { name: string; raw: string; expected: unknown[] }[] = [
    { name: 'Traccar Client ≤ 8: POST with everything in the query, no body',
      raw: req('POST', '/?id=123&lat=19.4&lon=-99.1', { Host: 'x:5055', 'Content-Length': '0' }),
      expected: [{ kind: 'request', method: 'POST', target: '/?id=123&lat=19.4&lon=-99.1', keepAlive: true, http10: false, headers: { host: 'x:5055', 'content-length': '0' }, body: '' }] },
    { name: 'GET without any header',
      raw: req('GET', '/?id=1'),
      expected: [{ kind: 'request', method: 'GET', target: '/?id=1', keepAlive: true, http10: false, headers: {}, body: '' }] },
    { name: 'a JSON body with Content-Length (Traccar Client 9), header names in any case',
      raw: req('POST', '/', { 'CONTENT-type': 'application/json', 'Content-Length': '15' }, '{"a":"ñandú"}'),
      expected: [{ kind: 'request', method: 'POST', target: '/', keepAlive: true, http10: false, headers: { 'content-type': 'application/json', 'content-length': '15' }, body: '{"a":"ñandú"}' }] },
    { name: 'three pipelined requests in one chunk, in order',
      raw: req('GET', '/?n=1') + req('POST', '/?n=2', { 'Content-Length': '3' }, 'abc') + req('GET', '/?n=3'),
      expected: [
        { kind: 'request', method: 'GET', target: '/?n=1', keepAlive: true, http10: false, headers: {}, body: '' },
        { kind: 'request', method: 'POST', target: '/?n=2', keepAlive: true, http10: false, headers: { 'content-length': '3' }, body: 'abc' },
        { kind: 'request', method: 'GET', target: '/?n=3', keepAlive: true, http10: false, headers: {}, body: '' },
      ] },
    { name: 'a chunked body with an extension and a trailer',
      raw: req('POST', '/', { 'Transfer-Encoding': 'chunked' }, '4;ext=1\r\nid=1\r\nA\r\n&lat=19.40\r\n0\r\nX-Trailer: y\r\n\r\n'),
      expected: [{ kind: 'request', method: 'POST', target: '/', keepAlive: true, http10: false, headers: { 'transfer-encoding': 'chunked' }, body: 'id=1&lat=19.40' }] },
    { name: 'Connection: close ends the connection after the answer',
      raw: req('GET', '/', { Connection: 'close' }),
      expected: [{ kind: 'request', method: 'GET', target: '/', keepAlive: false, http10: false, headers: { connection: 'close' }, body: '' }] },
    { name: 'HTTP/1.0 closes unless it asks for keep-alive',
      raw: req('GET', '/a', {}, '', 'HTTP/1.0') + req('GET', '/b', { Connection: 'Keep-Alive' }, '', 'HTTP/1.0'),
      expected: [
        { kind: 'request', method: 'GET', target: '/a', keepAlive: false, http10: true, headers: {}, body: '' },
        { kind: 'request', method: 'GET', target: '/b', keepAlive: true, http10: true, headers: { connection: 'Keep-Alive' }, body: '' },
      ] },
    { name: 'empty lines before a request line are ignored; repeated headers are joined',
      raw: `\r\n\r\n${req('GET', '/', { 'X-A': '1' }).replace('\r\n\r\n', '\r\nX-A: 2\r\n\r\n')}`,
      expected: [{ kind: 'request', method: 'GET', target: '/', keepAlive: true, http10: false, headers: { 'x-a': '1, 2' }, body: '' }] },
    { name: 'Expect: 100-continue asks to go on before the body',
      raw: req('POST', '/', { 'Content-Length': '2', Expect: '100-continue' }),
      expected: [{ kind: 'continue' }] },
    // Refusals: the connection is answered and closed; nothing after is read.
    { name: 'Content-Length and Transfer-Encoding together (request smuggling)',
      raw: req('POST', '/', { 'Content-Length': '3', 'Transfer-Encoding': 'chunked' }, '0\r\n\r\n') + req('GET', '/smuggled'),
      expected: [{ kind: 'error', status: 400, reason: 'both Transfer-Encoding and Content-Length' }] },
    { name: 'two different Content-Lengths',
      raw: req('POST', '/', { 'Content-Length': '3' }).replace('\r\n\r\n', '\r\nContent-Length: 4\r\n\r\n') + 'abcd',
      expected: [{ kind: 'error', status: 400, reason: 'repeated Content-Length' }] },
    { name: 'even the same Content-Length twice (as llhttp)',
      raw: req('POST', '/', { 'Content-Length': '2' }).replace('\r\n\r\n', '\r\nContent-Length: 2\r\n\r\n') + 'ok',
      expected: [{ kind: 'error', status: 400, reason: 'repeated Content-Length' }] },
    { name: 'a bare LF inside a header value (it would split the header for a lenient reader behind us)',
      raw: 'GET / HTTP/1.1\r\nX-A: 1\nContent-Length: 5\r\n\r\nhello',
      expected: [{ kind: 'error', status: 400, reason: 'bare CR or LF in request head' }] },
    { name: 'a bare CR inside a header value', raw: 'GET / HTTP/1.1\r\nX-A: 1\r2\r\n\r\n', expected: [{ kind: 'error', status: 400, reason: 'bare CR or LF in request head' }] },
    { name: 'LF line endings: refused at once, without waiting for a CRLF CRLF that never comes',
      raw: 'GET / HTTP/1.1\nHost: t\n', expected: [{ kind: 'error', status: 400, reason: 'bare CR or LF in request head' }] },
    { name: 'a NUL in a header value', raw: 'GET / HTTP/1.1\r\nX-A: a\u0000b\r\n\r\n', expected: [{ kind: 'error', status: 400, reason: 'control byte in request head' }] },
    { name: 'a bare LF inside a chunk extension', raw: req('POST', '/', { 'Transfer-Encoding': 'chunked' }, '2;a\nb\r\nok\r\n0\r\n\r\n'),
      expected: [{ kind: 'error', status: 400, reason: 'bare CR or LF in chunk size line' }] },
    { name: 'whitespace in a chunk size line', raw: req('POST', '/', { 'Transfer-Encoding': 'chunked' }, '2 ;a\r\nok\r\n0\r\n\r\n'),
      expected: [{ kind: 'error', status: 400, reason: 'bad chunk size' }] },
    { name: 'a malformed trailer', raw: req('POST', '/', { 'Transfer-Encoding': 'chunked' }, '2\r\nok\r\n0\r\nnonsense\r\n\r\n'),
      expected: [{ kind: 'error', status: 400, reason: 'bad field line in trailers' }] },
    { name: 'a bare LF inside a trailer', raw: req('POST', '/', { 'Transfer-Encoding': 'chunked' }, '2\r\nok\r\n0\r\nX-T: 1\nY: 2\r\n\r\n'),
      expected: [{ kind: 'error', status: 400, reason: 'bare CR or LF in trailers' }] },
    { name: 'more than 32 trailer fields', raw: req('POST', '/', { 'Transfer-Encoding': 'chunked' }, `2\r\nok\r\n0\r\n${'X-T: 1\r\n'.repeat(33)}\r\n`),
      expected: [{ kind: 'error', status: 431, reason: 'trailers too large' }] },
    { name: 'trailers over 4 KiB', raw: req('POST', '/', { 'Transfer-Encoding': 'chunked' }, `2\r\nok\r\n0\r\nX-T: ${'t'.repeat(4100)}\r\n\r\n`),
      expected: [{ kind: 'error', status: 431, reason: 'trailers too large' }] },
    { name: 'a trailer line that never ends, over 4 KiB', raw: req('POST', '/', { 'Transfer-Encoding': 'chunked' }, `2\r\nok\r\n0\r\nX-T: ${'t'.repeat(4100)}`),
      expected: [{ kind: 'error', status: 431, reason: 'trailers too large' }] },
    { name: 'empty lines count towards the head limit', raw: '\r\n'.repeat(600),
      expected: [{ kind: 'error', status: 431, reason: 'request head too large' }] },
    { name: 'Transfer-Encoding in HTTP/1.0', raw: req('POST', '/', { 'Transfer-Encoding': 'chunked' }, '0\r\n\r\n', 'HTTP/1.0'),
      expected: [{ kind: 'error', status: 400, reason: 'Transfer-Encoding in HTTP/1.0' }] },
    { name: 'an absolute URL as the target', raw: 'GET http://x/?id=1 HTTP/1.1\r\n\r\n', expected: [{ kind: 'error', status: 400, reason: 'request target not a path' }] },
    { name: 'CONNECT (an authority as the target, not a path)', raw: 'CONNECT x:443 HTTP/1.1\r\n\r\n', expected: [{ kind: 'error', status: 400, reason: 'request target not a path' }] },
    { name: 'a WebDAV method', raw: 'PROPFIND / HTTP/1.1\r\n\r\n', expected: [{ kind: 'error', status: 501, reason: 'method not implemented' }] },
    { name: 'a Content-Length that is not a number',
      raw: req('POST', '/', { 'Content-Length': '-1' }), expected: [{ kind: 'error', status: 400, reason: 'bad Content-Length' }] },
    { name: 'a transfer coding other than chunked',
      raw: req('POST', '/', { 'Transfer-Encoding': 'gzip' }), expected: [{ kind: 'error', status: 501, reason: 'unsupported Transfer-Encoding' }] },
    { name: 'a declared body over the limit',
      raw: req('POST', '/', { 'Content-Length': '257' }), expected: [{ kind: 'error', status: 413, reason: 'body too large' }] },
    { name: 'a chunked body growing over the limit',
      raw: req('POST', '/', { 'Transfer-Encoding': 'chunked' }, `80\r\n${'a'.repeat(128)}\r\n81\r\n`),
      expected: [{ kind: 'error', status: 413, reason: 'body too large' }] },
    { name: 'a bad chunk size', raw: req('POST', '/', { 'Transfer-Encoding': 'chunked' }, 'zz\r\n'), expected: [{ kind: 'error', status: 400, reason: 'bad chunk size' }] },
    { name: 'a chunk longer than it said', raw: req('POST', '/', { 'Transfer-Encoding': 'chunked' }, '2\r\nabc\r\n'), expected: [{ kind: 'error', status: 400, reason: 'chunk not followed by CRLF' }] },
    { name: 'a head over the limit (no end in sight)', raw: `GET /?${'a'.repeat(1100)}`, expected: [{ kind: 'error', status: 431, reason: 'request head too large' }] },
    { name: 'a head over the limit (complete)', raw: req('GET', '/', { 'X-Big': 'b'.repeat(1100) }), expected: [{ kind: 'error', status: 431, reason: 'request head too large' }] },
    { name: 'obsolete line folding', raw: 'GET / HTTP/1.1\r\nX-A: 1\r\n  folded\r\n\r\n', expected: [{ kind: 'error', status: 400, reason: 'obsolete header line folding' }] },
    { name: 'a header line without a colon', raw: 'GET / HTTP/1.1\r\nnonsense\r\n\r\n', expected: [{ kind: 'error', status: 400, reason: 'bad header line' }] },
    { name: 'a space in a header name', raw: 'GET / HTTP/1.1\r\nX A: 1\r\n\r\n', expected: [{ kind: 'error', status: 400, reason: 'bad header name' }] },
    { name: 'not HTTP at all', raw: 'GARBAGE\r\n\r\n', expected: [{ kind: 'error', status: 400, reason: 'bad request line' }] },
    { name: 'a space in the target', raw: 'GET /a b HTTP/1.1\r\n\r\n', expected: [{ kind: 'error', status: 400, reason: 'bad request line' }] },
    { name: 'a control byte in the target', raw: 'GET /\x01 HTTP/1.1\r\n\r\n', expected: [{ kind: 'error', status: 400, reason: 'control byte in request head' }] },
    { name: 'HTTP/2.0 on an HTTP/1 port', raw: 'GET / HTTP/2.0\r\n\r\n', expected: [{ kind: 'error', status: 505, reason: 'HTTP version not supported' }] },
    { name: 'an Expect it cannot meet', raw: req('POST', '/', { 'Content-Length': '1', Expect: 'magic' }), expected: [{ kind: 'error', status: 417, reason: 'unsupported Expect' }] },
    { name: 'an Expect it cannot meet, even without a body', raw: req('GET', '/', { Expect: 'magic' }), expected: [{ kind: 'error', status: 417, reason: 'unsupported Expect' }] },
    { name: 'a good request, then a bad one, then a good one: the first is served, nothing after the error',
      raw: req('GET', '/?n=1') + 'BAD\r\n\r\n' + req('GET', '/?n=3'),
      expected: [
        { kind: 'request', method: 'GET', target: '/?n=1', keepAlive: true, http10: false, headers: {}, body: '' },
        { kind: 'error', status: 400, reason: 'bad request line' },
      ] },
  ];

  for (const c of cases) {
    it(c.name, () => {
      expect(summary(parse(c.raw))).toEqual(c.expected);
      // The same bytes arriving one at a time, or in odd pieces, parse the same.
      expect(summary(parse(c.raw, 1))).toEqual(c.expected);
      expect(summary(parse(c.raw, 7))).toEqual(c.expected);
    });
  }

  it('Expect: 100-continue: the body then completes the request', () => {
    const p = new Http1Parser(limits);
    expect(p.push(Buffer.from(req('POST', '/', { 'Content-Length': '4', Expect: '100-continue' })))).toEqual([{ kind: 'continue' }]);
    expect(p.midRequest).toBe(true);
    const [e] = p.push(Buffer.from('id=1'));
    expect(e?.kind === 'request' && e.request.body.toString()).toBe('id=1');
    expect(p.midRequest).toBe(false);
  });

  it('a client that did not wait: body already there, no 100', () => {
    expect(summary(parse(req('POST', '/', { 'Content-Length': '4', Expect: '100-continue' }, 'id=1'))).map((e) => e.kind)).toEqual(['request']);
  });

  it('empty lines between requests count as a request that has started (a CRLF trickle is not idle)', () => {
    const p = new Http1Parser(limits);
    p.push(Buffer.from(req('GET', '/')));
    expect(p.midRequest).toBe(false);
    for (let i = 0; i < 10; i++) {
      expect(p.push(Buffer.from('\r\n'))).toEqual([]);
      expect(p.midRequest).toBe(true);
    }
    // The request that finally arrives is served, and only then is the connection idle again.
    expect(p.push(Buffer.from(req('GET', '/?n=2'))).map((e) => e.kind)).toEqual(['request']);
    expect(p.midRequest).toBe(false);
  });

  it('keeps nothing once a request is complete, and says when one is half-way', () => {
    const p = new Http1Parser(limits);
    p.push(Buffer.from('GET / HT'));
    expect(p.midRequest).toBe(true);
    p.push(Buffer.from('TP/1.1\r\n\r\n'));
    expect(p.midRequest).toBe(false);
    expect(p.pending).toBe(0);
  });

  it('random bytes never throw and never yield a request after an error', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const alphabet = 'GET POST / ?=&: \r\n0123456789abcdefHTTP/1.1Content-Length:Transfer-Encoding:chunked\r\n\r\n';
    for (let i = 0; i < 2000; i++) {
      const p = new Http1Parser(limits);
      const events: Http1Event[] = [];
      for (let k = 0; k < 8; k++) {
        const s = Array.from({ length: Math.floor(rnd() * 60) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
        expect(() => p.push(Buffer.from(s, 'latin1'), events)).not.toThrow();
      }
      const err = events.findIndex((e) => e.kind === 'error');
      if (err >= 0) expect(events.length).toBe(err + 1);
    }
  });
});
