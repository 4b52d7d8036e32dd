// The inventory record: what one trigger deployed into one destination cluster for one event identity.
import type { CloudEventJson, ClusterRef, UpstreamPosition } from "@evtrigger/bus";

export interface DeployedObject {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  resourceVersion?: string;
  uid?: string;
}

export type CloudEventAction = "Create" | "Delete";

export interface InventoryEntry {
  v: 1;
  trigger: string;
  triggerGeneration: number;
  /** Destination cluster, "namespace/name". */
  cluster: string;
  sourceCluster: ClusterRef;
  eventSource: string;
  /** Hash of (source cluster, CE source, CE subject); also the `evtrigger.io/event-key` label. */
  eventKey: string;
  ceSource: string;
  ceSubject?: string;
  ceType: string;
  ceId: string;
  /** EVT_EVENTS sequence of the event that produced this state: the fencing token (see order.ts). */
  eventSeq: number;
  /** Its upstream JetStream position, when known: orders the key's events by publish order (see order.ts). */
  upstream?: UpstreamPosition;
  eventMsgId: string;
  action: CloudEventAction;
  syncMode: string;
  stopMatchingBehavior: string;
  /** DryRun: `objects` is what would have been applied, `wouldDelete` what would have been removed. */
  dryRun?: boolean;
  wouldDelete?: DeployedObject[];
  objects: DeployedObject[];
  /** The triggering event, kept so Continuous and drift repair can re-render without the stream. */
  event: CloudEventJson;
  /** The event's data was too large to keep: Continuous re-rendering is not possible for this entry. */
  eventDataOmitted?: boolean;
  matchedAt: string;
  appliedAt: string;
}

export function objectId(o: { apiVersion: string; kind: string; namespace?: string; name: string }): string {
  return `${o.apiVersion}|${o.kind}|${o.namespace ?? ""}|${o.name}`;
}

/** "apps:Deployment" / ":Namespace", the RESOURCE TYPE column of sveltosctl. */
export function resourceType(o: { apiVersion: string; kind: string }): string {
  const i = o.apiVersion.indexOf("/");
  return `${i < 0 ? "" : o.apiVersion.slice(0, i)}:${o.kind}`;
}
