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
    .sort(
      (a, b) =>
        a.cluster.localeCompare(b.cluster) ||
        a.namespace.localeCompare(b.namespace) ||
        a.name.localeCompare(b.name) ||
        a.resourceType.localeCompare(b.resourceType),
    );
}
