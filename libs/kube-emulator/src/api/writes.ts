import { randomUUID } from "node:crypto";
import { parse as parseYaml } from "yaml";
import { ApiError, errors } from "../errors.js";
import { recordUpdate, serverSideApply } from "../patch/apply.js";
import { applyJsonPatch } from "../patch/json.js";
import { atomicLists, builtinLists } from "../patch/lists.js";
import { applyMergePatch } from "../patch/merge.js";
import { applyStrategicMergePatch } from "../patch/strategic.js";
import { decodeError, dropFields, unknownBuiltinFields, validateMeta } from "../validate.js";
import { validateCrd } from "./crds.js";
import { applyDefaults, hasGeneration } from "./defaults.js";
import { afterRemove, afterWrite, removeNow } from "./lifecycle.js";
import { asVersion, type Ctx, nowRfc3339, rkeyOf, type Target } from "./target.js";
import { apiVersionOf, clone, isPlainObject, type KubeObject } from "./types.js";

// create, update and patch: all end in `commit`, which validates, stamps metadata and stores.

export interface WriteResult {
  status: number;
  object: KubeObject;
  warnings: string[];
}

const NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";

function manager(target: Target): string {
  return target.query.get("fieldManager") ?? (target.userAgent.split("/")[0] || "unknown");
}

const fieldOpts = (target: Target) => ({
  lists: target.t.builtin ? builtinLists : (target.t.listSemantics?.[target.version] ?? atomicLists),
  skipStatus: target.t.hasStatus && !target.subresource,
});

/** Checks apiVersion/kind/namespace of a body against the URL and fills them in. */
function shape(target: Target, body: unknown): KubeObject {
  if (!isPlainObject(body)) throw errors.badRequest("the body of the request must be a JSON or YAML object");
  const o = clone(body) as KubeObject;
  if (!isPlainObject(o.metadata)) o.metadata = {};
  const gv = apiVersionOf(target.t.group, target.version);
  if (o.kind !== undefined && o.kind !== target.t.kind)
    throw errors.badRequest(
      `the API version in the data (${String(o.apiVersion)}) does not match the expected API version (${gv}) or kind ${String(o.kind)} does not match ${target.t.kind}`,
    );
  o.apiVersion = gv;
  o.kind = target.t.kind;
  if (target.t.namespaced) {
    if (o.metadata.namespace && o.metadata.namespace !== target.namespace)
      throw errors.badRequest("the namespace of the provided object does not match the namespace sent on the request");
    o.metadata.namespace = target.namespace;
  } else delete o.metadata.namespace;
  return o;
}

/** Unknown fields: an error under fieldValidation=Strict, otherwise dropped with a warning. */
function checkFields(target: Target, o: KubeObject, warnings: string[], drop = true): string[] {
  const mode = target.query.get("fieldValidation") ?? "Warn";
  let unknown: string[] = [];
  let invalid: string[] = [];
  if (target.t.builtin) {
    const bad = decodeError(target.t.kind, o);
    if (bad) throw errors.badRequest(bad);
    unknown = unknownBuiltinFields(target.t, o);
    if (drop) dropFields(o, unknown);
  } else {
    const v = target.t.validators?.[target.version];
    if (v) ({ errors: invalid, unknown } = v(o));
  }
  if (unknown.length > 0 && mode === "Strict")
    throw errors.badRequest(`strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(", ")}`);
  if (mode === "Warn") for (const f of unknown) warnings.push(`unknown field "${f}"`);
  return invalid;
}

/** Key-order independent JSON, without managedFields timestamps (they move on every apply). */
function canonical(o: Readonly<KubeObject>): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (!isPlainObject(v)) return v;
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sort(v[k])]),
    );
  };
  // `sort` builds new objects, so a shallow copy is enough to blank the times without touching `o`.
  const mf = o.metadata.managedFields?.map((m) => ({ ...m, time: "" }));
  return JSON.stringify(sort({ ...o, metadata: { ...o.metadata, managedFields: mf } }));
}

function specOf(o: Readonly<KubeObject>): string {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = o;
  return JSON.stringify(rest);
}

/**
 * The ownership an update starts from. Clients may rewrite managedFields (kubectl's client-side-apply
 * migration does, with a JSON patch): a non-empty list replaces the stored one, `[{}]` clears it, and an
 * absent or empty list keeps it.
 */
function ownershipBase(old: Readonly<KubeObject> | undefined, next: KubeObject): KubeObject | undefined {
  const mf = next.metadata.managedFields;
  if (!old || !Array.isArray(mf) || mf.length === 0) return old;
  const cleared = mf.length === 1 && Object.keys(mf[0] ?? {}).length === 0;
  return { ...old, metadata: { ...old.metadata, managedFields: cleared ? [] : mf } };
}

