// Decoder for the OsmAnd HTTP protocol as the Traccar server reads it (docs/TRACKERS.md;
// /work/shared/standards/traccar-osmand.md): the query / form format of OsmAnd trackers and
// Traccar Client ≤ 8 and 10, the JSON object of Traccar Client 9, and Client 10's JSON array.
// It only translates a request into reports; whether the device is registered, and whether the
// numbers are plausible, is decided after it (ranges, (0,0), future times: pipeline.ts).
import { isProblem, type Batch, type Problem, type Settings } from './osmand/common.js';
import { decodePairs, formPairs } from './osmand/form.js';
import { decodeJsonBody } from './osmand/json.js';
import type { DeviceReport } from './report.js';

export type OsmAndDecoded =
  | { ok: true; format: 'form' | 'json'; deviceId: string; reports: DeviceReport[] }
  | { ok: false; format: 'form' | 'json'; status: 400; reason: 'missing_id' | 'malformed' | 'too_many'; message: string };

export interface OsmAndInput {
  /** The raw query string, without '?'. */
  query: string;
  body: string;
  contentType: string | undefined;
}

export interface OsmAndOptions {
  /** Offset of the server's local time from UTC, minutes, for `yyyy-MM-dd HH:mm:ss` (CDMX: -360). */
  localOffsetMinutes: number;
  /** JSON arrays (Traccar Client 10 uploadJson) larger than this are refused. */
  maxReports?: number;
}

export const DEFAULT_MAX_REPORTS = 100;

/** Returned, never thrown, if a bug slips through: a tracker's bytes must not become a 500. */
export const UNEXPECTED_FAILURE = 'the request could not be decoded';

export function decodeOsmAnd(input: OsmAndInput, opts: OsmAndOptions): OsmAndDecoded {
  const query = typeof input.query === 'string' ? input.query : '';
  const body = typeof input.body === 'string' ? input.body : '';
  const format = chooseFormat(query, body, input.contentType);
  try {
    const settings = resolve(opts);
    return present(format, format === 'json' ? decodeJsonBody(body, settings) : decodeForm(query, body, settings));
  } catch {
    return { ok: false, format, status: 400, reason: 'malformed', message: UNEXPECTED_FAILURE };
  }
}

/**
 * JSON when the Content-Type says so (as Traccar), except that an empty JSON body with parameters
 * in the URL is read as the query form: some HTTP libraries label every POST application/json.
 * No sniffing otherwise: a JSON body sent as text/plain is read as a form, as Traccar would.
 */
function chooseFormat(query: string, body: string, contentType: string | undefined): 'form' | 'json' {
  const json = typeof contentType === 'string' && contentType.trim().toLowerCase().startsWith('application/json');
  if (!json) return 'form';
  return body.trim() === '' && new URLSearchParams(query).size > 0 ? 'form' : 'json';
}

function decodeForm(query: string, body: string, settings: Settings): Batch | Problem {
  const r = decodePairs(formPairs(query, body), settings.localOffsetMinutes);
  return isProblem(r) ? r : { deviceId: r.deviceId, reports: [r.report] };
}

function resolve(opts: OsmAndOptions): Settings {
  const max = opts.maxReports;
  return {
    localOffsetMinutes: Number.isFinite(opts.localOffsetMinutes) ? opts.localOffsetMinutes : 0,
    maxReports: max !== undefined && Number.isFinite(max) && max >= 1 ? Math.floor(max) : DEFAULT_MAX_REPORTS,
  };
}

function present(format: 'form' | 'json', r: Batch | Problem): OsmAndDecoded {
  return isProblem(r)
    ? { ok: false, format, status: 400, reason: r.problem, message: r.message }
    : { ok: true, format, deviceId: r.deviceId, reports: r.reports };
}
