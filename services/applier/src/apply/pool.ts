// One REST client per destination cluster, built lazily from the cluster registry's kubeconfig and dropped
// when the cluster's registration changes.
import type { ClusterAccess } from "../deps.js";
import { ApplierError } from "../errors.js";
import { type ClusterClient, makeClusterClient } from "./client.js";

export interface ClientPool {
  get(cluster: string): Promise<ClusterClient>;
  invalidate(cluster: string): void;
  close(): void;
}

export function clientPool(access: ClusterAccess, timeoutMs?: number): ClientPool {
  const clients = new Map<string, Promise<ClusterClient>>();
  return {
    get(cluster) {
      let p = clients.get(cluster);
      if (!p) {
        p = (async () => {
          let kc: Awaited<ReturnType<ClusterAccess["kubeConfigFor"]>>;
          try {
            kc = await access.kubeConfigFor(cluster);
          } catch (err) {
            // An unregistered cluster will not appear by retrying this match; a registered one whose kubeconfig
            // Secret is not synced yet may: retry that rather than drop the event.
            const unregistered = (err as { code?: string }).code === "EVT_CONFIG_NOT_FOUND";
            throw new ApplierError(
              "EVT_APPLIER_CLUSTER",
              `cluster ${cluster}: no usable kubeconfig: ${err instanceof Error ? err.message : String(err)}`,
              { terminal: unregistered, cause: err },
            );
          }
          return makeClusterClient(kc, cluster, timeoutMs);
        })();
        clients.set(cluster, p);
        p.catch(() => clients.delete(cluster));
      }
      return p;
    },
    invalidate(cluster) {
      const p = clients.get(cluster);
      clients.delete(cluster);
      p?.then((c) => c.close()).catch(() => {});
    },
    close() {
      for (const c of clients.keys()) this.invalidate(c);
    },
  };
}
