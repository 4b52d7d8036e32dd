// GET / on the applier's HTTP endpoint: the status page. Read-only, no JavaScript; a CSP forbids scripts
// outright, so even a value that slipped past escaping could not run.
import type { ServiceHttpOptions } from "@evtrigger/telemetry";
import { collectStatusPage, type StatusPageSources } from "./data.js";
import { renderStatusPage } from "./view.js";

// The fastify instance type as libs/telemetry hands it over (no direct fastify dependency here).
type App = Parameters<NonNullable<ServiceHttpOptions["routes"]>>[0];

export const STATUS_PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
} as const;

/**
 * Routes for startServiceHttp's `routes` option: `routes: statusPageRoutes({ bus, config, inventory })`.
 * Renders at most once per `minIntervalMs` (default 1 s): many open pages refreshing every 5 s share one
 * collection instead of each scanning the KV buckets.
 */
export function statusPageRoutes(sources: StatusPageSources, o: { minIntervalMs?: number } = {}) {
  const minIntervalMs = o.minIntervalMs ?? 1000;
  let last: { at: number; html: Promise<string> } | undefined;
  const page = (): Promise<string> => {
    const now = Date.now();
    if (last && now - last.at < minIntervalMs) return last.html;
    const current = {
      at: now,
      html: collectStatusPage(sources)
        .then((data) => renderStatusPage(data))
        .catch((err: unknown) => {
          if (last === current) last = undefined; // do not serve a failure from the cache
          throw err;
        }),
    };
    last = current;
    return current.html;
  };
  return (app: App) => {
    app.get("/", { schema: { response: { 200: { type: "string" } } } }, async (_req, reply) => {
      return reply.headers(STATUS_PAGE_HEADERS).send(await page());
    });
  };
}
