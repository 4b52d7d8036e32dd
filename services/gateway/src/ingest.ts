// One upstream message → normalized events on EVT_EVENTS and rejections on EVT_DLQ. Resolves only once every
// resulting record is durably stored, so the caller may ack upstream; throws when the internal bus failed.
import {
  type CloudEventJson,
  type ClusterRef,
  deadLetter,
  type EventEnvelope,
  eventSubject,
  hdrsToRecord,
  type PipelinedPublisher,
  truncateBody,
  type UpstreamPosition,
} from "@evtrigger/bus";
import type { JetStreamClient } from "@nats-io/jetstream";
import type { MsgHdrs } from "@nats-io/transport-node";
import { encodeEnvelope, isoNow } from "./envelope.js";
import type { GatewayMetrics, LoggerLike } from "./metrics.js";
import { contentHash, coreMsgId, jetStreamMsgId, rejectMsgId } from "./msgid.js";
import { headerMap, normalizeMessage } from "./normalize/normalize.js";
import { type HeaderMap, type NormalizeLimits, rejectLabel } from "./normalize/types.js";
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

export function createIngest(d: IngestDeps): Ingest {
  return async (up, m) => {
    const cluster = clusterKey(up.cluster);
    d.metrics.received(cluster, up.transport);
    const headers = toHeaderMap(m.headers);
    const n = normalizeMessage(m.data, headers, d.limits);
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
      const upstream = m.js?.created
        ? { stream: m.js.stream, created: m.js.created, seq: m.js.seq, index: ne.index ?? 0 }
        : undefined;
      writes.push(publishEvent(d, up, m.subject, ne.event, ne.json, headers, msgId, receivedAt, upstream));
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
  };
}

async function publishEvent(
  d: IngestDeps,
  up: Upstream,
  natsSubject: string,
  event: CloudEventJson,
  eventJson: Uint8Array | undefined,
  upstreamHeaders: HeaderMap,
  msgId: string,
  receivedAt: string,
  upstream: UpstreamPosition | undefined,
): Promise<void> {
  const env: EventEnvelope = {
    v: 1,
    cluster: up.cluster,
    natsSubject,
    subscription: up.subscription,
    transport: up.transport,
    receivedAt,
    ...(upstream ? { upstream } : {}),
    event,
  };
  await d.trace(event, upstreamHeaders, { cluster: clusterKey(up.cluster), natsSubject }, (traceparent) =>
    d.publisher.publish(eventSubject(up.cluster), encodeEnvelope(env, eventJson), {
      msgId,
      headers: { traceparent },
      retryForMs: d.publishRetryMs,
      timeoutMs: Math.min(5000, d.publishRetryMs),
    }),
  );
}
