// ContinuousWithDriftDetection: watch what was deployed and re-apply when someone edits or deletes it.
// One watch per (destination cluster, kind) on our managed-by label; our own writes are recognised by the
// resourceVersion the apply returned, so repairs do not loop, and our own deletions (a logout, a prune) by the
// object we announced deleting, so they are not "repaired" (such a repair races the logout's inventory write).
import type { ClusterClient, WatchEvent } from "../apply/client.js";
import { ANN_TRIGGER, LABEL_EVENT_KEY, LABEL_MANAGED_BY, MANAGED_BY } from "../apply/labels.js";
import type { ClientPool } from "../apply/pool.js";
import { collectionPath } from "../apply/ssa.js";
import type { LoggerLike } from "../deps.js";
import { type DeployedObject, objectId } from "../inventory/entry.js";
import { inventoryFilter, inventoryKey } from "../inventory/keys.js";
import type { InventoryStore } from "../inventory/store.js";
import type { WorkQueue } from "./queue.js";

export const DRIFT_MODE = "ContinuousWithDriftDetection";

/** Deletions awaiting their watch event, at most (oldest forgotten first). */
const MAX_OWN_DELETES = 10_000;

export interface DriftDetector {
  /** Records our own write and makes sure the object's kind is watched in that cluster. */
  track(cluster: string, ref: DeployedObject, inventoryKey: string): void;
  /**
   * Announces that we are deleting an object: its DELETED event (and a MODIFIED one while it terminates) is ours,
   * not drift. The returned callback takes whether it existed (if not, no event will come).
   */
  deleting(cluster: string, ref: DeployedObject): (existed: boolean) => void;
  /** Watches everything drift-mode entries in the inventory deployed (start-up). */
  loadFromInventory(): Promise<void>;
  watching(): number;
  close(): void;
}

interface Watch {
  cluster: string;
  apiVersion: string;
  kind: string;
  keys: Set<string>;
  /** Last resourceVersion seen: a re-opened watch resumes there instead of re-checking every entry. */
  rv?: string;
  stop?: () => void;
  timer?: NodeJS.Timeout;
  closed: boolean;
}

