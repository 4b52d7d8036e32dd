/** sprig dict.go, with imdario/mergo 0.3 Merge / MergeWithOverwrite semantics for map[string]interface{}. */
import {
  FuncError,
  type FuncMap,
  GoInt,
  type GoMap,
  GoObject,
  goFunc,
  isMap,
  mapSet,
  newMap,
  sortedKeys,
  typed,
  typeName,
  type Value,
} from "../../value.js";
import { isNilCollection, nilMap, strval } from "../conv.js";
import { SemverVersion } from "./semver.js";

const ANY = "interface {}";
const S = "string";
const M = "map[string]interface {}";

/** mergo's isEmptyValue on an interface element. */
function mergoEmpty(v: Value): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === "string") return v.length === 0;
  if (typeof v === "number") return v === 0;
  if (typeof v === "boolean") return !v;
  if (v instanceof GoInt) return v.value === 0n;
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length === 0;
  if (v instanceof GoObject) return false;
  if (isMap(v)) return Object.keys(v).length === 0;
  return false;
}

const isMapVal = (v: Value): v is GoMap => v !== null && v !== undefined && isMap(v) && typeof v !== "function";
const isSliceVal = (v: Value): boolean => Array.isArray(v) || v instanceof Uint8Array;

/** mergo deepMerge for two map[string]interface{} values (dst mutated in place). */
export function mergoMerge(dst: GoMap, src: GoMap, overwrite: boolean, depth = 0): void {
  if (depth > 1000) throw new FuncError("merge: maximum depth exceeded");
  const srcEmpty = Object.keys(src).length === 0;
  for (const key of Object.keys(src)) {
    const s = src[key];
    const has = Object.hasOwn(dst, key);
    const d = has ? dst[key] : undefined;
    if (s === null || s === undefined) {
      if (overwrite) mapSet(dst, key, null);
      continue;
    }
    if (isMapVal(s)) {
      if (has && isMapVal(d)) mergoMerge(d, s, overwrite, depth + 1);
    } else if (isSliceVal(s)) {
      const dstEmpty = Object.keys(dst).length === 0;
      let slice: Value = has && d !== null && d !== undefined ? d : [];
      if (!srcEmpty && (overwrite || dstEmpty)) slice = s;
      mapSet(dst, key, slice);
    }
    if (has && !mergoEmpty(d) && (isMapVal(s) || isSliceVal(s))) continue;
    if (overwrite || !has || mergoEmpty(d)) mapSet(dst, key, s);
  }
}

function copyValue(v: Value, depth: number): Value {
  if (depth > 10000) throw new FuncError("deepCopy: maximum depth exceeded");
  // copystructure cannot see *semver.Version's unexported fields: the copy is a zero Version.
  if (v instanceof SemverVersion)
    return new SemverVersion({ major: 0n, minor: 0n, patch: 0n, pre: "", metadata: "", original: "" });
  if (Array.isArray(v)) {
    const out = v.map((x) => copyValue(x, depth + 1));
    const t = typeName(v);
    return t === "[]interface {}" ? out : typed(out, t);
  }
  if (v instanceof Uint8Array) return v.slice();
  if (v !== null && v !== undefined && isMap(v) && typeof v !== "function") {
    const out = newMap();
    for (const k of Object.keys(v)) mapSet(out, k, copyValue(v[k], depth + 1));
    const t = typeName(v);
    return t === M ? out : typed(out, t);
  }
  return v;
}

function goTypeName(v: Value): string {
  return v === null || v === undefined ? "nil" : typeName(v);
}

