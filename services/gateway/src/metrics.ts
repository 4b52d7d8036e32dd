// Gateway metrics over any prom-client-like registry (libs/telemetry's createMetrics fits); no-op without one.
// Labels stay bounded: cluster keys come from configuration, reasons from a fixed code list.

export interface CounterLike {
  inc(labels: Record<string, string>, value?: number): void;
}
export interface GaugeLike {
  set(labels: Record<string, string>, value: number): void;
}
export interface MetricsLike {
  counter(name: string, help: string, labelNames?: readonly string[]): CounterLike;
  gauge(name: string, help: string, labelNames?: readonly string[]): GaugeLike;
}

/** The shared catalogue of libs/telemetry (pipelineMetrics): the gateway feeds its gateway rows too. */
export interface PipelineLike {
  received(l: { cluster: string; transport: "nats" | "jetstream" }): void;
  normalized(l: { cluster: string }): void;
  rejected(l: { cluster: string; reason: string }): void;
  deadLettered(l: { stage: "gateway"; code: string }): void;
}

export interface GatewayMetrics {
  received(cluster: string, transport: "nats" | "jetstream"): void;
  normalized(cluster: string, n: number): void;
  /** `reason` is the short code (rejectLabel), `code` the EVT_GATEWAY_* code. */
  rejected(cluster: string, reason: string, code: string): void;
  published(cluster: string, n: number): void;
  publishFailed(cluster: string): void;
  connection(cluster: string, transport: string, connected: boolean): void;
}

const noop: GatewayMetrics = {
  received() {},
  normalized() {},
  rejected() {},
  published() {},
  publishFailed() {},
  connection() {},
};

export function gatewayMetrics(m?: MetricsLike, pipeline?: PipelineLike): GatewayMetrics {
  const own = m ? ownMetrics(m) : noop;
  if (!pipeline) return own;
  return {
    ...own,
    received(cluster, transport) {
      own.received(cluster, transport);
      pipeline.received({ cluster, transport });
    },
    normalized(cluster, n) {
      own.normalized(cluster, n);
      for (let i = 0; i < n; i++) pipeline.normalized({ cluster });
    },
    rejected(cluster, reason, code) {
      own.rejected(cluster, reason, code);
      pipeline.rejected({ cluster, reason });
      pipeline.deadLettered({ stage: "gateway", code });
    },
  };
}

function ownMetrics(m: MetricsLike): GatewayMetrics {
  const received = m.counter("evtrigger_gateway_received_total", "NATS messages received", ["cluster", "transport"]);
  const normalized = m.counter("evtrigger_gateway_normalized_total", "CloudEvents normalized", ["cluster"]);
  const rejected = m.counter("evtrigger_gateway_rejected_total", "Inputs dead-lettered, by reason", ["reason"]);
  const published = m.counter("evtrigger_gateway_published_total", "Events stored on the internal stream", ["cluster"]);
  const failed = m.counter("evtrigger_gateway_publish_failures_total", "Internal publishes that failed", ["cluster"]);
  const conn = m.gauge("evtrigger_gateway_upstream_connected", "1 when connected to the cluster's NATS", [
    "cluster",
    "transport",
  ]);
  return {
    received: (cluster, transport) => received.inc({ cluster, transport }),
    normalized: (cluster, n) => {
      if (n) normalized.inc({ cluster }, n);
    },
    rejected: (_cluster, reason) => rejected.inc({ reason }),
    published: (cluster, n) => {
      if (n) published.inc({ cluster }, n);
    },
    publishFailed: (cluster) => failed.inc({ cluster }),
    connection: (cluster, transport, up) => conn.set({ cluster, transport }, up ? 1 : 0),
  };
}

/** Minimal logger shape (libs/telemetry's Logger fits). */
export interface LoggerLike {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: LoggerLike = { debug() {}, info() {}, warn() {}, error() {} };
