// The NATS side of the bus: the connection (reconnecting forever), the stream (created or brought to
// the configured settings), and the relay's publish function. Stays within nats-server 2.9.10.
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import {
  DiscardPolicy, JetStreamApiCodes, JetStreamApiError, RetentionPolicy, StorageType,
  jetstreamManager, type JetStreamClient, type StreamConfig,
} from '@nats-io/jetstream';
import type { Publish } from './relay.js';
import type { OutboxRow } from './outbox.js';

export interface NatsSettings {
  servers: string[];
  /** Stream name (tests use a unique one). */
  stream: string;
  /** First subject token; the stream holds `<prefix>.>`. */
  subjectPrefix: string;
  replicas: number;
  maxAgeMs: number;
  duplicateWindowMs: number;
  /** Shown in the server's connection list (`nats server report connections`). */
  connectionName?: string;
}

/** Connects, waiting for a first server if none answers yet, and never giving up reconnecting. */
export function connectNats(s: Pick<NatsSettings, 'servers' | 'connectionName'>): Promise<NatsConnection> {
  return connect({
    servers: s.servers,
    name: s.connectionName ?? 'cuadrante',
    // The client's default gives up after 10 attempts: a server must outlive any NATS restart.
    maxReconnectAttempts: -1,
    waitOnFirstConnect: true,
    reconnectTimeWait: 500,
    // A server that vanished without a reset (a dead host) is noticed after ~10 s, not the client's
    // default 2 × 2 min: meanwhile this instance would look ready while nothing crosses.
    pingInterval: 5000,
    maxPingOut: 2,
  });
}

export function streamConfig(s: NatsSettings): Partial<StreamConfig> & { name: string } {
  return {
    name: s.stream,
    subjects: [`${s.subjectPrefix}.>`],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    num_replicas: s.replicas,
    max_age: nanos(s.maxAgeMs),
    // Explicit: the relay's re-sends after a lost ack are dropped only inside this window.
    duplicate_window: nanos(s.duplicateWindowMs),
  };
}

/** Creates the stream, or updates the settings we own on an existing one (several instances race here harmlessly). */
export async function ensureStream(nc: NatsConnection, s: NatsSettings): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const want = streamConfig(s);
  let current: StreamConfig;
  try {
    current = (await jsm.streams.info(s.stream)).config;
  } catch (err) {
    if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound)) throw err;
    try {
      await jsm.streams.add(want);
      return;
    } catch (addErr) {
      // Another instance created it first (code 10058: stream name in use): fall through to compare.
      if (!(addErr instanceof JetStreamApiError && addErr.code === 10058)) throw addErr;
      current = (await jsm.streams.info(s.stream)).config;
    }
  }
  const differs = current.num_replicas !== want.num_replicas || current.max_age !== want.max_age
    || current.duplicate_window !== want.duplicate_window || current.subjects.join() !== want.subjects!.join();
  if (differs) {
    await jsm.streams.update(s.stream, { subjects: want.subjects!, num_replicas: want.num_replicas!, max_age: want.max_age!, duplicate_window: want.duplicate_window! });
  }
}

/** Deletes a stream (tests; an operator resetting a deployment). Missing is fine. */
export async function deleteStream(nc: NatsConnection, stream: string): Promise<void> {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.delete(stream).catch((err: unknown) => {
    if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound)) throw err;
  });
}

export function wireSubject(prefix: string, subject: string): string {
  return `${prefix}.${subject}`;
}

/** The relay's publish: the whole event as JSON, Nats-Msg-Id = the event id, into `stream` only. */
export function jetStreamPublisher(js: JetStreamClient, s: Pick<NatsSettings, 'stream' | 'subjectPrefix'>, timeoutMs = 5000): Publish {
  const encoder = new TextEncoder();
  return async (row: OutboxRow) => {
    // The payload is already JSON: spliced in, not parsed and serialised again.
    const body = `{"id":${JSON.stringify(row.id)},"subject":${JSON.stringify(row.subject)},"at":${row.at},"payload":${row.payload}}`;
    const ack = await js.publish(wireSubject(s.subjectPrefix, row.subject), encoder.encode(body), {
      msgID: row.id, timeout: timeoutMs, expect: { streamName: s.stream }, retries: 0,
    });
    return { duplicate: ack.duplicate };
  };
}