/** Validates, stamps system metadata, records field ownership and stores a new or changed object. */
function commit(
  ctx: Ctx,
  target: Target,
  old: Readonly<KubeObject> | undefined,
  next: KubeObject,
  warnings: string[],
  ssa = false,
): WriteResult {
  const t = target.t;
  const invalid = checkFields(target, next, warnings);
  applyDefaults(t.kind, next, old);
  const causes = validateMeta(t, next);
  for (const msg of invalid) {
    const i = msg.indexOf(": ");
    causes.push({ type: "FieldValueInvalid", field: msg.slice(0, i), message: msg.slice(i + 2) });
  }
  if (t.kind === "CustomResourceDefinition") causes.push(...validateCrd(next));
  if (causes.length > 0) throw errors.invalid({ kind: t.kind, group: t.group, name: next.metadata.name }, causes);

  const m = next.metadata;
  if (old) {
    m.uid = old.metadata.uid;
    m.creationTimestamp = old.metadata.creationTimestamp;
    m.deletionTimestamp = old.metadata.deletionTimestamp;
    m.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
    if (m.deletionTimestamp === undefined) delete m.deletionTimestamp;
    if (m.deletionGracePeriodSeconds === undefined) delete m.deletionGracePeriodSeconds;
    if (old.metadata.generation !== undefined)
      m.generation = old.metadata.generation + (specOf(old) !== specOf(next) ? 1 : 0);
  } else {
    m.uid = randomUUID();
    m.creationTimestamp = nowRfc3339();
    delete m.deletionTimestamp;
    delete m.deletionGracePeriodSeconds;
    if (hasGeneration(t.kind, t.builtin)) m.generation = 1;
  }
  for (const k of ["labels", "annotations", "finalizers"] as const) {
    const v = m[k];
    if (v === null || (v && typeof v === "object" && Object.keys(v).length === 0)) delete m[k];
  }
  if (!ssa)
    recordUpdate(
      ownershipBase(old, next),
      next,
      manager(target),
      next.apiVersion as string,
      fieldOpts(target),
      target.subresource,
    );
  if (old) {
    m.resourceVersion = old.metadata.resourceVersion;
    // A write that changes nothing (a repeated apply included) keeps the resourceVersion and emits no event.
    if (canonical(old) === canonical(next)) return { status: 200, object: asVersion(old, target), warnings };
  }
  if (target.query.get("dryRun") === "All")
    return { status: old ? 200 : 201, object: asVersion(next, target), warnings };
  const rkey = rkeyOf(t);
  if (old && m.deletionTimestamp && !m.finalizers?.length && t.kind !== "Namespace") {
    const gone = removeNow(ctx, t, next);
    afterRemove(ctx, t, gone);
    return { status: 200, object: asVersion(gone, target), warnings };
  }
  const stored = ctx.store.put(rkey, next, old ? "MODIFIED" : "ADDED");
  afterWrite(ctx, t, stored);
  return { status: old ? 200 : 201, object: asVersion(stored, target), warnings };
}

function requireNamespace(ctx: Ctx, target: Target, name: string | undefined): void {
  if (!target.t.namespaced) return;
  const ns = ctx.store.peek("namespaces", undefined, target.namespace!);
  if (!ns) throw errors.notFound({ kind: "Namespace", group: "", name: target.namespace }, "namespaces");
  if (ns.metadata.deletionTimestamp)
    throw errors.forbidden(
      `${target.t.plural} "${name ?? ""}" is forbidden: unable to create new content in namespace ${target.namespace} because it is being terminated`,
    );
}

export function createObject(ctx: Ctx, target: Target, body: unknown): WriteResult {
  const o = shape(target, body);
  if (!o.metadata.name && o.metadata.generateName) {
    let suffix = "";
    for (let i = 0; i < 5; i++) suffix += NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)];
    o.metadata.name = `${o.metadata.generateName}${suffix}`;
  }
  delete o.metadata.resourceVersion;
  delete o.metadata.managedFields;
  if (!target.t.builtin && target.t.hasStatus) delete o.status;
  requireNamespace(ctx, target, o.metadata.name);
  const existing = o.metadata.name ? ctx.store.peek(rkeyOf(target.t), target.namespace, o.metadata.name) : undefined;
  if (existing)
    throw errors.alreadyExists({ kind: target.t.kind, group: target.t.group, name: o.metadata.name }, target.t.plural);
  return commit(ctx, { ...target, name: o.metadata.name }, undefined, o, []);
}

function current(ctx: Ctx, target: Target): KubeObject {
  const old = ctx.store.get(rkeyOf(target.t), target.namespace, target.name!);
  if (!old) throw errors.notFound({ kind: target.t.kind, group: target.t.group, name: target.name }, target.t.plural);
  return old;
}

