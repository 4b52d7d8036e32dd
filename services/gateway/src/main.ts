// Production entry point: settings, internal bus, config source, the gateway and its HTTP endpoint. Wiring only.
import { ClusterRegistry } from "@evtrigger/config";
import { bootService, openBus, openConfig, serve } from "@evtrigger/runtime";
import { pipelineMetrics } from "@evtrigger/telemetry";
import { otelTrace } from "./otel-trace.js";
import { registrySource } from "./registry-source.js";
import { startGateway } from "./service.js";
import { gatewaySettings } from "./settings.js";
import { statusRoutes } from "./status-route.js";
import { w3cTrace } from "./trace.js";

const svc = bootService("gateway", gatewaySettings);
const { cfg, lifecycle } = svc;
const { bus, check: nats } = await openBus(svc, { noAsyncTraces: true });
// Only what the cluster registry reads: EventSources and EventTriggers would be ~20 MB at 10,000 sources.
const { store, check: config } = await openConfig(svc, { writeStatus: false, kinds: ["SveltosCluster", "Secret"] });
const gateway = await startGateway({
  bus,
  clusters: registrySource(new ClusterRegistry(store), store),
  logger: svc.logger,
  metrics: svc.metrics,
  pipeline: pipelineMetrics(svc.metrics),
  // Tracing off: the SDK-free W3C child traceparent (same header on the wire, none of the no-op span work).
  trace: svc.tracing.enabled ? otelTrace(svc.tracing.tracer) : w3cTrace,
  limits: {
    maxBytes: cfg.maxBytes,
    maxBatch: cfg.maxBatch,
    publishRetryMs: cfg.publishRetryMs,
    jsConcurrency: cfg.jsConcurrency,
    ackWaitMs: cfg.ackWaitMs,
  },
});
lifecycle.onShutdown(gateway.close, "gateway");
await serve(svc, {
  // startGateway ensured the topology before returning.
  checks: { nats, topology: () => true, config, clusters: () => gateway.ready() },
  routes: statusRoutes(() => gateway.status()),
  ready: { clusters: gateway.status().clusters.length },
});
