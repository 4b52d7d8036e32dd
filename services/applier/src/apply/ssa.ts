// Server-side apply of one object: PATCH with application/apply-patch+yaml, one field manager, force=true
// (the trigger owns what it renders, like Sveltos' addon-controller).
import type { KubeObjectLike } from "../deps.js";
import { ApplierError } from "../errors.js";
import type { DeployedObject } from "../inventory/entry.js";
import { type ClusterClient, classify, type ResourceInfo } from "./client.js";

export function objectPath(info: ResourceInfo, name: string, namespace: string | undefined): string {
  const ns = info.namespaced ? `/namespaces/${encodeURIComponent(namespace || "default")}` : "";
  return `${info.base}${ns}/${info.plural}/${encodeURIComponent(name)}`;
}

export function collectionPath(info: ResourceInfo, namespace?: string): string {
  const ns = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  return `${info.base}${ns}/${info.plural}`;
}

/** Fills the namespace of a namespaced object (default "default") and drops it from cluster-scoped ones. */
export async function normalizeNamespace(client: ClusterClient, obj: KubeObjectLike): Promise<KubeObjectLike> {
  const info = await client.resourceFor(obj.apiVersion, obj.kind);
  const { namespace: _ns, ...rest } = obj.metadata;
  return {
    ...obj,
    metadata: info.namespaced ? { ...rest, namespace: obj.metadata.namespace || "default" } : rest,
  };
}

function missingNamespace(body: unknown): boolean {
  const details = (body as { details?: { kind?: string } } | undefined)?.details;
  return details?.kind === "namespaces";
}

export function refOf(obj: KubeObjectLike): DeployedObject {
  const ref: DeployedObject = { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name };
  if (obj.metadata.namespace) ref.namespace = obj.metadata.namespace;
  return ref;
}

export async function serverSideApply(
  client: ClusterClient,
  cluster: string,
  obj: KubeObjectLike,
  fieldManager: string,
  o: { createNamespace?: boolean } = {},
): Promise<DeployedObject> {
  const info = await client.resourceFor(obj.apiVersion, obj.kind);
  const path = objectPath(info, obj.metadata.name, obj.metadata.namespace);
  const apply = () =>
    client.request("PATCH", path, {
      body: JSON.stringify(obj),
      contentType: "application/apply-patch+yaml",
      query: { fieldManager, force: "true" },
    });
  let res = await apply();
  if (res.status === 404 && info.namespaced && o.createNamespace && missingNamespace(res.body)) {
    // Like Sveltos: a resource's namespace is created when missing (unless skipNamespaceCreation). It is not
    // recorded in the inventory, so withdrawing the resource leaves the namespace.
    const ns = obj.metadata.namespace || "default";
    const nsRes = await client.request("PATCH", `/api/v1/namespaces/${encodeURIComponent(ns)}`, {
      body: JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } }),
      contentType: "application/apply-patch+yaml",
      query: { fieldManager, force: "true" },
    });
    if (nsRes.status >= 300) throw classify(cluster, `create namespace ${ns} for ${obj.kind} ${path}`, nsRes);
    res = await apply();
  }
  if (res.status >= 300) throw classify(cluster, `apply ${obj.kind} ${path}`, res);
  const meta = (
    res.body as { metadata?: { resourceVersion?: string; uid?: string; deletionTimestamp?: string } } | undefined
  )?.metadata;
  if (meta?.deletionTimestamp) {
    // Applying to an object that is being deleted (a Terminating Namespace) succeeds and then vanishes with it:
    // retry once it is gone, so the apply creates a new one.
    throw new ApplierError(
      "EVT_APPLIER_K8S_TRANSIENT",
      `cluster ${cluster}: ${obj.kind} ${path} is being deleted; it will be created again once it is gone`,
      { terminal: false, retryAfterMs: 250 },
    );
  }
  const ref = refOf(obj);
  if (meta?.resourceVersion) ref.resourceVersion = meta.resourceVersion;
  if (meta?.uid) ref.uid = meta.uid;
  return ref;
}
