// ClusterNatsSource over libs/config: clusters from the ConfigStore (SveltosClusters), Secrets read and watched
// in each MANAGED cluster through the ClusterRegistry (`projectsveltos/sveltos-nats`, key `sveltos-nats`).
import type { ClusterRef } from "@evtrigger/bus";
import type { ClusterRegistry, ConfigStore, NatsConfigResult as RegistryResult } from "@evtrigger/config";
import type { ClusterNatsSource, NatsConfigResult } from "./source.js";
import { clusterKey } from "./source.js";

function toResult(r: RegistryResult): NatsConfigResult {
  return {
    config: r.config,
    problems: r.problems.map((p) => ({ path: p.path, reason: p.reason })),
    // The registry hashes the raw payload ("" when absent); problems without a payload get their own identity so
    // a later, different problem is still applied.
    hash: r.hash || (r.problems.length ? `problems:${r.problems.map((p) => p.reason).join("|")}` : null),
    resourceVersion: r.resourceVersion,
  };
}

export function registrySource(registry: ClusterRegistry, store: ConfigStore): ClusterNatsSource {
  return {
    clusters: (): ClusterRef[] =>
      registry.clusters().map((c) => ({ namespace: c.namespace, name: c.name, kind: c.kind })),
    onClustersChanged: (cb) =>
      store.onChange((c) => {
        if (c.kind === "SveltosCluster" && c.type !== "modified") cb();
      }),
    natsConfig: async (cluster) => toResult(await registry.natsConfigFor(clusterKey(cluster))),
    watchNatsConfig(cluster, cb) {
      const w = registry.watchNatsConfig(clusterKey(cluster), (r) => cb(toResult(r)));
      return () => void w.close();
    },
  };
}