export function driftDetector(d: {
  clients: ClientPool;
  inventory: InventoryStore;
  /** Queue of inventory keys to re-apply. */
  repair: WorkQueue;
  logger: LoggerLike;
  restartDelayMs?: number;
}): DriftDetector {
  const ownRv = new Map<string, string>(); // cluster|objectId → resourceVersion we wrote
  // cluster|objectId → uid ("" unknown) of an object we are deleting, until its DELETED event. Bounded: an event
  // that never comes (the watch was down and restarted without a resume point) must not keep an entry forever.
  const ownDeletes = new Map<string, string>();
  const watches = new Map<string, Watch>(); // cluster|apiVersion|kind
  let closed = false;

  const onEvent = (w: Watch, e: WatchEvent) => {
    if (e.type === "ERROR") {
      // 410 Gone: the resume point is too old; the next watch starts fresh and re-checks everything.
      w.rv = undefined;
      return;
    }
    const meta = e.object.metadata ?? {};
    if (meta.resourceVersion) w.rv = meta.resourceVersion;
    if (e.type !== "MODIFIED" && e.type !== "DELETED") return;
    const ref = {
      apiVersion: w.apiVersion,
      kind: w.kind,
      name: meta.name ?? "",
      ...(meta.namespace ? { namespace: meta.namespace } : {}),
    };
    const id = `${w.cluster}|${objectId(ref)}`;
    if (e.type === "MODIFIED" && meta.resourceVersion && ownRv.get(id) === meta.resourceVersion) return;
    const deleting = ownDeletes.get(id);
    if (deleting !== undefined && (!deleting || !meta.uid || deleting === meta.uid)) {
      if (e.type === "DELETED") {
        ownDeletes.delete(id);
        return;
      }
      if (meta.deletionTimestamp) return; // terminating (finalizers) after our delete
    }
    const trigger = (meta as { annotations?: Record<string, string> }).annotations?.[ANN_TRIGGER];
    const eventKey = meta.labels?.[LABEL_EVENT_KEY];
    if (!trigger || !eventKey) return;
    const key = inventoryKey({ trigger, cluster: w.cluster, eventKey });
    if (!w.keys.has(key)) return; // not a drift-detected entry (a Continuous trigger's object of the same kind)
    d.logger.info("drift detected; re-applying", { cluster: w.cluster, kind: w.kind, name: ref.name, change: e.type });
    d.repair.add(key);
  };

  const open = async (w: Watch) => {
    if (w.closed || closed) return;
    let client: ClusterClient;
    try {
      client = await d.clients.get(w.cluster);
      const info = await client.resourceFor(w.apiVersion, w.kind);
      const resume = w.rv;
      const h = client.watch(
        collectionPath(info),
        {
          labelSelector: `${LABEL_MANAGED_BY}=${MANAGED_BY}`,
          timeoutSeconds: "290",
          ...(resume ? { resourceVersion: resume } : {}),
        },
        {
          // Without a resume point anything may have changed while no watch was open: check every entry once.
          onOpen: () => {
            if (!resume) for (const k of w.keys) d.repair.add(k);
          },
          onEvent: (e) => onEvent(w, e),
          onEnd: (err) => {
            if (/HTTP 410/.test(String(err))) w.rv = undefined;
            if (err) d.logger.debug("drift watch ended", { cluster: w.cluster, kind: w.kind, error: String(err) });
            schedule(w);
          },
        },
      );
      w.stop = () => h.stop();
    } catch (err) {
      d.logger.warn("cannot watch for drift; retrying", { cluster: w.cluster, kind: w.kind, error: String(err) });
      schedule(w);
    }
  };

  const schedule = (w: Watch) => {
    if (w.closed || closed) return;
    w.timer = setTimeout(() => void open(w), d.restartDelayMs ?? 500);
    w.timer.unref();
  };

  const ensure = (cluster: string, apiVersion: string, kind: string, key: string) => {
    const wk = `${cluster}|${apiVersion}|${kind}`;
    let w = watches.get(wk);
    if (!w) {
      w = { cluster, apiVersion, kind, keys: new Set([key]), closed: false };
      watches.set(wk, w);
      void open(w);
    } else w.keys.add(key);
  };

  return {
    track(cluster, ref, key) {
      if (ref.resourceVersion) ownRv.set(`${cluster}|${objectId(ref)}`, ref.resourceVersion);
      ensure(cluster, ref.apiVersion, ref.kind, key);
    },
    deleting(cluster, ref) {
      const id = `${cluster}|${objectId(ref)}`;
      const uid = ref.uid ?? "";
      ownDeletes.delete(id);
      ownDeletes.set(id, uid);
      if (ownDeletes.size > MAX_OWN_DELETES) ownDeletes.delete(ownDeletes.keys().next().value as string);
      return (existed) => {
        if (!existed && ownDeletes.get(id) === uid) ownDeletes.delete(id);
      };
    },
    async loadFromInventory() {
      for (const { key, entry } of await d.inventory.list(inventoryFilter("applied"))) {
        if (entry.syncMode !== DRIFT_MODE || entry.action !== "Create") continue;
        for (const o of entry.objects) {
          if (o.resourceVersion) ownRv.set(`${entry.cluster}|${objectId(o)}`, o.resourceVersion);
          ensure(entry.cluster, o.apiVersion, o.kind, key);
        }
      }
    },
    watching: () => watches.size,
    close() {
      closed = true;
      for (const w of watches.values()) {
        w.closed = true;
        w.stop?.();
        if (w.timer) clearTimeout(w.timer);
      }
      watches.clear();
    },
  };
}
