// Wire shapes of the internal streams. Bodies are JSON; `v` is the schema version of the record.

/** A CloudEvent in structured JSON form (attributes lowercase, `data` decoded or `data_base64` kept). */
export interface CloudEventJson {
  specversion: string;
  id: string;
  source: string;
  type: string;
  subject?: string;
  time?: string;
  datacontenttype?: string;
  dataschema?: string;
  data?: unknown;
  data_base64?: string;
  [extension: string]: unknown;
}

export interface ClusterRef {
  namespace: string;
  name: string;
  /** Sveltos cluster type: a SveltosCluster or a Cluster API Cluster. */
  kind: "SveltosCluster" | "Cluster";
}

/**
 * Where an event sits in its upstream JetStream stream: the publish order, which EVT_EVENTS' order may not keep
 * (a killed gateway's messages come back after AckWait, replicas interleave). Absent for core NATS.
 */
export interface UpstreamPosition {
  /** The upstream stream's name. */
  stream: string;
  /** When that stream was created (StreamInfo.created): a recreated stream restarts its sequence. */
  created: string;
  /** The upstream message's stream sequence. */
  seq: number;
  /** Position of the event in its message (batched mode); 0 otherwise. */
  index: number;
}

/** What the gateway writes on EVT_EVENTS for every valid CloudEvent. */
export interface EventEnvelope {
  v: 1;
  cluster: ClusterRef;
  /** The concrete subject the message arrived on. */
  natsSubject: string;
  /** The configured subscription entry (core NATS subject pattern, or JetStream stream name) that received it. */
  subscription: string;
  transport: "nats" | "jetstream";
  receivedAt: string;
  /** JetStream sources only: the upstream position, which orders one key's events in the applier. */
  upstream?: UpstreamPosition;
  event: CloudEventJson;
}

/** What the matcher writes on EVT_MATCHES: one record per (EventTrigger, event). */
export interface MatchRecord {
  v: 1;
  /** Stream sequence of the event on EVT_EVENTS: orders events of one key, fences stale ones in the applier. */
  eventSeq: number;
  /** Nats-Msg-Id of the event on EVT_EVENTS. */
  eventMsgId: string;
  /** EventEnvelope.upstream: when present, orders the key's events before `eventSeq` does. */
  upstream?: UpstreamPosition;
  cluster: ClusterRef;
  eventSource: string;
  eventTrigger: string;
  triggerGeneration: number;
  natsSubject: string;
  subscription: string;
  /** When the gateway received the event (EventEnvelope.receivedAt): the start of the end-to-end latency. */
  receivedAt?: string;
  matchedAt: string;
  event: CloudEventJson;
}

/** What any stage writes on EVT_DLQ. */
export interface DeadLetter {
  v: 1;
  stage: "gateway" | "matcher" | "applier";
  /** Stable machine code, EVT_<DOMAIN>_<WHAT>. */
  code: string;
  /** Human explanation naming the object and field. */
  reason: string;
  cluster?: ClusterRef;
  natsSubject?: string;
  /** The object the failure belongs to, e.g. {kind: "EventTrigger", name: "x"}. */
  object?: { kind: string; name: string; namespace?: string };
  field?: string;
  headers?: Record<string, string[]>;
  /** Body, truncated; `bodyEncoding` says how it is stored. */
  body?: string;
  bodyEncoding?: "utf8" | "base64";
  bodyBytes?: number;
  /** Where the original can be re-driven from: stream + sequence, if it came from a stream. */
  origin?: { stream: string; seq: number; subject: string };
  at: string;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export function encodeRecord(r: EventEnvelope | MatchRecord | DeadLetter): Uint8Array {
  return enc.encode(JSON.stringify(r));
}

export function decodeRecord<T extends EventEnvelope | MatchRecord | DeadLetter>(data: Uint8Array): T {
  return JSON.parse(dec.decode(data)) as T;
}
