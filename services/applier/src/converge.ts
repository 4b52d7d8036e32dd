// Brings one destination cluster to the desired state of one inventory entry: render, apply, prune (Create)
// or delete and sweep (Delete). Pure with respect to the inventory: the caller records the result.
import type { ClusterClient } from "./apply/client.js";
import { deleteObject, listByLabels, type Owner } from "./apply/delete.js";
import { ANN_EVENT_SEQ, ownerSelector, stampOwnership } from "./apply/labels.js";
import { normalizeNamespace, refOf, serverSideApply } from "./apply/ssa.js";
import { configObjectMissing } from "./decide/config-sync.js";
import type { ConfigSnapshotLike, KubeObjectLike, TemplateRender } from "./deps.js";
import { type DeployedObject, type InventoryEntry, objectId } from "./inventory/entry.js";
import { templateData } from "./render/data.js";
import { renderPolicies } from "./render/policies.js";

/** What the entry should become, minus the results of converging. */
export type Desired = Omit<InventoryEntry, "objects" | "appliedAt" | "wouldDelete">;

export interface ConvergeDeps {
  snapshot: ConfigSnapshotLike;
  render: TemplateRender;
  client: ClusterClient;
  fieldManager: string;
  /** Called with each applied object (drift detection tracks its own writes). */
  onApplied?: (cluster: string, ref: DeployedObject) => void;
  /** Called before each delete; the callback it returns learns whether the object existed (drift detection). */
  onDeleting?: (cluster: string, ref: DeployedObject) => ((existed: boolean) => void) | undefined;
  /** Time spent rendering, ms (metrics). */
  onRendered?: (ms: number) => void;
  /**
   * Delete: also sweep the cluster by owner labels, for objects a crash kept out of the inventory. A list per
   * kind is costly on big clusters, so callers ask for it only when a record may be missing.
   */
  sweep?: boolean;
}

export interface Converged {
  objects: DeployedObject[];
  wouldDelete?: DeployedObject[];
  /** Objects removed (pruned or deleted). */
  removed: DeployedObject[];
}

// Namespaces and CRDs go first so the objects inside them can be created in the same pass.
const ORDER: Record<string, number> = { Namespace: 0, CustomResourceDefinition: 1 };
const rank = (o: { kind: string }) => ORDER[o.kind] ?? 2;

export interface DesiredObject {
  object: KubeObjectLike;
  createNamespace: boolean;
}

/** Renders the objects a Create of `d` deploys, stamped and with namespaces normalized. */
export async function desiredObjects(d: Desired, deps: ConvergeDeps): Promise<DesiredObject[]> {
  const trigger = deps.snapshot.eventTriggers.get(d.trigger);
  if (!trigger) {
    throw configObjectMissing("EVT_APPLIER_TRIGGER_NOT_FOUND", `EventTrigger ${d.trigger} no longer exists`, {
      missing: `EventTrigger ${d.trigger}`,
      matchedAt: d.matchedAt,
      object: { kind: "EventTrigger", name: d.trigger },
    });
  }
  const started = performance.now();
  const rendered = renderPolicies({
    trigger,
    snapshot: deps.snapshot,
    clusterNamespace: d.cluster.slice(0, d.cluster.indexOf("/")),
    data: templateData(d.event, d.sourceCluster, deps.snapshot),
    render: deps.render,
    matchedAt: d.matchedAt,
  });
  deps.onRendered?.(performance.now() - started);
  const byId = new Map<string, DesiredObject>();
  for (const r of rendered) {
    const stamped = stampOwnership(r.object, {
      trigger: d.trigger,
      sourceCluster: d.sourceCluster,
      ceSource: d.ceSource,
      ceSubject: d.ceSubject,
      eventKey: d.eventKey,
      eventSeq: d.eventSeq,
    });
    stamped.metadata.annotations = { ...stamped.metadata.annotations, [ANN_EVENT_SEQ]: String(d.eventSeq) };
    const obj = await normalizeNamespace(deps.client, stamped);
    // A later document with the same identity wins, like kubectl apply.
    byId.set(objectId(refOf(obj)), { object: obj, createNamespace: r.createNamespace !== false });
  }
  return [...byId.values()].sort((a, b) => rank(a.object) - rank(b.object));
}

export async function converge(d: Desired, prev: InventoryEntry | undefined, deps: ConvergeDeps): Promise<Converged> {
  const dryRun = d.dryRun === true;
  const prevObjects = prev?.action === "Create" ? prev.objects : [];
  if (d.action === "Create") {
    const objects = await desiredObjects(d, deps);
    const keep = new Set(objects.map((o) => objectId(refOf(o.object))));
    const stale = prevObjects.filter((o) => !keep.has(objectId(o)));
    if (dryRun) return { objects: objects.map((o) => refOf(o.object)), wouldDelete: stale, removed: [] };
    const applied: DeployedObject[] = [];
    for (const o of objects) {
      const ref = await serverSideApply(deps.client, d.cluster, o.object, deps.fieldManager, {
        createNamespace: o.createNamespace,
      });
      deps.onApplied?.(d.cluster, ref);
      applied.push(ref);
    }
    const removed: DeployedObject[] = [];
    const owner = { trigger: d.trigger, eventKey: d.eventKey };
    for (const o of stale) if (await remove(deps, d.cluster, o, owner)) removed.push(o);
    return { objects: applied, removed };
  }
  const targets = await deleteTargets(d, prevObjects, deps);
  if (dryRun) return { objects: [], wouldDelete: targets, removed: [] };
  const removed: DeployedObject[] = [];
  for (const o of targets.sort((a, b) => rank(b) - rank(a))) {
    if (await remove(deps, d.cluster, o, { trigger: d.trigger, eventKey: d.eventKey })) removed.push(o);
  }
  return { objects: [], removed };
}

async function remove(deps: ConvergeDeps, cluster: string, o: DeployedObject, owner: Owner): Promise<boolean> {
  // Announced before the request: the watch may report the deletion before the response arrives.
  const settled = deps.onDeleting?.(cluster, o);
  const existed = await deleteObject(deps.client, cluster, o, owner);
  settled?.(existed);
  return existed;
}

/**
 * Everything to remove for a Delete: what the inventory recorded, plus (with `sweep`) a label sweep over the
 * recorded kinds and the kinds the trigger's templates produce now, which finds objects whose record a crash lost.
 */
async function deleteTargets(d: Desired, recorded: DeployedObject[], deps: ConvergeDeps): Promise<DeployedObject[]> {
  if (!deps.sweep) return recorded;
  const kinds = new Map<string, { apiVersion: string; kind: string }>();
  for (const o of recorded) kinds.set(`${o.apiVersion}|${o.kind}`, o);
  try {
    for (const { object: o } of await desiredObjects({ ...d, action: "Create" }, deps)) {
      kinds.set(`${o.apiVersion}|${o.kind}`, o);
    }
  } catch {
    // The delete event may not render (its data differs from the login's): the recorded kinds still count.
  }
  const out = new Map<string, DeployedObject>();
  for (const o of recorded) out.set(objectId(o), o);
  const selector = ownerSelector(d.trigger, d.eventKey);
  for (const k of kinds.values()) {
    for (const o of await listByLabels(deps.client, d.cluster, k.apiVersion, k.kind, selector)) out.set(objectId(o), o);
  }
  return [...out.values()];
}
