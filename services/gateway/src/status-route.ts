// GET /clusters: each managed cluster's Secret state, upstream connections and subscriptions (no secrets: URLs are
// redacted, authorization never leaves the gateway). Read-only, for operators and the status page.
import type { ServiceHttpOptions } from "@evtrigger/telemetry";
import type { GatewayStatus } from "./service.js";

// The fastify instance type as libs/telemetry hands it over (no direct fastify dependency here).
type App = Parameters<NonNullable<ServiceHttpOptions["routes"]>>[0];

const subscription = {
  type: "object",
  properties: { name: { type: "string" }, state: { type: "string" }, error: { type: "string" } },
} as const;

const statusSchema = {
  type: "object",
  properties: {
    bus: { type: "boolean" },
    synced: { type: "boolean" },
    clusters: {
      type: "array",
      items: {
        type: "object",
        properties: {
          cluster: { type: "string" },
          state: { type: "string" },
          configHash: { type: ["string", "null"] },
          resourceVersion: { type: ["string", "null"] },
          subscribed: { type: "boolean" },
          problems: {
            type: "array",
            items: { type: "object", properties: { path: { type: "string" }, reason: { type: "string" } } },
          },
          connections: {
            type: "array",
            items: {
              type: "object",
              properties: {
                transport: { type: "string" },
                url: { type: "string" },
                state: { type: "string" },
                error: { type: "string" },
                subscriptions: { type: "array", items: subscription },
              },
            },
          },
        },
      },
    },
  },
} as const;

export function statusRoutes(status: () => GatewayStatus) {
  return (app: App) => {
    app.get("/clusters", { schema: { response: { 200: statusSchema } } }, async () => status());
  };
}
