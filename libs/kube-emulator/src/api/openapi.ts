import { createHash } from "node:crypto";
import type { Registry } from "./registry.js";
import type { ResourceType } from "./types.js";

// OpenAPI v3 as kubectl needs it (see kubectl-notes.md): a root listing every group-version, and per
// group-version documents whose paths declare post/put/patch operations carrying
// x-kubernetes-group-version-kind and a `fieldValidation` parameter. kubectl then leaves validation to the
// server (fieldValidation=Strict) instead of downloading full schemas.

const FIELD_VALIDATION = {
  name: "fieldValidation",
  in: "query",
  description:
    "fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields.",
  schema: { type: "string", uniqueItems: true },
};

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

function operations(t: ResourceType, version: string): Record<string, unknown> {
  const gvk = { group: t.group, version, kind: t.kind };
  const op = (verb: string, id: string) => ({
    operationId: `${verb}${t.kind}`,
    tags: [id],
    parameters: [FIELD_VALIDATION, { name: "fieldManager", in: "query", schema: { type: "string" } }],
    responses: { "200": { description: "OK" } },
    "x-kubernetes-action": verb,
    "x-kubernetes-group-version-kind": gvk,
  });
  const base = `/${gvPath(t.group, version)}${t.namespaced ? "/namespaces/{namespace}" : ""}/${t.plural}`;
  const id = `${t.group || "core"}_${version}`;
  const paths: Record<string, unknown> = {
    [base]: { post: op("post", id), get: { ...op("list", id), parameters: [] } },
    [`${base}/{name}`]: { put: op("put", id), patch: op("patch", id), get: { ...op("get", id), parameters: [] } },
  };
  if (t.hasStatus) paths[`${base}/{name}/status`] = { put: op("put", id), patch: op("patch", id) };
  return paths;
}

export function openApiDocument(reg: Registry, group: string, version: string): Record<string, unknown> | undefined {
  const types = reg.inGroupVersion(group, version);
  if (types.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  for (const t of types) Object.assign(paths, operations(t, version));
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: "v1.32.0" },
    paths,
    components: { schemas: {} },
  };
}

function hash(doc: unknown): string {
  return createHash("sha512").update(JSON.stringify(doc)).digest("hex").slice(0, 128).toUpperCase();
}

export function openApiRoot(reg: Registry): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const gvs: [string, string][] = [["", "v1"]];
  for (const g of reg.groups()) for (const v of g.versions) gvs.push([g.name, v]);
  for (const [g, v] of gvs) {
    const doc = openApiDocument(reg, g, v);
    if (!doc) continue;
    const p = gvPath(g, v);
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hash(doc)}` };
  }
  return { paths };
}