function dig(ps: Value[]): Value {
  if (ps.length < 3) throw new FuncError("dig needs at least three arguments");
  const last = ps[ps.length - 1];
  if (!isMapVal(last) || typeName(last) !== M) {
    throw new FuncError(`interface conversion: interface {} is ${goTypeName(last)}, not map[string]interface {}`);
  }
  const def = ps[ps.length - 2] ?? null;
  const ks = ps.slice(0, -2).map((k) => {
    if (typeof k !== "string")
      throw new FuncError(`interface conversion: interface {} is ${goTypeName(k)}, not string`);
    return k;
  });
  let dict: GoMap = last;
  for (let i = 0; i < ks.length; i++) {
    const k = ks[i] as string;
    if (!Object.hasOwn(dict, k)) return def;
    const step = dict[k] ?? null;
    if (i === ks.length - 1) return step;
    if (!isMapVal(step) || typeName(step) !== M) {
      throw new FuncError(`interface conversion: interface {} is ${goTypeName(step)}, not map[string]interface {}`);
    }
    dict = step;
  }
  return def;
}

export function dictFuncs(): FuncMap {
  const merge = (overwrite: boolean) =>
    goFunc(
      [M],
      (dst, ...srcs) => {
        // mergo allocates a nil dst only when some source is non-nil; otherwise Go returns the nil map.
        const live = srcs.filter((x) => x !== null && x !== undefined) as GoMap[];
        if ((dst === null || dst === undefined) && live.length === 0) return nilMap();
        const d = (dst ?? newMap()) as GoMap;
        for (const s of live) mergoMerge(d, s, overwrite);
        return d;
      },
      { variadic: M },
    );
  const deepCopy = goFunc([ANY], (v) => {
    if (v === null || v === undefined) throw new FuncError("reflect: call of reflect.Value.Type on zero Value");
    return copyValue(v, 0);
  });
  return {
    dict: goFunc(
      [],
      (...v) => {
        const m = newMap();
        for (let i = 0; i < v.length; i += 2)
          mapSet(m, strval(v[i] ?? null), i + 1 < v.length ? (v[i + 1] ?? null) : "");
        return m;
      },
      { variadic: ANY },
    ),
    get: goFunc([M, S], (d, k) => {
      const m = (d ?? {}) as GoMap;
      return Object.hasOwn(m, k as string) ? (m[k as string] ?? null) : "";
    }),
    set: goFunc([M, S, ANY], (d, k, v) => {
      if (d === null || d === undefined || isNilCollection(d)) throw new FuncError("assignment to entry in nil map");
      mapSet(d as GoMap, k as string, v);
      return d;
    }),
    unset: goFunc([M, S], (d, k) => {
      if (d !== null && d !== undefined) delete (d as GoMap)[k as string];
      return d ?? null;
    }),
    hasKey: goFunc([M, S], (d, k) => d !== null && d !== undefined && Object.hasOwn(d as GoMap, k as string)),
    pluck: goFunc(
      [S],
      (k, ...ds) =>
        ds.filter((d) => d && Object.hasOwn(d as GoMap, k as string)).map((d) => (d as GoMap)[k as string] ?? null),
      { variadic: M },
    ),
    keys: goFunc(
      [],
      (...ds) =>
        typed(
          ds.flatMap((d) => (d ? sortedKeys(d as GoMap) : [])),
          "[]string",
        ),
      { variadic: M },
    ),
    pick: goFunc(
      [M],
      (d, ...ks) => {
        const out = newMap();
        const m = (d ?? {}) as GoMap;
        for (const k of ks) if (Object.hasOwn(m, k as string)) mapSet(out, k as string, m[k as string] ?? null);
        return out;
      },
      { variadic: S },
    ),
    omit: goFunc(
      [M],
      (d, ...ks) => {
        const out = newMap();
        const drop = new Set(ks as string[]);
        const m = (d ?? {}) as GoMap;
        for (const k of Object.keys(m)) if (!drop.has(k)) mapSet(out, k, m[k] ?? null);
        return out;
      },
      { variadic: S },
    ),
    merge: merge(false),
    mustMerge: merge(false),
    mergeOverwrite: merge(true),
    mustMergeOverwrite: merge(true),
    values: goFunc([M], (d) => (d ? sortedKeys(d as GoMap).map((k) => (d as GoMap)[k] ?? null) : [])),
    deepCopy,
    mustDeepCopy: deepCopy,
    dig: goFunc([], (...ps) => dig(ps), { variadic: ANY }),
  };
}
