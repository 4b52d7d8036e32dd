import { clone, isPlainObject, type KubeObject, type ManagedFieldsEntry } from "../api/types.js";
import { ApiError, type StatusCause } from "../errors.js";
import {
  decode,
  type FieldOpts,
  type FieldSet,
  fieldsOf,
  fromFieldsV1,
  pathString,
  removeAt,
  toFieldsV1,
  valueAt,
} from "./fieldset.js";
import { itemKey, type ListSemantics, sameKey } from "./lists.js";

// Server-side apply and the field ownership every write records in metadata.managedFields.

export interface ApplyRequest {
  /** Read only: the result is merged into a copy. */
  live: Readonly<KubeObject> | undefined;
  config: KubeObject;
  manager: string;
  force: boolean;
  apiVersion: string;
  opts: FieldOpts;
  subresource?: string;
}

interface Owner {
  entry: ManagedFieldsEntry;
  set: FieldSet;
}

function owners(obj: Readonly<KubeObject> | undefined): Owner[] {
  return (obj?.metadata.managedFields ?? []).map((e) => ({ entry: e, set: fromFieldsV1(e.fieldsV1) }));
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

/** How the API server names a manager in conflicts: Update managers with their apiVersion and time. */
function printManager(e: ManagedFieldsEntry): string {
  let m = JSON.stringify(e.manager);
  if (e.subresource) m += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === "Update") m += ` using ${e.apiVersion}${e.time ? ` at ${e.time}` : ""}`;
  return m;
}

/** The API server's conflict message: one line for one conflict, else grouped by manager. */
function conflictMessage(conflicts: { manager: string; field: string }[]): string {
  if (conflicts.length === 1)
    return `Apply failed with 1 conflict: conflict with ${conflicts[0]!.manager}: ${conflicts[0]!.field}`;
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.field]);
  const lines = [...byManager.keys()]
    .sort()
    .flatMap((m) => [`conflicts with ${m}:`, ...byManager.get(m)!.map((f) => `- ${f}`)]);
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
}

/** Applies `config` for `manager`; throws 409 with one cause per conflicting field unless forced. */
export function serverSideApply(req: ApplyRequest): KubeObject {
  const live = req.live ?? ({ metadata: {} } as KubeObject);
  const applied = fieldsOf(req.config, req.opts);
  const all = owners(req.live);
  const mine = all.find(
    (o) => o.entry.manager === req.manager && o.entry.operation === "Apply" && o.entry.subresource === req.subresource,
  );
  const others = all.filter((o) => o !== mine);

  const conflicts: { manager: string; field: string }[] = [];
  const forced: { owner: Owner; key: string }[] = [];
  // Only fields someone else owns (in this subresource) can conflict: most applies meet no other owner.
  const rivals = others.filter((o) => o.set.size > 0 && o.entry.subresource === req.subresource);
  for (const key of rivals.length > 0 ? applied : []) {
    if (!rivals.some((o) => o.set.has(key))) continue;
    const path = JSON.parse(key) as string[];
    // List items and set members are shared by key; only their fields can disagree.
    if (/^[kv]:/.test(path[path.length - 1]!)) continue;
    for (const o of rivals) {
      if (!o.set.has(key)) continue;
      if (same(valueAt(live, path), valueAt(req.config, path))) continue;
      conflicts.push({ manager: printManager(o.entry), field: pathString(path) });
      forced.push({ owner: o, key });
    }
  }
  if (conflicts.length > 0 && !req.force) {
    const causes: StatusCause[] = conflicts.map((c) => ({
      type: "FieldManagerConflict",
      message: `conflict with ${c.manager}`,
      field: c.field,
    }));
    throw new ApiError(409, "Conflict", conflictMessage(conflicts), {
      name: req.config.metadata.name,
      kind: String(req.config.kind ?? ""),
      causes,
    });
  }
  for (const f of forced) f.owner.set.delete(f.key);

  const result = mergeApply(clone(live), req.config, [], req.opts.lists) as KubeObject;
  // Fields this manager applied before but not now are removed, unless someone else still owns them.
  if (mine) {
    for (const key of mine.set) {
      if (applied.has(key) || others.some((o) => o.set.has(key))) continue;
      removeAt(result, JSON.parse(key) as string[]);
    }
  }
  const entry: ManagedFieldsEntry = {
    manager: req.manager,
    operation: "Apply",
    apiVersion: req.apiVersion,
    time: now(),
    fieldsType: "FieldsV1",
    fieldsV1: {},
  };
  if (req.subresource) entry.subresource = req.subresource;
  result.metadata.managedFields = writeOwners(others, entry, result, req.opts, applied);
  return result;
}

