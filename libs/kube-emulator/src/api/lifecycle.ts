import { errors } from "../errors.js";
import { typeFromCrd } from "./crds.js";
import { objectFilter } from "./reads.js";
import { asVersion, type Ctx, nowRfc3339, rkeyOf, type Target } from "./target.js";
import { isPlainObject, type KubeObject, objectKey, type ResourceType } from "./types.js";

// Deletion (finalizers, deletionTimestamp, namespace termination, garbage collection of dependents by
// ownerReferences) and the side effects of writes: a CRD write (re)registers its kind, a CRD removal takes
// the kind and its objects away.

/** Removes from the store right away (no finalizer left). */
export function removeNow(ctx: Ctx, t: ResourceType, o: Readonly<KubeObject>): Readonly<KubeObject> {
  return ctx.store.remove(rkeyOf(t), o.metadata.namespace, o.metadata.name!) ?? o;
}

export function afterWrite(ctx: Ctx, t: ResourceType, o: Readonly<KubeObject>): void {
  if (t.kind === "CustomResourceDefinition" && !o.metadata.deletionTimestamp) ctx.registry.put(typeFromCrd(o));
  if (t.kind === "Namespace" && o.metadata.deletionTimestamp) scheduleNamespaceCleanup(ctx, o.metadata.name!);
}

/**
 * Background garbage collection: dependents whose ownerReferences name a removed owner are deleted, or with
 * propagationPolicy=Orphan keep living with that reference dropped.
 */
function collectDependents(ctx: Ctx, owner: KubeObject, orphan: boolean): void {
  const uid = owner.metadata.uid;
  if (!uid) return;
  setImmediate(() => {
    const dependents = ctx.store.dependentsOf(uid);
    if (dependents.length === 0) return;
    // From the store's ownerReference index; in the order a scan would meet them (resource, then namespace/name).
    const order = new Map(ctx.store.resourceKeys().map((k, i) => [k, i]));
    const ns = owner.metadata.namespace;
    const found = dependents
      .filter((d) => !ns || d.object.metadata.namespace === ns)
      .map((d) => ({ ...d, key: objectKey(d.object.metadata.namespace, d.object.metadata.name!) }))
      .sort(
        (a, b) => (order.get(a.rkey) ?? 0) - (order.get(b.rkey) ?? 0) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
      );
    for (const { rkey, object } of found) {
      const t = ctx.registry.all().find((x) => rkeyOf(x) === rkey);
      if (!t || object.metadata.deletionTimestamp) continue;
      const o = ctx.store.get(rkey, object.metadata.namespace, object.metadata.name!);
      if (!o) continue;
      if (!orphan) {
        markDeleted(ctx, t, o);
        continue;
      }
      const refs = (o.metadata.ownerReferences ?? []) as { uid?: string }[];
      o.metadata.ownerReferences = refs.filter((r) => r.uid !== uid);
      if (o.metadata.ownerReferences.length === 0) delete o.metadata.ownerReferences;
      ctx.store.put(rkey, o, "MODIFIED");
    }
  });
}

export function afterRemove(ctx: Ctx, t: ResourceType, o: Readonly<KubeObject>, orphan = false): void {
  collectDependents(ctx, o, orphan);
  if (t.kind === "CustomResourceDefinition") {
    const spec = o.spec as { group?: string; names?: { plural?: string } };
    const crType = ctx.registry.get(spec.group ?? "", spec.names?.plural ?? "");
    if (crType) {
      for (const cr of ctx.store.scan(rkeyOf(crType))) removeNow(ctx, crType, cr);
      ctx.registry.remove(crType.group, crType.plural);
      ctx.store.hub.resourceGone(rkeyOf(crType));
    }
  }
  const ns = o.metadata.namespace;
  if (ns) {
    const nsObj = ctx.store.peek("namespaces", undefined, ns);
    if (nsObj?.metadata.deletionTimestamp) scheduleNamespaceCleanup(ctx, ns);
  }
}

/** Marks an object deleted: gone now without finalizers, otherwise deletionTimestamp until they are removed. */
function markDeleted(
  ctx: Ctx,
  t: ResourceType,
  o: KubeObject,
  orphan = false,
): { object: Readonly<KubeObject>; gone: boolean } {
  const pending = (o.metadata.finalizers?.length ?? 0) > 0 || t.kind === "Namespace";
  if (!pending) {
    const gone = removeNow(ctx, t, o);
    afterRemove(ctx, t, gone, orphan);
    return { object: gone, gone: true };
  }
  if (o.metadata.deletionTimestamp) return { object: o, gone: false };
  o.metadata.deletionTimestamp = nowRfc3339();
  o.metadata.deletionGracePeriodSeconds = 0;
  if (t.kind === "Namespace") o.status = { ...(isPlainObject(o.status) ? o.status : {}), phase: "Terminating" };
  if (o.metadata.generation !== undefined) o.metadata.generation += 1;
  const stored = ctx.store.put(rkeyOf(t), o, "MODIFIED");
  afterWrite(ctx, t, stored);
  return { object: stored, gone: false };
}

