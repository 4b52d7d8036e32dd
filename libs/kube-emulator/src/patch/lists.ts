import { isPlainObject } from "../api/types.js";
import { isSetList, mergeKeyOf } from "./strategic.js";

// How server-side apply treats a list: merged by key(s), merged as a set, or replaced whole (atomic).
// Built-ins follow their Go struct tags; custom resources follow x-kubernetes-list-type in their schema.

export type ListKind = { kind: "map"; keys: string[] } | { kind: "set" } | undefined;

/** `names` are the field names from the root down to the list's parent; `field` is the list's own name. */
export type ListSemantics = (names: string[], field: string, items: unknown[]) => ListKind;

export const atomicLists: ListSemantics = () => undefined;

export const builtinLists: ListSemantics = (names, field, items) => {
  if (isSetList(names, field)) return { kind: "set" };
  const key = mergeKeyOf(field, items);
  return key ? { kind: "map", keys: [key] } : undefined;
};

type Schema = Record<string, unknown>;

function child(s: Schema | undefined, name: string): Schema | undefined {
  if (!s) return undefined;
  const props = isPlainObject(s.properties) ? s.properties : {};
  const p = props[name] ?? (isPlainObject(s.additionalProperties) ? s.additionalProperties : undefined);
  return isPlainObject(p) ? p : undefined;
}

/** List semantics from a CRD version's openAPIV3Schema. */
export function schemaLists(root: unknown): ListSemantics {
  if (!isPlainObject(root)) return atomicLists;
  return (names, field) => {
    let cur: Schema | undefined = root;
    for (const n of names) {
      cur = child(cur, n);
      // Descending through a list means descending into its items.
      if (cur?.type === "array") cur = isPlainObject(cur.items) ? cur.items : undefined;
    }
    const list = child(cur, field);
    const type = list?.["x-kubernetes-list-type"];
    const keys = list?.["x-kubernetes-list-map-keys"];
    if (type === "map" && Array.isArray(keys) && keys.length > 0) return { kind: "map", keys: keys.map(String) };
    if (type === "set") return { kind: "set" };
    return undefined;
  };
}

/** The key of one element of a map list (undefined when the element lacks a key field). */
export function itemKey(item: unknown, keys: string[]): Record<string, unknown> | undefined {
  if (!isPlainObject(item)) return undefined;
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    if (item[k] === undefined) return undefined;
    out[k] = item[k];
  }
  return out;
}

export function sameKey(item: unknown, key: Record<string, unknown>): boolean {
  return isPlainObject(item) && Object.entries(key).every(([k, v]) => item[k] === v);
}
