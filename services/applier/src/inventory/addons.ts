// The deployed-addons view of the inventory (sveltosctl show addons): one row per deployed object.
import { type InventoryEntry, resourceType } from "./entry.js";
import { type InventoryMode, inventoryFilter } from "./keys.js";
import type { InventoryStore } from "./store.js";

export interface AddonRow {
  /** Destination cluster, "namespace/name". */
  cluster: string;
  /** "group:Kind", e.g. ":Namespace", "apps:Deployment". */
  resourceType: string;
  namespace: string;
  name: string;
  /** Sveltos shows a chart version here; plain resources have none. */
  version: string;
  /** When it was applied (or, for a dry run, evaluated). */
  time: string;
  /** The owner: `EventTrigger/<name>`. */
  eventTrigger: string;
  /** The event identity that owns it: CE source and subject. */
  event: { source: string; subject: string; id: string; type: string; seq: number };
  /** Dry run only: what applying the event would do. */
  dryRunAction?: "apply" | "delete";
}

export interface AddonFilter {
  cluster?: string;
  namespace?: string;
  kind?: string;
  trigger?: string;
}

function rowsOf(e: InventoryEntry, mode: InventoryMode): AddonRow[] {
  const base = {
    cluster: e.cluster,
    version: "N/A",
    time: e.appliedAt,
    eventTrigger: `EventTrigger/${e.trigger}`,
    event: { source: e.ceSource, subject: e.ceSubject ?? "", id: e.ceId, type: e.ceType, seq: e.eventSeq },
  };
  const row = (o: InventoryEntry["objects"][number], action?: "apply" | "delete"): AddonRow => ({
    ...base,
    resourceType: resourceType(o),
    namespace: o.namespace ?? "",
    name: o.name,
    ...(mode === "dryrun" && action ? { dryRunAction: action } : {}),
  });
  if (mode === "applied") return e.action === "Create" ? e.objects.map((o) => row(o)) : [];
  return [...e.objects.map((o) => row(o, "apply")), ...(e.wouldDelete ?? []).map((o) => row(o, "delete"))];
}

const byRow = (a: AddonRow, b: AddonRow) =>
  a.cluster.localeCompare(b.cluster) ||
  a.namespace.localeCompare(b.namespace) ||
  a.name.localeCompare(b.name) ||
  a.resourceType.localeCompare(b.resourceType);

export interface AddonSummary {
  /** The first `limit` rows in listAddons order. */
  rows: AddonRow[];
  total: number;
  /** Rows per EventTrigger name. */
  perTrigger: Map<string, number>;
}

/**
 * What the status page shows of the deployed addons, read entry by entry: only `limit` rows are ever held, so a
 * page view stays small with 100,000 inventory entries (listing them all cost ~100 MB of heap per request).
 */
export async function summarizeAddons(inventory: InventoryStore, limit: number): Promise<AddonSummary> {
  let rows: AddonRow[] = [];
  let total = 0;
  const perTrigger = new Map<string, number>();
  const trim = () => {
    rows.sort(byRow);
    rows = rows.slice(0, limit);
  };
  await inventory.each(inventoryFilter("applied"), (_, { entry }) => {
    for (const r of rowsOf(entry, "applied")) {
      total++;
      perTrigger.set(entry.trigger, (perTrigger.get(entry.trigger) ?? 0) + 1);
      rows.push(r);
      if (rows.length >= 2 * limit + 64) trim();
    }
  });
  trim();
  return { rows, total, perTrigger };
}

/** Rows sorted by cluster, namespace, name; `mode: "dryrun"` reads DryRun records instead. */
export async function listAddons(
  inventory: InventoryStore,
  f: AddonFilter = {},
  mode: InventoryMode = "applied",
): Promise<AddonRow[]> {
  const entries = await inventory.list(inventoryFilter(mode, f.trigger, f.cluster));
  const rows = entries.flatMap(({ entry }) => rowsOf(entry, mode));
  return rows
    .filter(
      (r) => (!f.cluster || r.cluster === f.cluster) && (f.namespace === undefined || r.namespace === f.namespace),
    )
    .filter(
      (r) => !f.kind || r.resourceType.slice(r.resourceType.indexOf(":") + 1).toLowerCase() === f.kind.toLowerCase(),
    )
    .sort(byRow);
}
