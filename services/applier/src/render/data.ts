// The template data Sveltos offers for CloudEvent-driven triggers: .CloudEvent (structured JSON, lowercase
// attributes, `data` as an object) and .Cluster (the source cluster object as a map).
import type { CloudEventJson, ClusterRef } from "@evtrigger/bus";
import type { ConfigSnapshotLike } from "../deps.js";

export function templateData(
  event: CloudEventJson,
  sourceCluster: ClusterRef,
  snapshot: ConfigSnapshotLike,
): Record<string, unknown> {
  const entry = snapshot.clusters.get(`${sourceCluster.namespace}/${sourceCluster.name}`);
  const cluster = entry?.object ?? {
    apiVersion: "lib.projectsveltos.io/v1beta1",
    kind: sourceCluster.kind,
    metadata: { namespace: sourceCluster.namespace, name: sourceCluster.name, labels: entry?.labels ?? {} },
  };
  return { CloudEvent: event, Cluster: cluster };
}