/** Records an ordinary write (create/update/patch): the writer takes every field whose value it changed. */
export function recordUpdate(
  old: KubeObject | undefined,
  next: KubeObject,
  manager: string,
  apiVersion: string,
  opts: FieldOpts,
  subresource?: string,
): void {
  const before = old ? fieldsOf(old, opts) : new Set<string>();
  const after = fieldsOf(next, opts);
  const changed = new Set<string>();
  for (const key of after) {
    const path = JSON.parse(key) as string[];
    if (!before.has(key) || !same(valueAt(old, path), valueAt(next, path))) changed.add(key);
  }
  const all = owners(old);
  const mine = all.find(
    (o) => o.entry.manager === manager && o.entry.operation === "Update" && o.entry.subresource === subresource,
  );
  const others = all.filter((o) => o !== mine);
  for (const o of others) for (const k of changed) o.set.delete(k);
  const set = new Set([...(mine?.set ?? []), ...changed]);
  const entry: ManagedFieldsEntry = {
    manager,
    operation: "Update",
    apiVersion,
    time: changed.size > 0 || !mine ? now() : mine.entry.time,
    fieldsType: "FieldsV1",
    fieldsV1: {},
  };
  if (subresource) entry.subresource = subresource;
  next.metadata.managedFields = writeOwners(others, entry, next, opts, set);
}

/** Prunes sets to fields that still exist and serialises them, dropping managers left with nothing. */
function writeOwners(
  others: Owner[],
  entry: ManagedFieldsEntry,
  obj: KubeObject,
  opts: FieldOpts,
  entrySet: FieldSet,
): ManagedFieldsEntry[] {
  const present = fieldsOf(obj, { ...opts, skipStatus: false });
  const prune = (s: FieldSet) => {
    for (const k of s) if (!present.has(k)) return new Set([...s].filter((x) => present.has(x)));
    return s;
  };
  const out: ManagedFieldsEntry[] = [];
  for (const o of others) {
    const s = prune(o.set);
    if (s.size > 0) out.push({ ...o.entry, fieldsV1: toFieldsV1(s) });
  }
  const own = prune(entrySet);
  if (own.size > 0 || entry.operation === "Apply") out.push({ ...entry, fieldsV1: toFieldsV1(own) });
  return out;
}

/** Merges an applied configuration into the live object: maps recursively, keyed lists by key. */
function mergeApply(live: unknown, config: unknown, names: string[], lists: ListSemantics): unknown {
  if (!isPlainObject(config)) return clone(config);
  const out: Record<string, unknown> = isPlainObject(live) ? live : {};
  for (const [k, v] of Object.entries(config)) {
    if (names.length === 1 && names[0] === "metadata" && k === "managedFields") continue;
    const cur = out[k];
    const lk = Array.isArray(v) && Array.isArray(cur) ? lists(names, k, v) : undefined;
    if (lk?.kind === "set" && Array.isArray(cur) && Array.isArray(v)) {
      out[k] = [...cur, ...v.filter((x) => !cur.includes(x))];
      continue;
    }
    if (lk?.kind === "map" && Array.isArray(cur) && Array.isArray(v)) {
      for (const item of v) {
        const key = itemKey(item, lk.keys);
        const i = key ? cur.findIndex((c) => sameKey(c, key)) : -1;
        if (i >= 0) cur[i] = mergeApply(cur[i], item, [...names, k], lists);
        else cur.push(clone(item));
      }
      continue;
    }
    out[k] = mergeApply(cur, v, [...names, k], lists);
  }
  return out;
}

export { decode as decodeFieldSet };
