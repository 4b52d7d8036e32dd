// Where a trigger deploys: the source cluster by default, every cluster matching
// destinationClusterSelector, or the one templated destinationCluster.
import type { ClusterRef } from "@evtrigger/bus";
import type { ConfigSnapshotLike, EventTriggerLike, LabelSelector, TemplateRender } from "../deps.js";
import { ApplierError } from "../errors.js";

export type SelectorMatch = (labels: Record<string, string> | undefined, selector: LabelSelector) => boolean;

export interface DestinationInput {
  trigger: EventTriggerLike;
  sourceCluster: ClusterRef;
  snapshot: ConfigSnapshotLike;
  /** Template data ({CloudEvent, Cluster}) for a templated destinationCluster. */
  data: Record<string, unknown>;
  render: TemplateRender;
  matches: SelectorMatch;
}

/** Destination cluster keys ("namespace/name"), sorted, without duplicates. */
export function destinationsOf(i: DestinationInput): string[] {
  const spec = i.trigger.spec;
  const name = i.trigger.metadata.name;
  if (spec.destinationCluster && (spec.destinationCluster.name || spec.destinationCluster.namespace)) {
    const field = (f: "namespace" | "name") => {
      const text = spec.destinationCluster?.[f] ?? "";
      try {
        return i.render(text, i.data, { name: `${name}.spec.destinationCluster.${f}`, funcs: "default" }).trim();
      } catch (err) {
        throw new ApplierError(
          "EVT_APPLIER_TEMPLATE",
          `EventTrigger ${name}: spec.destinationCluster.${f}: ${msg(err)}`,
          {
            terminal: true,
            cause: err,
            object: { kind: "EventTrigger", name },
            field: `spec.destinationCluster.${f}`,
          },
        );
      }
    };
    const key = `${field("namespace")}/${field("name")}`;
    if (!i.snapshot.clusters.has(key)) {
      throw new ApplierError(
        "EVT_APPLIER_DESTINATION",
        `EventTrigger ${name}: spec.destinationCluster renders to ${key}, which is not a registered cluster`,
        { terminal: true, object: { kind: "EventTrigger", name }, field: "spec.destinationCluster" },
      );
    }
    return [key];
  }
  if (spec.destinationClusterSelector) {
    const sel = spec.destinationClusterSelector;
    return [...i.snapshot.clusters.values()]
      .filter((c) => i.matches(c.labels, sel))
      .map((c) => c.key)
      .sort();
  }
  return [`${i.sourceCluster.namespace}/${i.sourceCluster.name}`];
}

function msg(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
