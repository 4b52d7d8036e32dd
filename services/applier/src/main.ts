// Production entry point: settings, internal bus, config source, the applier and its HTTP endpoint. Wiring only.
import { ClusterRegistry } from "@evtrigger/config";
import { bootService, openBus, openConfig, serve } from "@evtrigger/runtime";
import { startApplier } from "./service.js";
import { applierSettings } from "./settings.js";
import { statusPageRoutes } from "./status-page/plugin.js";

const svc = bootService("applier", applierSettings);
const { cfg, lifecycle } = svc;
// No caller stack captured per NATS request (KV reads on inventory cache misses, consumer info): building an
// Error object for each cost about 7% of the applier's CPU at 500 matches/s (the gateway does the same).
const { bus, check: nats } = await openBus(svc, { noAsyncTraces: true });
// Valid conditions are the matcher's to write; the applier writes only EventsApplied and Events.
// Everything but EventSources, which only the matcher reads (10,000 of them are ~20 MB here otherwise).
const {
  store,
  kube,
  check: config,
} = await openConfig(svc, {
  writeStatus: false,
  kinds: ["EventTrigger", "SveltosCluster", "ClusterSet", "ConfigMap", "Secret"],
});
const applier = await startApplier({
  bus,
  store,
  registry: new ClusterRegistry(store),
  // Conditions and Events on EventTriggers need the management cluster; with a config dir the DLQ is the record.
  status: kube,
  logger: svc.logger,
  metrics: svc.metrics,
  // Without an exporter there is nothing to record, and the applier forwards no context (it is the last hop):
  // skip extracting the parent and the no-op span per match (~1-2% of its CPU).
  tracer: svc.tracing.enabled ? svc.tracing.tracer : undefined,
  fieldManager: cfg.fieldManager,
  concurrency: cfg.concurrency,
  maxAckPending: cfg.maxAckPending,
  ackWaitMs: cfg.ackWaitMs,
  kubeTimeoutMs: cfg.kubeTimeoutMs,
});
lifecycle.onShutdown(applier.close, "applier");
await serve(svc, {
  checks: { nats, config, kubernetes: () => applier.checkClusters() },
  // Status page at / (issue 12): read-only HTML from the config, KV buckets and EVT_DLQ.
  routes: statusPageRoutes({ bus, config: store, inventory: applier.inventory }),
});
