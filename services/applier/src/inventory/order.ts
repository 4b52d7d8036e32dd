// The one comparison that decides whether an event is newer than the state recorded for its key. Publish order
// (the upstream JetStream position) wins where both sides know it from the same stream; EVT_EVENTS' order
// otherwise. Every fencing decision in the applier goes through `compareOrder`.
import type { ClusterRef, UpstreamPosition } from "@evtrigger/bus";

/** What orders an event (an inventory entry or a desired state built from a match). */
export interface OrderPosition {
  sourceCluster: ClusterRef;
  /** EVT_EVENTS stream sequence. */
  eventSeq: number;
  /** Upstream JetStream position; absent for core NATS and for entries written before it was recorded. */
  upstream?: UpstreamPosition;
}

/**
 * > 0 when `a` is newer than `b`, < 0 when older, 0 when both are the same event (a replay, not newer).
 * The upstream sequences are compared only within one incarnation of one stream of one source cluster; any
 * other pair (core NATS, another stream, a recreated stream, an entry from before upstream positions were
 * recorded) falls back to the EVT_EVENTS sequence. Antisymmetric: compareOrder(a, b) = -compareOrder(b, a).
 */
export function compareOrder(a: OrderPosition, b: OrderPosition): number {
  const x = a.upstream;
  const y = b.upstream;
  if (
    x &&
    y &&
    x.stream === y.stream &&
    x.created === y.created &&
    a.sourceCluster.namespace === b.sourceCluster.namespace &&
    a.sourceCluster.name === b.sourceCluster.name
  ) {
    return Math.sign(x.seq - y.seq || x.index - y.index);
  }
  return Math.sign(a.eventSeq - b.eventSeq);
}

/** True when `a` should replace the state recorded from `b`. */
export function isNewer(a: OrderPosition, b: OrderPosition): boolean {
  return compareOrder(a, b) > 0;
}

/** Checks a match record's optional `upstream`; returns the bad field's path, undefined when fine or absent. */
export function upstreamProblem(u: unknown): string | undefined {
  if (u === undefined) return undefined;
  if (typeof u !== "object" || u === null) return "upstream";
  const p = u as Partial<UpstreamPosition>;
  if (typeof p.stream !== "string" || !p.stream) return "upstream.stream";
  if (typeof p.created !== "string") return "upstream.created";
  if (!Number.isSafeInteger(p.seq) || (p.seq as number) < 1) return "upstream.seq";
  if (!Number.isSafeInteger(p.index) || (p.index as number) < 0) return "upstream.index";
  return undefined;
}
