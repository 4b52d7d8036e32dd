// Production entry point: settings, internal bus, config source, the matcher and its HTTP endpoint. Wiring only.
import { connectBus } from "@evtrigger/bus";
import { type ConfigStore, DirConfigStore, KubeConfigStore } from "@evtrigger/config";
import {
  connectionCheck,
  createLogger,
  createMetrics,
  initTracing,
  ServiceLifecycle,
  startServiceHttp,
} from "@evtrigger/telemetry";
import { MatcherError } from "./errors.js";
import { startMatcher } from "./service.js";
import { matcherSettings } from "./settings.js";

const cfg = matcherSettings.parse(process.env, process.argv.slice(2));
const logger = createLogger({ service: "matcher", level: cfg.logLevel });
logger.info("starting", matcherSettings.summary(cfg));
const metrics = createMetrics({ service: "matcher" });
const tracing = initTracing({ service: "matcher" });
const lifecycle = new ServiceLifecycle({ timeoutMs: cfg.shutdownTimeoutMs });
lifecycle.onShutdown(tracing.shutdown, "tracing");

function configStore(): ConfigStore {
  if (cfg.configDir) return new DirConfigStore({ dir: cfg.configDir });
  // The gateway and applier share the management cluster; only one writer of status conditions is needed.
  if (cfg.managementKubeconfig) return new KubeConfigStore({ kubeconfigPath: cfg.managementKubeconfig });
  throw new MatcherError("EVT_MATCHER_SETTINGS", "set EVT_CONFIG_DIR or EVT_MANAGEMENT_KUBECONFIG");
}

const bus = await connectBus({
  servers: cfg.natsUrl,
  user: cfg.natsUser,
  pass: cfg.natsPassword,
  token: cfg.natsToken,
  name: "evtrigger-matcher",
});
lifecycle.onShutdown(bus.close, "bus");
const busCheck = connectionCheck(bus.nc, "internal NATS");
const store = configStore();
await store.start();
lifecycle.onShutdown(() => store.close(), "config");
const matcher = await startMatcher({
  bus,
  store,
  logger,
  metrics,
  tracer: tracing.tracer,
  concurrency: cfg.concurrency,
  maxAckPending: cfg.maxAckPending,
  reportLimit: cfg.reportLimit,
});
lifecycle.onShutdown(matcher.close, "matcher");
const http = await startServiceHttp({
  service: "matcher",
  host: cfg.httpHost,
  port: cfg.httpPort,
  logger,
  metrics,
  checks: {
    nats: busCheck.check,
    // startMatcher ensured the topology and the durable before returning.
    consuming: () => (matcher.running ? true : "not consuming"),
    config: () =>
      store.ready ? true : `configuration not synced${store.lastError ? `: ${store.lastError.message}` : ""}`,
  },
});
lifecycle.onShutdown(http.close, "http");
lifecycle.installSignalHandlers(logger);
logger.info("listening", { url: http.url });
logger.info("ready", { ...matcher.state().index.stats, triggers: matcher.state().selector.triggerCount });
