import { errors } from "../errors.js";
import { applyJsonPatch } from "../patch/json.js";
import { applyMergePatch } from "../patch/merge.js";
import { getObject } from "./reads.js";
import type { Ctx, Target } from "./target.js";
import { isPlainObject, type KubeObject } from "./types.js";
import { updateObject, type WriteResult } from "./writes.js";

// The `scale` subresource of Deployments (autoscaling/v1 Scale), which `kubectl scale` uses.

function selectorString(sel: unknown): string {
  if (!isPlainObject(sel) || !isPlainObject(sel.matchLabels)) return "";
  return Object.entries(sel.matchLabels)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(",");
}

function toScale(d: KubeObject): KubeObject {
  const spec = (isPlainObject(d.spec) ? d.spec : {}) as Record<string, unknown>;
  const status = (isPlainObject(d.status) ? d.status : {}) as Record<string, unknown>;
  const m = d.metadata;
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: spec.replicas ?? 1 },
    status: { replicas: status.replicas ?? 0, selector: selectorString(spec.selector) },
  };
}

export function getScale(ctx: Ctx, target: Target): KubeObject {
  return toScale(getObject(ctx, { ...target, subresource: undefined }));
}

/** PUT or PATCH of the Scale: only spec.replicas travels to the Deployment. */
export function writeScale(ctx: Ctx, target: Target, body: unknown, patchType?: string): WriteResult {
  const main = { ...target, subresource: undefined };
  const dep = getObject(ctx, main);
  const current = toScale(dep);
  let next: unknown = body;
  if (patchType === "application/json-patch+json") next = applyJsonPatch(current, body);
  else if (patchType) next = applyMergePatch(current, body);
  const spec = isPlainObject(next) && isPlainObject(next.spec) ? next.spec : undefined;
  const replicas = spec?.replicas;
  if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0)
    throw errors.invalid({ kind: "Scale", group: "autoscaling", name: target.name }, [
      {
        type: "FieldValueInvalid",
        field: "spec.replicas",
        message: `Invalid value: ${String(replicas)}: must be greater than or equal to 0`,
      },
    ]);
  const rv = isPlainObject(next) && isPlainObject(next.metadata) ? next.metadata.resourceVersion : undefined;
  const updated = { ...dep, spec: { ...(dep.spec as object), replicas } } as KubeObject;
  updated.metadata.resourceVersion = typeof rv === "string" && rv ? rv : dep.metadata.resourceVersion;
  const r = updateObject(ctx, main, updated);
  return { ...r, object: toScale(r.object) };
}