/** Main resource writes keep the stored status; status writes change nothing but status. */
function scope(target: Target, old: Readonly<KubeObject>, next: KubeObject): KubeObject {
  if (target.subresource === "status") {
    const o = clone(old) as KubeObject;
    if (next.status === undefined) delete o.status;
    else o.status = next.status;
    o.metadata.resourceVersion = next.metadata.resourceVersion;
    o.metadata.managedFields = next.metadata.managedFields;
    return o;
  }
  if (target.t.hasStatus) {
    if (old.status === undefined) delete next.status;
    else next.status = clone(old.status);
  }
  return next;
}

function checkName(target: Target, o: KubeObject): void {
  if (o.metadata.name && o.metadata.name !== target.name)
    throw errors.badRequest(
      `the name of the object (${o.metadata.name}) does not match the name on the URL (${target.name})`,
    );
  o.metadata.name = target.name;
}

function checkVersion(target: Target, old: Readonly<KubeObject>, o: KubeObject): void {
  const rv = o.metadata.resourceVersion;
  if (rv && rv !== old.metadata.resourceVersion)
    throw errors.conflict(
      { kind: target.t.kind, group: target.t.group, name: target.name },
      target.t.plural,
      "the object has been modified; please apply your changes to the latest version and try again",
    );
}

export function updateObject(ctx: Ctx, target: Target, body: unknown): WriteResult {
  const old = current(ctx, target);
  const o = shape(target, body);
  checkName(target, o);
  checkVersion(target, old, o);
  if (o.metadata.managedFields === undefined) o.metadata.managedFields = old.metadata.managedFields;
  return commit(ctx, target, old, scope(target, old, o), []);
}

/** JSON is YAML: a YAML body that looks like JSON is tried as JSON first, many times faster to parse. */
function parseYamlOrJson(raw: string): unknown {
  if (raw.trimStart().startsWith("{")) {
    try {
      return JSON.parse(raw);
    } catch {
      // YAML flow mapping that is not strict JSON (unquoted keys, comments): the YAML parser decides.
    }
  }
  return parseYaml(raw);
}

function parseBody(raw: string, contentType: string): unknown {
  try {
    return contentType.includes("yaml") ? parseYamlOrJson(raw) : JSON.parse(raw);
  } catch (err) {
    throw new ApiError(400, "BadRequest", `error decoding patch: ${(err as Error).message}`, undefined, { cause: err });
  }
}

export function patchObject(ctx: Ctx, target: Target, raw: string, contentType: string): WriteResult {
  const type = contentType.split(";")[0]!.trim();
  const patch = parseBody(raw, type);
  if (type === "application/apply-patch+yaml") return applyObject(ctx, target, patch);
  const old = current(ctx, target);
  let patched: unknown;
  if (type === "application/json-patch+json") patched = applyJsonPatch(old, patch);
  else if (type === "application/merge-patch+json") patched = applyMergePatch(old, patch);
  else if (type === "application/strategic-merge-patch+json") {
    if (!target.t.builtin) throw errors.unsupportedMedia(`${type} (not supported for custom resources)`);
    patched = applyStrategicMergePatch(old, patch);
  } else throw errors.unsupportedMedia(type);
  const o = shape(target, patched);
  checkName(target, o);
  checkVersion(target, old, o);
  o.metadata.resourceVersion = old.metadata.resourceVersion;
  return commit(ctx, target, old, scope(target, old, o), []);
}

function applyObject(ctx: Ctx, target: Target, patch: unknown): WriteResult {
  const fm = target.query.get("fieldManager");
  if (!fm) throw errors.badRequest("PATCH with apply requires a fieldManager (fieldManager query parameter)");
  const config = shape(target, patch);
  checkName(target, config);
  // Read-only: server-side apply merges into a copy, and commit only reads the old object.
  const old = ctx.store.peek(rkeyOf(target.t), target.namespace, target.name!);
  if (old) checkVersion(target, old, config);
  else requireNamespace(ctx, target, target.name);
  const warnings: string[] = [];
  // Unknown fields are judged on the configuration as sent, before it is merged into the live object.
  // Built-ins are only read when nothing is dropped; custom resource validators default and prune in place.
  if (target.t.builtin) checkFields(target, config, warnings, false);
  else checkFields(target, clone(config), warnings);
  const force = target.query.get("force") === "true";
  const merged = serverSideApply({
    live: old,
    config,
    manager: fm,
    force,
    apiVersion: config.apiVersion as string,
    opts: fieldOpts(target),
    subresource: target.subresource,
  });
  const next = old ? scope(target, old, merged) : merged;
  if (!old && !target.t.builtin && target.t.hasStatus) delete next.status;
  if (old) next.metadata.resourceVersion = old.metadata.resourceVersion;
  return commit(ctx, target, old, next, warnings, true);
}
