// Start-up shared by every service's main.ts: settings, logger, metrics, tracing, lifecycle, internal bus,
// config source. Each service's main.ts then only starts its own work and its HTTP surface.
import { type Bus, connectBus } from "@evtrigger/bus";
import { type ConfigKind, type ConfigStore, DirConfigStore, KubeConfigStore } from "@evtrigger/config";
import {
  connectionCheck,
  createLogger,
  createMetrics,
  initTracing,
  type Logger,
  type Metrics,
  ServiceLifecycle,
  type Settings,
  type SettingsSchema,
  type SettingsValues,
  startServiceHttp,
} from "@evtrigger/telemetry";
import { configStatusRoute } from "./configStatus.js";
import { RuntimeError } from "./errors.js";

type ReadinessCheck = () => Promise<true | string> | true | string;
type HttpOptions = Parameters<typeof startServiceHttp>[0];

/** What the common settings parse to; every service schema spreads `commonSettings(...)`. */
export interface CommonValues {
  logLevel: "debug" | "info" | "warn" | "error";
  httpHost: string;
  httpPort: number;
  shutdownTimeoutMs: number;
  natsUrl: string[];
  natsUser?: string;
  natsPassword?: string;
  natsToken?: string;
  configDir?: string;
  managementKubeconfig?: string;
}

export interface Service<V> {
  name: string;
  cfg: V;
  logger: Logger;
  metrics: Metrics;
  tracing: ReturnType<typeof initTracing>;
  lifecycle: ServiceLifecycle;
}

/** Parses the settings (env, then flags) and sets up logging, metrics, tracing and the shutdown sequence. */
export function bootService<S extends SettingsSchema>(
  name: string,
  settings: Settings<S>,
): Service<SettingsValues<S> & CommonValues> {
  const cfg = settings.parse(process.env, process.argv.slice(2)) as SettingsValues<S> & CommonValues;
  const logger = createLogger({ service: name, level: cfg.logLevel });
  logger.info("starting", settings.summary(cfg));
  const metrics = createMetrics({ service: name });
  const tracing = initTracing({ service: name });
  const lifecycle = new ServiceLifecycle({ timeoutMs: cfg.shutdownTimeoutMs });
  lifecycle.onShutdown(tracing.shutdown, "tracing");
  return { name, cfg, logger, metrics, tracing, lifecycle };
}

/** Connects to the internal NATS; the returned check is red while the connection is down or reconnecting. */
export async function openBus(
  s: Service<CommonValues>,
  o: { noAsyncTraces?: boolean } = {},
): Promise<{ bus: Bus; check: ReadinessCheck }> {
  const bus = await connectBus({
    servers: s.cfg.natsUrl,
    user: s.cfg.natsUser,
    pass: s.cfg.natsPassword,
    token: s.cfg.natsToken,
    name: `evtrigger-${s.name}`,
    noAsyncTraces: o.noAsyncTraces,
  });
  s.lifecycle.onShutdown(bus.close, "bus");
  return { bus, check: connectionCheck(bus.nc, "internal NATS").check };
}

/** The config store openConfig opened for a service: serve() publishes what it has observed (GET /status/config). */
const openedConfig = new WeakMap<Service<CommonValues>, ConfigStore>();

/**
 * Opens and syncs the config source: a directory, or the management cluster. `writeStatus` makes this process
 * the writer of EventSource/EventTrigger Valid conditions; exactly one service (the matcher) should be.
 */
export async function openConfig(
  s: Service<CommonValues>,
  o: { writeStatus: boolean; kinds?: readonly ConfigKind[] },
): Promise<{ store: ConfigStore; kube?: KubeConfigStore; check: ReadinessCheck }> {
  let store: ConfigStore;
  let kube: KubeConfigStore | undefined;
  if (s.cfg.configDir) store = new DirConfigStore({ dir: s.cfg.configDir });
  else if (s.cfg.managementKubeconfig) {
    kube = new KubeConfigStore({
      kubeconfigPath: s.cfg.managementKubeconfig,
      writeStatus: o.writeStatus,
      kinds: o.kinds,
    });
    store = kube;
  } else throw new RuntimeError("EVT_RUNTIME_SETTINGS", "set EVT_CONFIG_DIR or EVT_MANAGEMENT_KUBECONFIG");
  await store.start();
  openedConfig.set(s, store);
  s.lifecycle.onShutdown(() => store.close(), "config");
  const check = () =>
    store.ready ? true : `configuration not synced${store.lastError ? `: ${store.lastError.message}` : ""}`;
  return { store, kube, check };
}

/**
 * Starts the HTTP surface, installs the signal handlers and logs `listening` and `ready`. A service that opened its
 * config with openConfig also gets GET /status/config (see configStatus.ts).
 */
export async function serve(
  s: Service<CommonValues>,
  o: { checks: Record<string, ReadinessCheck>; routes?: HttpOptions["routes"]; ready?: Record<string, unknown> },
): Promise<{ url: string }> {
  const http = await startServiceHttp({
    service: s.name,
    host: s.cfg.httpHost,
    port: s.cfg.httpPort,
    logger: s.logger,
    metrics: s.metrics,
    checks: o.checks,
    routes: async (app) => {
      const store = openedConfig.get(s);
      if (store) configStatusRoute(s.name, store)(app);
      await o.routes?.(app);
    },
  });
  s.lifecycle.onShutdown(http.close, "http");
  s.lifecycle.installSignalHandlers(s.logger);
  s.logger.info("listening", { url: http.url });
  s.logger.info("ready", o.ready);
  return { url: http.url };
}
