// Metrics plugin: /metrics in Prometheus text format, plus request counting for the service's own HTTP routes.
import type { FastifyPluginAsync } from "fastify";
import fp from "fastify-plugin";
import type { Metrics } from "../metrics.js";

export interface MetricsPluginOptions {
  metrics: Metrics;
}

declare module "fastify" {
  interface FastifyInstance {
    /** The service's metrics (registry, counters, text()). */
    metrics: Metrics;
  }
}

const metricsPlugin: FastifyPluginAsync<MetricsPluginOptions> = async (app, opts) => {
  const { metrics } = opts;
  // Route patterns (not raw URLs) as labels keep the cardinality bounded; unknown paths count as "unmatched".
  const requests = metrics.counter("evtrigger_http_requests_total", "HTTP requests served by the service endpoint", [
    "route",
    "method",
    "status",
  ]);
  app.decorate("metrics", metrics);

  app.addHook("onResponse", async (req, reply) => {
    const route = req.routeOptions.url ?? "unmatched";
    requests.inc({ route, method: req.method, status: String(reply.statusCode) });
  });

  app.get("/metrics", { schema: { response: { 200: { type: "string" } } } }, async (_req, reply) => {
    const body = await metrics.text();
    return reply.type(metrics.contentType).send(body);
  });
};

/** Registers GET /metrics and counts HTTP requests in evtrigger_http_requests_total{route,method,status}. */
export const metricsRoute = fp(metricsPlugin, { name: "evt-metrics", fastify: "5.x" });
