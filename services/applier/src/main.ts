// Production entry point: settings, internal bus, config source, the applier and its HTTP endpoint. Wiring only.
import { connectBus } from "@evtrigger/bus";
import { ClusterRegistry, type ConfigStore, DirConfigStore, KubeConfigStore } from "@evtrigger/config";
import {
  connectionCheck,
  createLogger,
  createMetrics,
  initTracing,
  ServiceLifecycle,
  startServiceHttp,
} from "@evtrigger/telemetry";
import { ApplierError } from "./errors.js";
import { startApplier } from "./service.js";
import { applierSettings } from "./settings.js";
import { statusPageRoutes } from "./status-page/plugin.js";

const cfg = applierSettings.parse(process.env, process.argv.slice(2));
const logger = createLogger({ service: "applier", level: cfg.logLevel });
logger.info("starting", applierSettings.summary(cfg));
const metrics = createMetrics({ service: "applier" });
const tracing = initTracing({ service: "applier" });
const lifecycle = new ServiceLifecycle({ timeoutMs: cfg.shutdownTimeoutMs });
lifecycle.onShutdown(tracing.shutdown, "tracing");

let kubeStore: KubeConfigStore | undefined;
function configStore(): ConfigStore {
  if (cfg.configDir) return new DirConfigStore({ dir: cfg.configDir });
  if (cfg.managementKubeconfig) {
    kubeStore = new KubeConfigStore({ kubeconfigPath: cfg.managementKubeconfig });
    return kubeStore;
  }
  throw new ApplierError("EVT_APPLIER_CLUSTER", "set EVT_CONFIG_DIR or EVT_MANAGEMENT_KUBECONFIG", { terminal: true });
}

const bus = await connectBus({
  servers: cfg.natsUrl,
  user: cfg.natsUser,
  pass: cfg.natsPassword,
  token: cfg.natsToken,
  name: "evtrigger-applier",
});
lifecycle.onShutdown(bus.close, "bus");
const busCheck = connectionCheck(bus.nc, "internal NATS");
const store = configStore();
await store.start();
lifecycle.onShutdown(() => store.close(), "config");
const applier = await startApplier({
  bus,
  store,
  registry: new ClusterRegistry(store),
  // Conditions and Events on EventTriggers need the management cluster; with a config dir the DLQ is the record.
  status: kubeStore,
  logger,
  metrics,
  tracer: tracing.tracer,
  fieldManager: cfg.fieldManager,
  concurrency: cfg.concurrency,
  maxAckPending: cfg.maxAckPending,
  kubeTimeoutMs: cfg.kubeTimeoutMs,
});
lifecycle.onShutdown(applier.close, "applier");
const http = await startServiceHttp({
  service: "applier",
  host: cfg.httpHost,
  port: cfg.httpPort,
  logger,
  metrics,
  checks: {
    nats: busCheck.check,
    config: () =>
      store.ready ? true : `configuration not synced${store.lastError ? `: ${store.lastError.message}` : ""}`,
    kubernetes: () => applier.checkClusters(),
  },
  // Status page at / (issue 12): read-only HTML from the config, KV buckets and EVT_DLQ.
  routes: statusPageRoutes({ bus, config: store, inventory: applier.inventory }),
});
lifecycle.onShutdown(http.close, "http");
lifecycle.installSignalHandlers(logger);
logger.info("listening", { url: http.url });
logger.info("ready");
