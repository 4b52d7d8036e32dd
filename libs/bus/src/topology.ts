// The internal topology every service shares: stream and subject names, retention, dedup window, KV buckets.
// Changing a value here changes it for the gateway, matcher, applier and evtctl at once.

/** Number of match partitions; a key (trigger, CE source, CE subject) always maps to the same one. */
export const MATCH_PARTITIONS = 16;

export const STREAMS = {
  /** Normalized CloudEvents from every managed cluster, written by the gateway. */
  events: { name: "EVT_EVENTS", subjects: ["evt.events.>"] },
  /** One record per (EventTrigger, event), written by the matcher. */
  matches: { name: "EVT_MATCHES", subjects: ["evt.matches.>"] },
  /** Anything that could not be processed, with the reason, from any stage. */
  dlq: { name: "EVT_DLQ", subjects: ["evt.dlq.>"] },
} as const;

export const CONSUMERS = {
  matcher: { stream: STREAMS.events.name, durable: "evt-matcher" },
  applier: { stream: STREAMS.matches.name, durable: "evt-applier" },
} as const;

export const BUCKETS = {
  /** Applier inventory: what was deployed where, for which event. */
  inventory: "evt-inventory",
  /** Matcher history of recent matched events per cluster and EventSource (Sveltos' EventReport). */
  eventReports: "evt-eventreports",
  /** Small status documents services publish for `evtctl status` and the status page. */
  status: "evt-status",
} as const;

export interface TopologyOptions {
  /** JetStream replicas for streams and buckets (1 for a single server, 3 for a cluster). */
  replicas?: number;
  /** Deduplication window for Nats-Msg-Id, ms. */
  duplicateWindowMs?: number;
  /** How long events and matches are kept, ms. */
  maxAgeMs?: number;
  /** Per-stream byte cap. */
  maxBytes?: number;
}

export const DEFAULT_TOPOLOGY: Required<TopologyOptions> = {
  replicas: 1,
  duplicateWindowMs: 2 * 60_000,
  maxAgeMs: 24 * 3600_000,
  maxBytes: 1024 * 1024 * 1024,
};

/** Subject tokens must not contain '.', '*', '>' or whitespace; cluster names are DNS-1123 so they are safe. */
function token(s: string): string {
  return s.replace(/[.*>\s]/g, "_") || "_";
}

/** evt.events.<cluster namespace>.<cluster name> */
export function eventSubject(cluster: { namespace: string; name: string }): string {
  return `evt.events.${token(cluster.namespace)}.${token(cluster.name)}`;
}

/** evt.matches.<partition> */
export function matchSubject(partition: number): string {
  return `evt.matches.${partition}`;
}

/** evt.dlq.<stage> */
export function dlqSubject(stage: DlqStage): string {
  return `evt.dlq.${stage}`;
}

export type DlqStage = "gateway" | "matcher" | "applier";

/** FNV-1a 32-bit: stable across processes and languages, cheap, good enough spread for partitioning. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function partitionOf(key: string, partitions = MATCH_PARTITIONS): number {
  return fnv1a(key) % partitions;
}
