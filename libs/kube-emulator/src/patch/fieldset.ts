import { isPlainObject } from "../api/types.js";
import { itemKey, type ListSemantics } from "./lists.js";

// Field sets as server-side apply tracks them: each owned field is a path of elements in the FieldsV1
// spelling ("f:data", "k:{\"name\":\"app\"}", "v:\"x\""). A set holds paths JSON-encoded, so plain Set
// operations work; list items of associative lists are entries of their own (FieldsV1 ".").

export type FieldPath = string[];
export type FieldSet = Set<string>;

const SYSTEM_META = new Set([
  "name",
  "namespace",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "managedFields",
  "selfLink",
  "generateName",
]);

export interface FieldOpts {
  /** Which lists merge by key or as sets (the rest are atomic). */
  lists: ListSemantics;
  /** Whether `status` belongs to another subresource (and so is not owned through the main resource). */
  skipStatus: boolean;
}

export function fieldsOf(obj: Record<string, unknown>, opts: FieldOpts): FieldSet {
  const out: FieldSet = new Set();
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    if (k === "apiVersion" || k === "kind" || (k === "status" && opts.skipStatus)) continue;
    if (k === "metadata" && isPlainObject(v)) {
      const meta = `[${JSON.stringify("f:metadata")}`;
      for (const mk of Object.keys(v)) {
        if (SYSTEM_META.has(mk)) continue;
        walk(v[mk], `${meta},${JSON.stringify(`f:${mk}`)}`, mk, METADATA, opts, out);
      }
      continue;
    }
    walk(v, `[${JSON.stringify(`f:${k}`)}`, k, NO_NAMES, opts, out);
  }
  return out;
}

const NO_NAMES: readonly string[] = [];
const METADATA: readonly string[] = ["metadata"];

/**
 * `key` is the JSON of the path so far without its closing bracket: each element is appended as it is
 * met, so a field's key costs one JSON.stringify of its last element rather than of the whole path.
 */
function walk(v: unknown, key: string, field: string, names: readonly string[], opts: FieldOpts, out: FieldSet): void {
  if (isPlainObject(v)) {
    const keys = Object.keys(v);
    if (keys.length > 0) {
      const inner = [...names, field];
      for (const k of keys) walk(v[k], `${key},${JSON.stringify(`f:${k}`)}`, k, inner, opts, out);
      return;
    }
  }
  if (Array.isArray(v)) {
    const lk = opts.lists(names as string[], field, v);
    if (lk?.kind === "set") {
      for (const x of v) out.add(`${key},${JSON.stringify(`v:${JSON.stringify(x)}`)}]`);
      return;
    }
    const keys = lk?.kind === "map" ? v.map((x) => itemKey(x, lk.keys)) : [];
    if (lk?.kind === "map" && keys.every((k) => k !== undefined)) {
      const inner = [...names, field];
      for (const [i, item] of (v as Record<string, unknown>[]).entries()) {
        const ik = `${key},${JSON.stringify(`k:${JSON.stringify(keys[i])}`)}`;
        out.add(`${ik}]`);
        for (const k of Object.keys(item)) walk(item[k], `${ik},${JSON.stringify(`f:${k}`)}`, k, inner, opts, out);
      }
      return;
    }
  }
  out.add(`${key}]`);
}

/** The value at a field path, or undefined when the object does not have it. */
export function valueAt(obj: unknown, path: FieldPath): unknown {
  let cur: unknown = obj;
  for (const pe of path) {
    if (cur === undefined) return undefined;
    if (pe.startsWith("f:")) cur = isPlainObject(cur) ? cur[pe.slice(2)] : undefined;
    else if (pe.startsWith("k:")) {
      const key = JSON.parse(pe.slice(2)) as Record<string, unknown>;
      cur = Array.isArray(cur)
        ? cur.find((x) => isPlainObject(x) && Object.entries(key).every(([k, v]) => x[k] === v))
        : undefined;
    } else if (pe.startsWith("v:")) {
      const want = JSON.parse(pe.slice(2));
      cur = Array.isArray(cur) && cur.includes(want) ? want : undefined;
    } else return undefined;
  }
  return cur;
}

/** Removes the field, list item or set value a path names; a no-op when absent. */
export function removeAt(obj: Record<string, unknown>, path: FieldPath): void {
  const parent = valueAt(obj, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (last.startsWith("f:") && isPlainObject(parent)) delete parent[last.slice(2)];
  else if (Array.isArray(parent)) {
    let i = -1;
    if (last.startsWith("k:")) {
      const key = JSON.parse(last.slice(2)) as Record<string, unknown>;
      i = parent.findIndex((x) => isPlainObject(x) && Object.entries(key).every(([k, v]) => x[k] === v));
    } else if (last.startsWith("v:")) i = parent.indexOf(JSON.parse(last.slice(2)));
    if (i >= 0) parent.splice(i, 1);
  }
}

/** The kubectl-facing spelling of a path: `.spec.containers[name="app"].image`. */
export function pathString(path: FieldPath): string {
  return path
    .map((pe) => {
      if (pe.startsWith("f:")) return `.${pe.slice(2)}`;
      if (pe.startsWith("k:"))
        return `[${Object.entries(JSON.parse(pe.slice(2)) as Record<string, unknown>)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(",")}]`;
      return `[=${pe.slice(2)}]`;
    })
    .join("");
}

export function decode(set: FieldSet): FieldPath[] {
  return [...set].map((s) => JSON.parse(s) as FieldPath);
}

type Node = { entry: boolean; children: Map<string, Node> };

export function toFieldsV1(set: FieldSet): Record<string, unknown> {
  const root: Node = { entry: false, children: new Map() };
  for (const path of decode(set)) {
    let n = root;
    for (const pe of path) {
      let c = n.children.get(pe);
      if (!c) {
        c = { entry: false, children: new Map() };
        n.children.set(pe, c);
      }
      n = c;
    }
    n.entry = true;
  }
  const ser = (n: Node): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    if (n.entry && n.children.size > 0) o["."] = {};
    for (const k of [...n.children.keys()].sort()) o[k] = ser(n.children.get(k)!);
    return o;
  };
  return ser(root);
}

export function fromFieldsV1(f: unknown): FieldSet {
  const out: FieldSet = new Set();
  const visit = (node: unknown, path: FieldPath) => {
    if (!isPlainObject(node)) return;
    const keys = Object.keys(node);
    if (keys.length === 0 && path.length > 0) out.add(JSON.stringify(path));
    for (const k of keys) {
      if (k === ".") out.add(JSON.stringify(path));
      else visit(node[k], [...path, k]);
    }
  };
  visit(f, []);
  return out;
}
