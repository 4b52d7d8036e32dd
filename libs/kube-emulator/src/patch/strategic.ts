import { isPlainObject } from "../api/types.js";
import { errors } from "../errors.js";

// Strategic merge patch for built-in kinds: the subset of the Go struct tags that matters in practice.
// Lists of named things merge by their key, `$patch` directives replace or delete, everything else is a
// JSON merge patch.

/** patchMergeKey of list fields, by field name (the same name means the same key across built-in kinds). */
const MERGE_KEYS: Record<string, string> = {
  containers: "name",
  initContainers: "name",
  ephemeralContainers: "name",
  env: "name",
  volumes: "name",
  volumeMounts: "mountPath",
  volumeDevices: "devicePath",
  imagePullSecrets: "name",
  hostAliases: "ip",
  ownerReferences: "uid",
  conditions: "type",
  secrets: "name",
};

/** The merge key of a list field, or undefined when the list is atomic. `ports` depends on where it is. */
export function mergeKeyOf(field: string, items: unknown[]): string | undefined {
  if (field === "ports") {
    const first = items.find(isPlainObject);
    return first && "containerPort" in first ? "containerPort" : "port";
  }
  return MERGE_KEYS[field];
}

/** Lists of scalars merged as sets (patchStrategy "merge" on a []string). */
export function isSetList(path: string[], field: string): boolean {
  return field === "finalizers" && path.length === 1 && path[0] === "metadata";
}

export function applyStrategicMergePatch(original: unknown, patch: unknown): unknown {
  const out = mergeValue(structuredClone(original), patch, []);
  return out === DELETE ? {} : out;
}

const DELETE = Symbol("delete");

function mergeValue(orig: unknown, patch: unknown, path: string[]): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const directive = patch.$patch;
  if (directive === "delete") return DELETE;
  if (directive === "replace") {
    const { $patch: _, ...rest } = patch;
    return structuredClone(rest);
  }
  if (directive !== undefined && directive !== "merge")
    throw errors.badRequest(`unknown patch directive "${String(directive)}"`);
  const out: Record<string, unknown> = isPlainObject(orig) ? orig : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === "$patch" || k === "$retainKeys" || k.startsWith("$setElementOrder/")) continue;
    if (k.startsWith("$deleteFromPrimitiveList/")) {
      const field = k.slice("$deleteFromPrimitiveList/".length);
      const cur = out[field];
      if (Array.isArray(cur) && Array.isArray(v)) out[field] = cur.filter((x) => !v.includes(x));
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    if (Array.isArray(v)) {
      const merged = mergeList(out[k], v, k, path);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    } else {
      const merged = mergeValue(out[k], v, [...path, k]);
      if (merged === DELETE) delete out[k];
      else out[k] = merged;
    }
  }
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith("$setElementOrder/") && Array.isArray(v))
      reorder(out, k.slice("$setElementOrder/".length), v, path);
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys as string[]);
    for (const k of Object.keys(out)) if (!keep.has(k)) delete out[k];
  }
  return out;
}

function mergeList(orig: unknown, patch: unknown[], field: string, path: string[]): unknown[] | undefined {
  const base = Array.isArray(orig) ? orig : [];
  if (isSetList(path, field)) {
    const out = [...base];
    for (const v of patch) if (!out.includes(v)) out.push(v);
    return out;
  }
  const key = mergeKeyOf(field, [...patch, ...base]);
  if (!key) return structuredClone(patch).filter((x) => !(isPlainObject(x) && x.$patch !== undefined));
  if (patch.some((p) => isPlainObject(p) && p.$patch === "replace" && Object.keys(p).length === 1)) {
    return structuredClone(patch.filter((p) => !(isPlainObject(p) && p.$patch === "replace")));
  }
  const out = structuredClone(base) as unknown[];
  for (const item of patch) {
    if (!isPlainObject(item)) continue;
    const idx = out.findIndex((o) => isPlainObject(o) && o[key] === item[key]);
    if (item.$patch === "delete") {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = mergeValue(out[idx], item, [...path, field]);
    else out.push(mergeValue({}, item, [...path, field]));
  }
  return out;
}

/** `$setElementOrder/<field>`: the order the client wants, given as the list of keys (or values). */
function reorder(obj: Record<string, unknown>, field: string, order: unknown[], path: string[]): void {
  const list = obj[field];
  if (!Array.isArray(list)) return;
  const key = isSetList(path, field) ? undefined : mergeKeyOf(field, list);
  const id = (x: unknown) => (key && isPlainObject(x) ? x[key] : x);
  const wanted = order.map((o) => (key && isPlainObject(o) ? o[key] : o));
  const rank = (x: unknown) => {
    const i = wanted.indexOf(id(x));
    return i < 0 ? wanted.length : i;
  };
  obj[field] = [...list].sort((a, b) => rank(a) - rank(b));
}
