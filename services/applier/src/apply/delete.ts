// Deleting what a trigger deployed: by inventory record, and by label sweep for anything a crash kept
// out of the inventory. Deleting what does not exist is a no-op.
import type { DeployedObject } from "../inventory/entry.js";
import { type ClusterClient, classify, type KubeResponse } from "./client.js";
import { LABEL_EVENT_KEY, LABEL_TRIGGER, toLabelValue } from "./labels.js";
import { collectionPath, objectPath } from "./ssa.js";

export interface Owner {
  trigger: string;
  eventKey: string;
}

/**
 * Deletes one object; true if it existed, false if it was already gone. With `owner`, only while the object
 * still carries that owner's labels: another event or trigger that applied the same object since then owns it
 * now (last apply wins), and a Delete of ours must not take it away. The uid precondition keeps a replacement
 * created between the check and the delete safe.
 *
 * The common case needs no ownership read: when the recorded uid and resourceVersion still hold, the object is
 * exactly what we applied (our labels included), so one DELETE with both as preconditions is the whole check.
 * A 409 means it changed since; then the labels decide, as below.
 */
export async function deleteObject(
  client: ClusterClient,
  cluster: string,
  ref: DeployedObject,
  owner?: Owner,
): Promise<boolean> {
  let info: Awaited<ReturnType<ClusterClient["resourceFor"]>>;
  try {
    info = await client.resourceFor(ref.apiVersion, ref.kind);
  } catch (err) {
    // The kind is gone from the cluster (CRD removed): nothing of it can be left to delete.
    if ((err as { code?: string }).code === "EVT_APPLIER_K8S_UNKNOWN_KIND") return false;
    throw err;
  }
  const path = objectPath(info, ref.name, ref.namespace);
  if (owner && ref.uid && ref.resourceVersion) {
    const res = await sendDelete(client, path, { uid: ref.uid, resourceVersion: ref.resourceVersion });
    if (res.status === 404) return false;
    if (res.status < 300) return true;
    if (res.status !== 409) throw classify(cluster, `delete ${ref.kind} ${path}`, res);
  }
  let uid: string | undefined;
  if (owner) {
    const cur = await client.request("GET", path);
    if (cur.status === 404) return false;
    if (cur.status >= 300) throw classify(cluster, `get ${ref.kind} ${path}`, cur);
    const meta = (cur.body as { metadata?: { uid?: string; labels?: Record<string, string> } }).metadata;
    const labels = meta?.labels ?? {};
    if (labels[LABEL_EVENT_KEY] !== owner.eventKey || labels[LABEL_TRIGGER] !== toLabelValue(owner.trigger))
      return false;
    uid = meta?.uid;
  }
  const res = await sendDelete(client, path, uid ? { uid } : undefined);
  if (res.status === 404) return false;
  if (res.status === 409 && uid) return false; // replaced since the ownership check: not ours
  if (res.status >= 300) throw classify(cluster, `delete ${ref.kind} ${path}`, res);
  return true;
}

function sendDelete(
  client: ClusterClient,
  path: string,
  preconditions: { uid: string; resourceVersion?: string } | undefined,
): Promise<KubeResponse> {
  return client.request("DELETE", path, {
    body: JSON.stringify({
      kind: "DeleteOptions",
      apiVersion: "v1",
      propagationPolicy: "Background",
      ...(preconditions ? { preconditions } : {}),
    }),
  });
}

/** Lists objects of one kind carrying `selector`, across namespaces. */
export async function listByLabels(
  client: ClusterClient,
  cluster: string,
  apiVersion: string,
  kind: string,
  selector: string,
): Promise<DeployedObject[]> {
  let info: Awaited<ReturnType<ClusterClient["resourceFor"]>>;
  try {
    info = await client.resourceFor(apiVersion, kind);
  } catch (err) {
    if ((err as { code?: string }).code === "EVT_APPLIER_K8S_UNKNOWN_KIND") return [];
    throw err;
  }
  const path = collectionPath(info);
  const res = await client.request("GET", path, { query: { labelSelector: selector } });
  if (res.status === 404) return [];
  if (res.status >= 300) throw classify(cluster, `list ${kind} ${path}`, res);
  const items =
    (
      res.body as {
        items?: { metadata: { name: string; namespace?: string; resourceVersion?: string; uid?: string } }[];
      }
    ).items ?? [];
  return items.map((it) => {
    const ref: DeployedObject = { apiVersion, kind, name: it.metadata.name };
    if (it.metadata.namespace) ref.namespace = it.metadata.namespace;
    if (it.metadata.uid) ref.uid = it.metadata.uid;
    return ref;
  });
}
