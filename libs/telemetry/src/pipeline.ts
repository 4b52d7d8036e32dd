// The pipeline's metric catalogue (issue 12), defined once so the gateway, matcher, applier and evtctl agree on
// names and labels. Every user-derived label goes through a cardinality guard. Each service calls
// pipelineMetrics(metrics) and uses the parts it owns; the others stay empty series.
import type { Counter, Gauge, Histogram } from "prom-client";
import { boundedLabels, type Metrics } from "./metrics.js";

export interface PipelineMetricsOptions {
  /** Distinct values kept per label and metric before folding into "other". Default 500. */
  maxLabelValues?: number;
}

export interface PipelineMetrics {
  /** Gateway: a message arrived from a managed cluster's NATS. */
  received(l: { cluster: string; transport: "nats" | "jetstream" }): void;
  /** Gateway: a valid CloudEvent was stored on the internal events stream. */
  normalized(l: { cluster: string }): void;
  /** Gateway: input rejected (dead-lettered); `reason` is a short stable code, never free text. */
  rejected(l: { cluster: string; reason: string }): void;
  /** Matcher: one match record per (trigger, event). */
  matched(l: { cluster: string; trigger: string }): void;
  /** Applier: one apply of an event's resources to a destination cluster. */
  applied(l: { cluster: string; trigger: string; result: string }): void;
  /** Applier: one delete of an event's resources from a destination cluster. */
  deleted(l: { cluster: string; trigger: string; result: string }): void;
  /** Applier: a Kubernetes API call retried; `reason` such as "429", "503", "timeout". */
  kubeRetry(l: { cluster: string; reason: string }): void;
  /** Any stage: a message written to the dead-letter stream; `code` is the EVT_* code. */
  deadLettered(l: { stage: "gateway" | "matcher" | "applier"; code: string }): void;
  /** Any consumer: JetStream consumer info (num_pending, num_ack_pending). */
  consumerLag(l: { stream: string; consumer: string }, v: { pending: number; ackPending: number }): void;
  /** Applier: seconds spent rendering one trigger's templates for one event. */
  renderSeconds(l: { trigger: string }, seconds: number): void;
  /** Applier: seconds from the gateway's receive time to applied/deleted. */
  endToEnd(l: { action: "create" | "delete" }, receivedAt: string | number | Date, now?: number): void;
  /** The underlying prom-client metrics, for tests and special cases. */
  readonly raw: {
    received: Counter<"cluster" | "transport">;
    normalized: Counter<"cluster">;
    rejected: Counter<"cluster" | "reason">;
    matches: Counter<"cluster" | "trigger">;
    applies: Counter<"cluster" | "trigger" | "result">;
    deletes: Counter<"cluster" | "trigger" | "result">;
    kubeRetries: Counter<"cluster" | "reason">;
    deadLetters: Counter<"stage" | "code">;
    consumerPending: Gauge<"stream" | "consumer">;
    consumerAckPending: Gauge<"stream" | "consumer">;
    render: Histogram<"trigger">;
    endToEnd: Histogram<"action">;
  };
}

const E2E_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/** The pipeline metrics on a service's registry. Calling it twice on one Metrics returns the same series. */
export function pipelineMetrics(metrics: Metrics, opts: PipelineMetricsOptions = {}): PipelineMetrics {
  const max = opts.maxLabelValues ?? 500;
  const raw: PipelineMetrics["raw"] = {
    received: metrics.counter("evtrigger_messages_received_total", "Messages received from managed clusters' NATS", [
      "cluster",
      "transport",
    ]),
    normalized: metrics.counter(
      "evtrigger_messages_normalized_total",
      "Valid CloudEvents stored on the events stream",
      ["cluster"],
    ),
    rejected: metrics.counter("evtrigger_messages_rejected_total", "Messages rejected as invalid, by reason", [
      "cluster",
      "reason",
    ]),
    matches: metrics.counter("evtrigger_matches_total", "Match records emitted (one per trigger and event)", [
      "cluster",
      "trigger",
    ]),
    applies: metrics.counter("evtrigger_applies_total", "Applies to destination clusters, by result", [
      "cluster",
      "trigger",
      "result",
    ]),
    deletes: metrics.counter("evtrigger_deletes_total", "Deletes from destination clusters, by result", [
      "cluster",
      "trigger",
      "result",
    ]),
    kubeRetries: metrics.counter("evtrigger_kube_retries_total", "Kubernetes API calls retried", ["cluster", "reason"]),
    deadLetters: metrics.counter("evtrigger_dead_letters_total", "Messages written to the dead-letter stream", [
      "stage",
      "code",
    ]),
    consumerPending: metrics.gauge("evtrigger_consumer_pending", "Messages not yet delivered to the consumer", [
      "stream",
      "consumer",
    ]),
    consumerAckPending: metrics.gauge("evtrigger_consumer_ack_pending", "Messages delivered but not yet acked", [
      "stream",
      "consumer",
    ]),
    render: metrics.histogram("evtrigger_render_seconds", "Template rendering time per trigger and event", ["trigger"]),
    endToEnd: metrics.histogram(
      "evtrigger_end_to_end_seconds",
      "Time from NATS receive in the gateway to applied or deleted in the applier",
      ["action"],
      E2E_BUCKETS,
    ),
  };
  const g = {
    received: boundedLabels(max),
    normalized: boundedLabels(max),
    rejected: boundedLabels(max),
    matches: boundedLabels(max),
    applies: boundedLabels(max),
    deletes: boundedLabels(max),
    kubeRetries: boundedLabels(max),
    deadLetters: boundedLabels(max),
    consumer: boundedLabels(max),
    render: boundedLabels(max),
  };
  return {
    raw,
    received: (l) => raw.received.inc(g.received(l)),
    normalized: (l) => raw.normalized.inc(g.normalized(l)),
    rejected: (l) => raw.rejected.inc(g.rejected(l)),
    matched: (l) => raw.matches.inc(g.matches(l)),
    applied: (l) => raw.applies.inc(g.applies(l)),
    deleted: (l) => raw.deletes.inc(g.deletes(l)),
    kubeRetry: (l) => raw.kubeRetries.inc(g.kubeRetries(l)),
    deadLettered: (l) => raw.deadLetters.inc(g.deadLetters(l)),
    consumerLag: (l, v) => {
      const labels = g.consumer(l);
      raw.consumerPending.set(labels, v.pending);
      raw.consumerAckPending.set(labels, v.ackPending);
    },
    renderSeconds: (l, seconds) => raw.render.observe(g.render(l), seconds),
    endToEnd: (l, receivedAt, now = Date.now()) => {
      const t = receivedAt instanceof Date ? receivedAt.getTime() : new Date(receivedAt).getTime();
      // A bad or future timestamp (clock skew between replicas) is not a latency; skip rather than lie.
      if (Number.isFinite(t) && now >= t) raw.endToEnd.observe({ action: l.action }, (now - t) / 1000);
    },
  };
}
