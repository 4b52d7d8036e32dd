// Label selection evaluated like Kubernetes' metav1.LabelSelectorAsSelector.
import type { ClusterEntry, ConfigSnapshot, LabelSelector } from "./types.js";

/** An empty selector ({}) matches everything, like Kubernetes; an unknown operator matches nothing. */
export function matchesSelector(labels: Record<string, string> | undefined, selector: LabelSelector): boolean {
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const req of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(l, req.key);
    const values = req.values ?? [];
    switch (req.operator) {
      case "In":
        if (!has || !values.includes(l[req.key]!)) return false;
        break;
      case "NotIn":
        if (has && values.includes(l[req.key]!)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

export interface ClusterSelection {
  clusterSelector?: LabelSelector;
  clusterSetRefs?: string[];
}

/**
 * Clusters selected by a selector and/or ClusterSets (union), sorted by key. A ClusterSet contributes the
 * clusters of its spec.clusterRefs and those matching its clusterSelector; with spec.maxReplicas it keeps
 * its status.selectedClusterRefs when those are still candidates, then fills up in key order. Like Sveltos'
 * failover, a cluster whose status says `ready: false` is not picked under maxReplicas (nobody may write
 * that status in evtrigger deployments, so an absent status counts as healthy).
 */
export function selectClusters(
  snapshot: Pick<ConfigSnapshot, "clusters" | "clusterSets">,
  sel: ClusterSelection,
): ClusterEntry[] {
  const picked = new Map<string, ClusterEntry>();
  if (sel.clusterSelector) {
    for (const c of snapshot.clusters.values())
      if (matchesSelector(c.labels, sel.clusterSelector)) picked.set(c.key, c);
  }
  for (const setName of sel.clusterSetRefs ?? []) {
    for (const c of clusterSetMembers(snapshot, setName)) picked.set(c.key, c);
  }
  return [...picked.values()].sort((a, b) => a.key.localeCompare(b.key));
}

export function clusterSetMembers(
  snapshot: Pick<ConfigSnapshot, "clusters" | "clusterSets">,
  setName: string,
): ClusterEntry[] {
  const set = snapshot.clusterSets.get(setName);
  if (!set) return [];
  const candidates = new Map<string, ClusterEntry>();
  for (const ref of set.spec.clusterRefs ?? []) {
    const key = `${ref.namespace ?? ""}/${ref.name ?? ""}`;
    const c = snapshot.clusters.get(key);
    if (c) candidates.set(key, c);
  }
  if (set.spec.clusterSelector) {
    for (const c of snapshot.clusters.values()) {
      if (matchesSelector(c.labels, set.spec.clusterSelector)) candidates.set(c.key, c);
    }
  }
  const max = set.spec.maxReplicas;
  const all = [...candidates.values()].sort((a, b) => a.key.localeCompare(b.key));
  if (max === undefined || max <= 0 || all.length <= max) return all;
  const healthy = (c: ClusterEntry) => c.object.status?.ready !== false;
  const chosen: ClusterEntry[] = [];
  for (const ref of set.status?.selectedClusterRefs ?? []) {
    const c = candidates.get(`${ref.namespace ?? ""}/${ref.name ?? ""}`);
    if (c && healthy(c) && chosen.length < max && !chosen.includes(c)) chosen.push(c);
  }
  for (const c of all) if (healthy(c) && chosen.length < max && !chosen.includes(c)) chosen.push(c);
  return chosen.sort((a, b) => a.key.localeCompare(b.key));
}
