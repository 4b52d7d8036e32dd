// The service HTTP endpoint: fastify with our logger (fastify's own is off), one plugin per concern, read-only.
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from "fastify";
import fp from "fastify-plugin";
import { TelemetryError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import { health, type ReadinessCheck } from "./health.js";
import { metricsRoute } from "./metrics.js";

export interface ServiceHttpOptions {
  service: string;
  /** Listen address; default "127.0.0.1". Use "0.0.0.0" in containers so probes reach it. */
  host?: "127.0.0.1" | "0.0.0.0" | (string & {});
  /** Port; default 0 = a free port (see the returned `port`). */
  port?: number;
  logger: Logger;
  metrics: Metrics;
  /** Readiness checks by name, shown in /readyz. */
  checks: Record<string, ReadinessCheck>;
  /** Per-check timeout for /readyz; default 2000 ms. */
  checkTimeoutMs?: number;
  /** Extra plugins registered after health and metrics (e.g. the applier's status page). */
  plugins?: Array<FastifyPluginAsync>;
  /** Extra routes. Every route must declare a response schema and be GET (HEAD is added automatically). */
  routes?: (app: FastifyInstance) => void | Promise<void>;
}

export interface ServiceHttp {
  readonly app: FastifyInstance;
  /** Base URL, e.g. "http://127.0.0.1:41234" (127.0.0.1 when listening on 0.0.0.0). */
  readonly url: string;
  readonly port: number;
  /** Stops listening and runs every plugin's onClose hook. Idempotent. */
  close(): Promise<void>;
}

const READ_ONLY = new Set(["GET", "HEAD"]);

/**
 * Guards: only GET/HEAD reach handlers (405 with Allow otherwise), every route declares a response schema
 * (checked when the route is added), JSON 404s, and handler errors logged through our logger.
 */
const guards = fp(
  async (app: FastifyInstance, opts: { logger: Logger }) => {
    app.addHook("onRoute", (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const bad = methods.filter((m) => !READ_ONLY.has(m));
      if (bad.length > 0) {
        throw new TelemetryError(
          "EVT_TELEMETRY_ROUTE_SCHEMA",
          `route ${bad.join(",")} ${route.url}: service endpoints are read-only (GET/HEAD)`,
        );
      }
      if (!route.schema?.response) {
        throw new TelemetryError("EVT_TELEMETRY_ROUTE_SCHEMA", `route GET ${route.url} has no response schema`);
      }
    });
    app.addHook("onRequest", async (req, reply) => {
      if (!READ_ONLY.has(req.method)) {
        return reply
          .code(405)
          .header("allow", "GET, HEAD")
          .send({ error: `method ${req.method} not allowed` });
      }
    });
    app.setNotFoundHandler((req, reply) => {
      reply.code(404).send({ error: `no route ${req.method} ${req.url.split("?")[0]}` });
    });
    app.setErrorHandler((error, req, reply) => {
      const err = error as Error & { statusCode?: number; code?: string };
      const status = typeof err.statusCode === "number" && err.statusCode >= 400 ? err.statusCode : 500;
      if (status >= 500) opts.logger.error("http handler failed", { err, method: req.method, url: req.url });
      else opts.logger.debug("http request rejected", { err, method: req.method, url: req.url });
      reply.code(status).send({ error: status >= 500 ? "internal error" : err.message, code: err.code });
    });
    app.addHook("onResponse", async (req, reply) => {
      opts.logger.debug("http request", { method: req.method, url: req.url, status: reply.statusCode });
    });
  },
  { name: "evt-guards", fastify: "5.x" },
);

/** Starts the service's HTTP endpoint with /healthz, /readyz and /metrics and returns once it listens. */
export async function startServiceHttp(opts: ServiceHttpOptions): Promise<ServiceHttp> {
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TelemetryError("EVT_TELEMETRY_HTTP_OPTIONS", `${opts.service} http: port ${port} is not a valid port`);
  }
  const host = opts.host ?? "127.0.0.1";
  const logger = opts.logger.child({ component: "http" });
  const app = Fastify({ logger: false, return503OnClosing: true, forceCloseConnections: true });
  try {
    await app.register(guards, { logger });
    await app.register(health, { checks: opts.checks, checkTimeoutMs: opts.checkTimeoutMs });
    await app.register(metricsRoute, { metrics: opts.metrics });
    for (const plugin of opts.plugins ?? []) await app.register(plugin);
    if (opts.routes) await app.register(async (scope) => opts.routes?.(scope));
  } catch (err) {
    await app.close();
    throw err;
  }
  try {
    await app.listen({ host, port });
  } catch (err) {
    await app.close();
    const why = (err as { code?: string }).code === "EADDRINUSE" ? "address in use" : (err as Error).message;
    throw new TelemetryError(
      "EVT_TELEMETRY_HTTP_LISTEN",
      `${opts.service} http: cannot listen on ${host}:${port}: ${why}`,
      {
        cause: err,
      },
    );
  }
  const address = app.server.address();
  const actual = typeof address === "object" && address ? address.port : port;
  const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  const url = `http://${urlHost}:${actual}`;
  logger.info("http listening", { url, host, port: actual });
  let closed: Promise<void> | undefined;
  return {
    app,
    url,
    port: actual,
    close() {
      closed ??= app.close().then(() => logger.debug("http closed"));
      return closed;
    },
  };
}
