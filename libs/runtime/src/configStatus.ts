// GET /status/config: what this process's config store has taken in (per kind, the resourceVersion its snapshot
// has caught up with; for a directory, the hash of each file read). Tests and operators ask it "has this service
// got the configuration I just applied?" instead of publishing until something happens. No object contents.
import type { ConfigStore } from "@evtrigger/config";
import type { startServiceHttp } from "@evtrigger/telemetry";

type App = Parameters<NonNullable<Parameters<typeof startServiceHttp>[0]["routes"]>>[0];

const stringMap = { type: "object", additionalProperties: { type: "string" } } as const;

export const configStatusSchema = {
  type: "object",
  properties: {
    service: { type: "string" },
    ready: { type: "boolean" },
    source: { type: "string", enum: ["kubernetes", "directory", "memory", "unknown"] },
    version: { type: "number" },
    kinds: stringMap,
    scans: { type: "number" },
    files: stringMap,
  },
  required: ["service", "ready", "source", "version"],
} as const;

export interface ConfigStatus {
  service: string;
  ready: boolean;
  source: "kubernetes" | "directory" | "memory" | "unknown";
  version: number;
  kinds?: Record<string, string>;
  scans?: number;
  files?: Record<string, string>;
}

export function configStatus(service: string, store: ConfigStore): ConfigStatus {
  const o = store.observed?.();
  return {
    service,
    ready: store.ready,
    source: o?.source ?? "unknown",
    version: o?.version ?? store.snapshot().version,
    ...(o?.kinds ? { kinds: o.kinds as Record<string, string> } : {}),
    ...(o?.scans !== undefined ? { scans: o.scans } : {}),
    ...(o?.files ? { files: o.files } : {}),
  };
}

/** Registers GET /status/config for `store`. */
export function configStatusRoute(service: string, store: ConfigStore) {
  return (app: App) => {
    app.get("/status/config", { schema: { response: { 200: configStatusSchema } } }, async () =>
      configStatus(service, store),
    );
  };
}
