// One upstream message → normalized events on EVT_EVENTS and rejections on EVT_DLQ. Resolves only once every
// resulting record is durably stored, so the caller may ack upstream; throws when the internal bus failed.
import {
  type ClusterRef,
  deadLetter,
  type EventEnvelope,
  eventSubject,
  hdrsToRecord,
  type PipelinedPublisher,
  truncateBody,
} from "@evtrigger/bus";
import type { JetStreamClient } from "@nats-io/jetstream";
import type { MsgHdrs } from "@nats-io/transport-node";
import { encodeEnvelope, isoNow } from "./envelope.js";
import type { GatewayMetrics, LoggerLike } from "./metrics.js";
import { contentHash, coreMsgId, jetStreamMsgId, rejectMsgId } from "./msgid.js";
import { headerMap, normalizeMessage } from "./normalize/normalize.js";
import {
  type HeaderMap,
  type Normalized,
  type NormalizedEvent,
  type NormalizeLimits,
  rejectLabel,
} from "./normalize/types.js";
import { clusterKey } from "./source.js";
import type { TraceRunner } from "./trace.js";

export interface Upstream {
  cluster: ClusterRef;
  /** The configured entry that received it: core subject pattern or JetStream stream name. */
  subscription: string;
  transport: "nats" | "jetstream";
}

export interface UpstreamMessage {
  subject: string;
  data: Uint8Array;
  headers?: MsgHdrs;
  /** JetStream position, when the message came from a stream (`created`: the stream's creation time, if known). */
  js?: { stream: string; seq: number; created?: string };
}

export interface IngestDeps {
  js: JetStreamClient;
  /** Hot-path publisher for events (dead letters, rare, go through libs/bus). */
  publisher: PipelinedPublisher;
  limits: NormalizeLimits;
  metrics: GatewayMetrics;
  logger: LoggerLike;
  trace: TraceRunner;
  /** How long to keep retrying an internal publish before giving up (the upstream message is then nak'ed). */
  publishRetryMs: number;
}

const EMPTY: HeaderMap = new Map();

function toHeaderMap(h: MsgHdrs | undefined): HeaderMap {
  if (!h) return EMPTY;
  const entries: [string, string][] = [];
  for (const k of h.keys()) entries.push([k, h.get(k)]);
  return headerMap(entries);
}

export type Ingest = (up: Upstream, m: UpstreamMessage) => Promise<void>;

/** Names derived from a cluster, computed once per cluster object (the supervisor keeps one per cluster). */
interface ClusterNames {
  key: string;
  subject: string;
}

export function createIngest(d: IngestDeps): Ingest {
  const names = new WeakMap<ClusterRef, ClusterNames>();
  const namesOf = (c: ClusterRef): ClusterNames => {
    let n = names.get(c);
    if (!n) {
      n = { key: clusterKey(c), subject: eventSubject(c) };
      names.set(c, n);
    }
    return n;
  };
  return (up, m) => {
    try {
      const cn = namesOf(up.cluster);
      d.metrics.received(cn.key, up.transport);
      const headers = toHeaderMap(m.headers);
      const n = normalizeMessage(m.data, headers, d.limits);
      if (n.events.length !== 1 || n.rejections.length !== 0) return ingestAll(d, cn, up, m, headers, n);
      // One valid event, the common case: its publish alone, without the bookkeeping of several writes.
      const ne = n.events[0]!;
      const msgId = m.js
        ? jetStreamMsgId(up.cluster, m.js.stream, m.js.seq, ne.index)
        : coreMsgId(up.cluster, ne.event, contentHash(m.data, n.mode === "binary" ? headers : undefined), ne.index);
      return publishEvent(d, cn, up, m, ne, headers, msgId, isoNow()).then(
        () => {
          d.metrics.normalized(cn.key, 1);
          d.metrics.published(cn.key, 1);
        },
        (err: unknown) => {
          d.metrics.publishFailed(cn.key);
          throw err;
        },
      );
    } catch (err) {
      return Promise.reject(err); // callers chain on the promise: never throw synchronously
    }
  };
}

/** Any number of events and rejections: settles every write, then fails if any failed. */
async function ingestAll(
  d: IngestDeps,
  cn: ClusterNames,
  up: Upstream,
  m: UpstreamMessage,
  headers: HeaderMap,
  n: Normalized,
): Promise<void> {
  const cluster = cn.key;
  let hash: string | undefined;
  const coreHash = () => {
    hash ??= contentHash(m.data, n.mode === "binary" ? headers : undefined);
    return hash;
  };
  const writes: Promise<unknown>[] = [];
  const receivedAt = isoNow();
  for (const ne of n.events) {
    const msgId = m.js
      ? jetStreamMsgId(up.cluster, m.js.stream, m.js.seq, ne.index)
      : coreMsgId(up.cluster, ne.event, coreHash(), ne.index);
    writes.push(publishEvent(d, cn, up, m, ne, headers, msgId, receivedAt));
  }
  for (const r of n.rejections) {
    const letter = {
      stage: "gateway" as const,
      code: r.code,
      reason: r.reason,
      field: r.field,
      cluster: up.cluster,
      natsSubject: m.subject,
      headers: hdrsToRecord(m.headers),
      ...truncateBody(m.data),
    };
    const id = rejectMsgId(up.cluster, m.js ?? coreHash(), r.index);
    writes.push(deadLetter(d.js, letter, id));
    // Bodies never at info level: the reason names the field, the DLQ keeps the (truncated) body.
    d.logger.info("rejected", { cluster, natsSubject: m.subject, code: r.code, reason: r.reason });
  }
  const results = await Promise.allSettled(writes);
  const failed = results.find((r) => r.status === "rejected");
  if (failed) {
    d.metrics.publishFailed(cluster);
    throw (failed as PromiseRejectedResult).reason;
  }
  d.metrics.normalized(cluster, n.events.length);
  d.metrics.published(cluster, n.events.length);
  for (const r of n.rejections) d.metrics.rejected(cluster, rejectLabel(r.code), r.code);
}

function publishEvent(
  d: IngestDeps,
  cn: ClusterNames,
  up: Upstream,
  m: UpstreamMessage,
  ne: NormalizedEvent,
  upstreamHeaders: HeaderMap,
  msgId: string,
  receivedAt: string,
): Promise<unknown> {
  const { event } = ne;
  const natsSubject = m.subject;
  const { cluster, subscription, transport } = up;
  // Members in encodeRecord's order; `upstream` only when the stream's incarnation is known.
  const js = m.js;
  const env: EventEnvelope = js?.created
    ? {
        v: 1,
        cluster,
        natsSubject,
        subscription,
        transport,
        receivedAt,
        upstream: { stream: js.stream, created: js.created, seq: js.seq, index: ne.index ?? 0 },
        event,
      }
    : { v: 1, cluster, natsSubject, subscription, transport, receivedAt, event };
  return d.trace(event, upstreamHeaders, { cluster: cn.key, natsSubject }, (traceparent) =>
    d.publisher.publish(cn.subject, encodeEnvelope(env, ne.json), {
      msgId,
      headers: { traceparent },
      retryForMs: d.publishRetryMs,
      timeoutMs: Math.min(5000, d.publishRetryMs),
    }),
  );
}
