// Configuration changes → work on inventory entries: Continuous re-render when a trigger or a ConfigMap/Secret
// it references changes; WithdrawPolicies/LeavePolicies when a trigger is deleted or a cluster stops matching.
import { matchesSelector, selectClusters } from "@evtrigger/config";
import type { ClientPool } from "../apply/pool.js";
import { destinationsOf } from "../decide/destinations.js";
import type {
  ConfigChangeLike,
  ConfigSnapshotLike,
  EventTriggerLike,
  LoggerLike,
  TemplateRender,
  TriggerConfigSource,
} from "../deps.js";
import type { InventoryEntry } from "../inventory/entry.js";
import { eventRecordFilter, inventoryFilter, inventoryKey } from "../inventory/keys.js";
import type { InventoryStore } from "../inventory/store.js";
import { followsSelector, type Reconciler, syncModeOf, withoutResults } from "../reconcile.js";
import { templateData } from "../render/data.js";
import { type WorkQueue, workQueue } from "./queue.js";

export interface ContinuousSync {
  /** Queues a re-check of every entry of a trigger (also used at start-up). */
  enqueueTrigger(trigger: string): void;
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface ContinuousDeps {
  config: TriggerConfigSource;
  inventory: InventoryStore;
  reconciler: Reconciler;
  clients: ClientPool;
  render: TemplateRender;
  logger: LoggerLike;
}

export function startContinuousSync(d: ContinuousDeps): ContinuousSync {
  // Triggers whose inputs other than their own spec changed (ConfigMaps, Secrets, clusters): re-render even
  // when the trigger's generation is the one recorded.
  const forced = new Set<string>();
  const queue: WorkQueue = workQueue((trigger) => checkTrigger(d, trigger, forced.delete(trigger)), {
    concurrency: 2,
    onError: (trigger, err) => d.logger.warn("continuous sync failed; will retry", { trigger, error: String(err) }),
  });
  const unsubscribe = d.config.onChange((c) => {
    for (const t of affectedTriggers(c, d.config.snapshot())) {
      if (c.kind !== "EventTrigger") forced.add(t);
      queue.add(t);
    }
    if (c.kind === "SveltosCluster") d.clients.invalidate(c.key);
  });
  return {
    enqueueTrigger: (t) => queue.add(t),
    idle: () => queue.idle(),
    async close() {
      unsubscribe();
      await queue.close();
    },
  };
}

/** Triggers whose entries may need work after a change. Deleted triggers are named by the change itself. */
export function affectedTriggers(c: ConfigChangeLike, snapshot: ConfigSnapshotLike): string[] {
  if (c.kind === "EventTrigger") return [c.key];
  if (c.kind === "SveltosCluster" || c.kind === "ClusterSet") return [...snapshot.eventTriggers.keys()];
  if (c.kind === "ConfigMap" || c.kind === "Secret") {
    return [...snapshot.eventTriggers.values()]
      .filter((t) =>
        (t.spec.policyRefs ?? []).some(
          (r) =>
            r.kind === c.kind &&
            // A templated name or namespace could resolve to anything: re-check those triggers too.
            (r.name.includes("{{") ||
              (r.namespace ?? "").includes("{{") ||
              (r.name === c.key.slice(c.key.indexOf("/") + 1) &&
                (!r.namespace || r.namespace === c.key.slice(0, c.key.indexOf("/"))))),
        ),
      )
      .map((t) => t.metadata.name);
  }
  return [];
}

async function checkTrigger(d: ContinuousDeps, triggerName: string, forced: boolean): Promise<void> {
  const snapshot = d.config.snapshot();
  const trigger = snapshot.eventTriggers.get(triggerName);
  const entries = [
    ...(await d.inventory.list(inventoryFilter("applied", triggerName))),
    ...(await d.inventory.list(inventoryFilter("dryrun", triggerName))),
  ];
  for (const { key, entry } of entries) {
    if (!trigger) {
      // Trigger deleted: its recorded behaviour decides whether what it deployed goes with it.
      await d.reconciler.forget(key, entry.stopMatchingBehavior !== "LeavePolicies");
      continue;
    }
    if (!stillMatches(trigger, entry, snapshot, d.render)) {
      d.logger.info("cluster no longer matches EventTrigger", { trigger: triggerName, cluster: entry.cluster });
      await d.reconciler.forget(key, (trigger.spec.stopMatchingBehavior || "WithdrawPolicies") === "WithdrawPolicies");
      continue;
    }
    const mode = syncModeOf(trigger);
    if (mode === "OneTime") continue;
    // A status-only update of the trigger (our own conditions) keeps its generation: nothing to re-render.
    const generation = trigger.metadata.generation;
    const unchanged = !forced && generation !== undefined && generation === entry.triggerGeneration;
    if (entry.action === "Create" && !unchanged) await d.reconciler.resync(key);
  }
  if (trigger) await addNewDestinations(d, trigger, entries, snapshot);
  else
    for (const { key } of await d.inventory.list(eventRecordFilter(triggerName))) await d.reconciler.forget(key, false);
}

/**
 * destinationClusterSelector: a cluster that starts matching gets what each recorded event whose latest action
 * is Create deploys, like a ClusterProfile reaching a newly matching cluster.
 */
async function addNewDestinations(
  d: ContinuousDeps,
  trigger: EventTriggerLike,
  entries: { key: string; entry: InventoryEntry }[],
  snapshot: ConfigSnapshotLike,
): Promise<void> {
  if (!followsSelector(trigger)) return;
  const have = new Set(entries.map((e) => e.key));
  for (const { entry } of await d.inventory.list(eventRecordFilter(trigger.metadata.name))) {
    if (entry.action !== "Create" || entry.eventDataOmitted) continue;
    const dests = destinationsOf({
      trigger,
      sourceCluster: entry.sourceCluster,
      snapshot,
      data: templateData(entry.event, entry.sourceCluster, snapshot),
      render: d.render,
      matches: matchesSelector,
    });
    for (const cluster of dests) {
      const key = inventoryKey(
        { trigger: entry.trigger, cluster, eventKey: entry.eventKey },
        entry.dryRun ? "dryrun" : "applied",
      );
      if (have.has(key)) continue;
      d.logger.info("cluster started matching destinationClusterSelector", { trigger: entry.trigger, cluster });
      await d.reconciler.addDestination(key, { ...withoutResults(entry), cluster }, snapshot);
    }
  }
}
/** The source cluster is still selected and the destination is still one of the trigger's destinations. */
export function stillMatches(
  trigger: EventTriggerLike,
  entry: InventoryEntry,
  snapshot: ConfigSnapshotLike,
  render: TemplateRender,
): boolean {
  const sourceKey = `${entry.sourceCluster.namespace}/${entry.sourceCluster.name}`;
  const sources = selectClusters(snapshot, {
    clusterSelector: trigger.spec.sourceClusterSelector,
    clusterSetRefs: trigger.spec.clusterSetRefs,
  });
  if (!sources.some((c) => c.key === sourceKey)) return false;
  if (!snapshot.clusters.has(entry.cluster)) return false;
  try {
    const dests = destinationsOf({
      trigger,
      sourceCluster: entry.sourceCluster,
      snapshot,
      data: templateData(entry.event, entry.sourceCluster, snapshot),
      render,
      matches: matchesSelector,
    });
    return dests.includes(entry.cluster);
  } catch {
    // A destination template that no longer renders is reported on the next event; keep what is deployed.
    return true;
  }
}
