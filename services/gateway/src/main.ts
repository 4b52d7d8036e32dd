// Production entry point: settings, internal bus, config source, the gateway and its HTTP endpoint. Wiring only.
import { connectBus } from "@evtrigger/bus";
import { ClusterRegistry, type ConfigStore, DirConfigStore, KubeConfigStore } from "@evtrigger/config";
import {
  connectionCheck,
  createLogger,
  createMetrics,
  initTracing,
  pipelineMetrics,
  ServiceLifecycle,
  startServiceHttp,
} from "@evtrigger/telemetry";
import { GatewayError } from "./errors.js";
import { otelTrace } from "./otel-trace.js";
import { registrySource } from "./registry-source.js";
import { startGateway } from "./service.js";
import { gatewaySettings } from "./settings.js";
import { statusRoutes } from "./status-route.js";

const cfg = gatewaySettings.parse(process.env, process.argv.slice(2));
const logger = createLogger({ service: "gateway", level: cfg.logLevel });
logger.info("starting", gatewaySettings.summary(cfg));
const metrics = createMetrics({ service: "gateway" });
const tracing = initTracing({ service: "gateway" });
const lifecycle = new ServiceLifecycle({ timeoutMs: cfg.shutdownTimeoutMs });
lifecycle.onShutdown(tracing.shutdown, "tracing");

function configStore(): ConfigStore {
  if (cfg.configDir) return new DirConfigStore({ dir: cfg.configDir });
  if (cfg.managementKubeconfig)
    return new KubeConfigStore({ kubeconfigPath: cfg.managementKubeconfig, writeStatus: false });
  throw new GatewayError("EVT_GATEWAY_SETTINGS", "set EVT_CONFIG_DIR or EVT_MANAGEMENT_KUBECONFIG");
}

const bus = await connectBus({
  servers: cfg.natsUrl,
  user: cfg.natsUser,
  pass: cfg.natsPassword,
  token: cfg.natsToken,
  name: "evtrigger-gateway",
  noAsyncTraces: true,
});
lifecycle.onShutdown(bus.close, "bus");
const busCheck = connectionCheck(bus.nc, "internal NATS");
const store = configStore();
await store.start();
lifecycle.onShutdown(() => store.close(), "config");
const gateway = await startGateway({
  bus,
  clusters: registrySource(new ClusterRegistry(store), store),
  logger,
  metrics,
  pipeline: pipelineMetrics(metrics),
  trace: otelTrace(tracing.tracer),
  limits: {
    maxBytes: cfg.maxBytes,
    maxBatch: cfg.maxBatch,
    publishRetryMs: cfg.publishRetryMs,
    jsConcurrency: cfg.jsConcurrency,
    ackWaitMs: cfg.ackWaitMs,
  },
});
lifecycle.onShutdown(gateway.close, "gateway");
const http = await startServiceHttp({
  service: "gateway",
  host: cfg.httpHost,
  port: cfg.httpPort,
  logger,
  metrics,
  checks: {
    nats: busCheck.check,
    // startGateway ensured the topology before returning.
    topology: () => true,
    config: () =>
      store.ready ? true : `configuration not synced${store.lastError ? `: ${store.lastError.message}` : ""}`,
    clusters: () => gateway.ready(),
  },
  routes: statusRoutes(() => gateway.status()),
});
lifecycle.onShutdown(http.close, "http");
lifecycle.installSignalHandlers(logger);
logger.info("listening", { url: http.url });
logger.info("ready", { clusters: gateway.status().clusters.length });
