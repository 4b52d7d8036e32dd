// ClusterAccess from a ConfigStore snapshot: the kubeconfig text the store resolved for each SveltosCluster
// (Secret or file). libs/config's ClusterRegistry offers the same through kubeConfigFor.
import { KubeConfig } from "@kubernetes/client-node";
import type { ClusterAccess, TriggerConfigSource } from "../deps.js";
import { ApplierError } from "../errors.js";

export function snapshotClusterAccess(store: TriggerConfigSource): ClusterAccess {
  return {
    kubeConfigFor(key) {
      const entry = store.snapshot().clusters.get(key);
      if (!entry?.kubeconfig) {
        throw new ApplierError(
          "EVT_APPLIER_CLUSTER",
          `cluster ${key}: ${entry ? (entry.kubeconfigError ?? "no kubeconfig resolved") : "not registered"}`,
          { terminal: false },
        );
      }
      const kc = new KubeConfig();
      kc.loadFromString(entry.kubeconfig);
      return kc;
    },
  };
}
