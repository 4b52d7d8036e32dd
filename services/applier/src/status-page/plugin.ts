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

/** Routes for startServiceHttp's `routes` option: `routes: statusPageRoutes({ bus, config, inventory })`. */
export function statusPageRoutes(sources: StatusPageSources) {
  return (app: App) => {
    app.get("/", { schema: { response: { 200: { type: "string" } } } }, async (_req, reply) => {
      const html = renderStatusPage(await collectStatusPage(sources));
      return reply.headers(STATUS_PAGE_HEADERS).send(html);
    });
  };
}
