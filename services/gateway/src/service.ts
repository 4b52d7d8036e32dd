// startGateway: every managed cluster's NATS → validated CloudEvents on EVT_EVENTS (rejections on EVT_DLQ).
// Used in-process by tests and benches; main.ts only wires settings, the config source and HTTP around it.
import { type Bus, ensureTopology, PipelinedPublisher } from "@evtrigger/bus";
import { type ClusterStatus, ClusterSupervisor, type LinkTuning } from "./cluster.js";
import { createIngest } from "./ingest.js";
import { gatewayMetrics, type LoggerLike, type MetricsLike, type PipelineLike, silentLogger } from "./metrics.js";
import { DEFAULT_LIMITS, type NormalizeLimits } from "./normalize/types.js";
import { type ClusterNatsSource, clusterKey } from "./source.js";
import { defaultInstance, startStatusPublisher } from "./status-kv.js";
import { type TraceRunner, w3cTrace } from "./trace.js";

export interface GatewayLimits extends NormalizeLimits, LinkTuning {
  /** Keep retrying an internal publish this long before nak'ing upstream (JetStream) or losing it (core). */
  publishRetryMs: number;
}

export const DEFAULT_GATEWAY_LIMITS: GatewayLimits = {
  ...DEFAULT_LIMITS,
  publishRetryMs: 10_000,
  coreMaxInFlight: 512,
  jsConcurrency: 256,
  ackWaitMs: 30_000,
  reconnect: { initialMs: 250, maxMs: 30_000 },
  switchoverMs: 5_000,
};

export interface GatewayDeps {
  /** The internal bus (libs/bus connectBus). */
  bus: Pick<Bus, "nc" | "js" | "jsm" | "kvm">;
  /** Managed clusters and their sveltos-nats Secrets. */
  clusters: ClusterNatsSource;
  logger?: LoggerLike;
  metrics?: MetricsLike;
  /** libs/telemetry pipelineMetrics(metrics): the shared evtrigger_messages_* series. */
  pipeline?: PipelineLike;
  /** traceparent for each internal message; default: W3C child of the CE/upstream trace, else a new trace. */
  trace?: TraceRunner;
  limits?: Partial<GatewayLimits>;
  /** Create/update the internal streams at start (default true). */
  ensureTopology?: boolean;
  /** Publish cluster states to KV `evt-status` as `gateway.<instance>` (default true, every 10 s and on change). */
  statusKv?: false | { instance?: string; intervalMs?: number };
}

export interface GatewayStatus {
  /** Internal bus connected. */
  bus: boolean;
  /** Every known cluster's Secret has been read once. */
  synced: boolean;
  clusters: ClusterStatus[];
}

export interface Gateway {
  status(): GatewayStatus;
  /** Readiness: true, or the reason it is not ready. A cluster's unreachable NATS does not make it unready. */
  ready(): true | string;
  /** Drains every upstream subscription (in-flight messages finish) and closes upstream connections. */
  close(): Promise<void>;
}

export async function startGateway(deps: GatewayDeps): Promise<Gateway> {
  const limits: GatewayLimits = { ...DEFAULT_GATEWAY_LIMITS, ...deps.limits };
  const logger = deps.logger ?? silentLogger;
  const metrics = gatewayMetrics(deps.metrics, deps.pipeline);
  if (deps.ensureTopology !== false) await ensureTopology(deps.bus.jsm, deps.bus.kvm);
  const publisher = new PipelinedPublisher(deps.bus.nc, Math.min(5000, limits.publishRetryMs));
  const ingest = createIngest({
    js: deps.bus.js,
    publisher,
    limits,
    metrics,
    logger,
    trace: deps.trace ?? w3cTrace,
    publishRetryMs: limits.publishRetryMs,
  });
  const supervisors = new Map<string, ClusterSupervisor>();
  let closed = false;
  let sync: Promise<void> = Promise.resolve();

  const reconcile = async () => {
    if (closed) return;
    const want = new Map(deps.clusters.clusters().map((c) => [clusterKey(c), c]));
    const starting: Promise<void>[] = [];
    for (const [key, ref] of want) {
      if (supervisors.has(key)) continue;
      const s = new ClusterSupervisor({ cluster: ref, source: deps.clusters, ingest, logger, metrics, tuning: limits });
      supervisors.set(key, s);
      starting.push(s.start());
    }
    const stopping = [...supervisors].filter(([key]) => !want.has(key));
    for (const [key] of stopping) supervisors.delete(key);
    await Promise.allSettled([...starting, ...stopping.map(([, s]) => s.close())]);
  };
  const resync = () => {
    sync = sync.then(reconcile, reconcile);
  };
  const unsubscribe = deps.clusters.onClustersChanged(resync);
  resync();
  await sync;
  logger.info("gateway started", { clusters: supervisors.size });
  const status = (): GatewayStatus => ({
    bus: !deps.bus.nc.isClosed(),
    synced: [...supervisors.values()].every((s) => s.synced()),
    clusters: [...supervisors.values()].map((s) => s.status()),
  });
  const statusKv =
    deps.statusKv === false
      ? undefined
      : startStatusPublisher({
          kvm: deps.bus.kvm,
          status,
          instance: deps.statusKv?.instance ?? defaultInstance(),
          intervalMs: deps.statusKv?.intervalMs ?? 10_000,
          logger,
        });

  return {
    status,
    ready() {
      if (closed) return "closed";
      if (deps.bus.nc.isClosed()) return "internal NATS connection closed";
      const pending = [...supervisors.values()].filter((s) => !s.synced());
      if (pending.length) return `sveltos-nats not read yet for ${pending.map((s) => s.status().cluster).join(", ")}`;
      return true;
    },
    async close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      await statusKv?.close();
      await sync;
      await Promise.allSettled([...supervisors.values()].map((s) => s.close()));
      supervisors.clear();
      publisher.close();
    },
  };
}