function checkPreconditions(target: Target, o: KubeObject, body: unknown): void {
  const pre = isPlainObject(body) && isPlainObject(body.preconditions) ? body.preconditions : undefined;
  if (!pre) return;
  const bad = (what: string, want: unknown, got: unknown) =>
    errors.conflict(
      { kind: target.t.kind, group: target.t.group, name: target.name },
      target.t.plural,
      `Precondition failed: ${what} in precondition: ${String(want)}, ${what} in object meta: ${String(got)}`,
    );
  if (pre.uid && pre.uid !== o.metadata.uid) throw bad("UID", pre.uid, o.metadata.uid);
  if (pre.resourceVersion && pre.resourceVersion !== o.metadata.resourceVersion)
    throw bad("ResourceVersion", pre.resourceVersion, o.metadata.resourceVersion);
}

/** DELETE of one object: the object while finalizers hold it, a Success Status once it is gone. */
export function deleteObject(
  ctx: Ctx,
  target: Target,
  body: unknown,
): { status: number; body: Record<string, unknown> } {
  const stored = ctx.store.peek(rkeyOf(target.t), target.namespace, target.name!);
  if (!stored)
    throw errors.notFound({ kind: target.t.kind, group: target.t.group, name: target.name }, target.t.plural);
  // markDeleted only sets top-level and metadata fields: a new top level and metadata are enough, the rest is
  // shared with the stored version, which nobody changes.
  const o: KubeObject = { ...stored, metadata: { ...stored.metadata } };
  checkPreconditions(target, o, body);
  if (target.query.get("dryRun") === "All") return { status: 200, body: asVersion(o, target) };
  const policy = (isPlainObject(body) ? body.propagationPolicy : undefined) ?? target.query.get("propagationPolicy");
  const r = markDeleted(ctx, target.t, o, policy === "Orphan");
  if (!r.gone) return { status: 200, body: asVersion(r.object, target) };
  return {
    status: 200,
    body: {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Success",
      details: { name: target.name, group: target.t.group, kind: target.t.plural, uid: o.metadata.uid },
    },
  };
}

export function deleteCollection(ctx: Ctx, target: Target): Record<string, unknown> {
  const filter = objectFilter(target);
  const items: KubeObject[] = [];
  for (const o of ctx.store.list(rkeyOf(target.t), target.namespace).filter(filter)) {
    items.push(asVersion(markDeleted(ctx, target.t, o).object, target));
  }
  return {
    kind: target.t.listKind,
    apiVersion: target.t.group ? `${target.t.group}/${target.version}` : target.version,
    metadata: { resourceVersion: String(ctx.store.resourceVersion) },
    items,
  };
}

const pendingCleanups = new WeakMap<Ctx, Set<string>>();

/** Namespace termination runs after the response, as the namespace controller would. */
function scheduleNamespaceCleanup(ctx: Ctx, ns: string): void {
  let set = pendingCleanups.get(ctx);
  if (!set) {
    set = new Set();
    pendingCleanups.set(ctx, set);
  }
  if (set.has(ns)) return;
  set.add(ns);
  setImmediate(() => {
    set.delete(ns);
    finalizeNamespace(ctx, ns);
  });
}

function finalizeNamespace(ctx: Ctx, ns: string): void {
  const nsObj = ctx.store.peek("namespaces", undefined, ns);
  if (!nsObj?.metadata.deletionTimestamp) return;
  let remaining = 0;
  for (const rkey of ctx.store.resourcesIn(ns)) {
    const t = ctx.registry.all().find((x) => rkeyOf(x) === rkey);
    for (const o of ctx.store.list(rkey, ns)) {
      if (!t) {
        ctx.store.remove(rkey, ns, o.metadata.name!);
        continue;
      }
      if (!markDeleted(ctx, t, o).gone) remaining++;
    }
  }
  if (remaining > 0 || (nsObj.metadata.finalizers?.length ?? 0) > 0) return;
  ctx.store.remove("namespaces", undefined, ns);
}
