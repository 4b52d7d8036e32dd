/**
 * Go conversions sprig relies on: strval (fmt %v / Stringer), spf13/cast ToInt64/ToInt/ToFloat64, reflect
 * slice access, sprig's `empty`, reflect.DeepEqual, and Go's runtime panic texts.
 */
import { toGoString } from "../print.js";
import {
  FuncError,
  fromUtf8,
  GO_TYPE,
  GoComplex,
  GoInt,
  type GoMap,
  GoObject,
  goInt,
  type IntKind,
  isMap,
  kindOf,
  newMap,
  typed,
  typeName,
  type Value,
} from "../value.js";
import { parseGoFloat, parseGoInt } from "./go/strconv.js";

export const NIL_DEREF = "runtime error: invalid memory address or nil pointer dereference";

/**
 * Marks a Go nil slice or nil map: it prints like an empty one ("[]", "map[]") but encodes to JSON as
 * null and rejects map assignment, as in Go.
 */
const NIL: unique symbol = Symbol.for("evtrigger.gotemplate.nilCollection");

function markNil<T extends object>(v: T): T {
  Object.defineProperty(v, NIL, { value: true, enumerable: false });
  return v;
}

export const nilSlice = (goType?: string): Value[] => {
  const s = markNil<Value[]>([]);
  return goType === undefined ? s : typed(s, goType);
};
export const nilMap = (): GoMap => markNil(newMap());
export const isNilCollection = (v: unknown): boolean =>
  typeof v === "object" && v !== null && (v as { [NIL]?: boolean })[NIL] === true;

/** sprig strval: strings as is, []byte decoded, anything else through fmt's %v. */
export function strval(v: Value): string {
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return fromUtf8(v);
  return toGoString(v);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Go's int64(f) conversion on amd64: truncation; out of range or NaN gives math.MinInt64. */
export function floatToInt64(f: number): bigint {
  if (!Number.isFinite(f)) return INT64_MIN;
  const b = BigInt(Math.trunc(f));
  return b < INT64_MIN || b > INT64_MAX ? INT64_MIN : b;
}

/** cast's trimZeroDecimal: "1.00" → "1"; anything else unchanged. */
function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    const c = s[i - 1];
    if (c === ".") {
      if (foundZero) return s.slice(0, i - 1);
    } else if (c === "0") foundZero = true;
    else return s;
  }
  return s;
}

/** cast.ToInt64E: undefined when cast reports an error (callers that ignore it use 0). */
export function castInt64E(v: Value): bigint | undefined {
  if (v === null || v === undefined) return 0n;
  if (v instanceof GoInt) return BigInt.asIntN(64, v.value);
  if (typeof v === "number") return floatToInt64(v);
  if (typeof v === "boolean") return v ? 1n : 0n;
  if (typeof v === "string") {
    const r = parseGoInt(trimZeroDecimal(v), 0);
    return typeof r === "bigint" ? r : undefined;
  }
  return undefined;
}

/** cast.ToInt64 (errors give 0). */
export const toInt64 = (v: Value): bigint => castInt64E(v) ?? 0n;

/** cast.ToFloat64 (errors give 0). */
export function toFloat64(v: Value): number {
  if (typeof v === "number") return v;
  if (v instanceof GoInt) return Number(v.value);
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string") return parseGoFloat(v) ?? 0;
  return 0;
}

export const int64 = (b: bigint): GoInt => goInt(BigInt.asIntN(64, b), "int64");
export const int = (b: bigint | number): GoInt => goInt(b, "int");

/** A JS number from a Go int argument (declared "int" parameters arrive as GoInt). */
export function num(v: Value): number {
  if (v instanceof GoInt) return Number(v.value);
  if (typeof v === "number") return Math.trunc(v);
  return 0;
}

/** The items of a Go slice or array value, or undefined when v is not one ([]byte gives ints). */
export function sliceItems(v: Value): Value[] | undefined {
  if (Array.isArray(v)) return v;
  if (v instanceof Uint8Array) return Array.from(v, (b) => goInt(b, "uint8"));
  return undefined;
}

/**
 * `reflect.TypeOf(x).Kind()` as sprig's list functions use it: nil panics with a nil dereference,
 * otherwise the kind name for "Cannot ... on type KIND" errors.
 */
export function kindForError(v: Value): string {
  if (v === null || v === undefined) throw new FuncError(NIL_DEREF);
  return kindOf(v);
}

/** sprig `empty`: nil, zero numbers, false, empty strings/collections; structs never. */
export function isEmpty(v: Value): boolean {
  if (v === null || v === undefined) return true;
  switch (typeof v) {
    case "string":
      return v.length === 0;
    case "number":
      return v === 0;
    case "boolean":
      return !v;
    case "function":
      return false;
  }
  if (v instanceof GoInt) return v.value === 0n;
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length === 0;
  if (v instanceof GoComplex) return v.re === 0 && v.im === 0;
  if (v instanceof GoObject) return v.goKind === "ptr" ? !v.truth() : false;
  for (const _ in v) return false;
  return true;
}

/** reflect.DeepEqual over template values (types must match exactly). */
export function deepEqual(a: Value, b: Value): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === b) return !(typeof a === "number" && Number.isNaN(a));
  if (a === null || b === null) return false;
  if (typeName(a) !== typeName(b)) return false;
  if (isNilCollection(a) !== isNilCollection(b)) return false; // DeepEqual(nil slice, empty slice) is false
  if (typeof a === "number") return a === b;
  if (a instanceof GoInt) return a.value === (b as GoInt).value;
  if (a instanceof GoComplex) return a.re === (b as GoComplex).re && a.im === (b as GoComplex).im;
  if (Array.isArray(a)) {
    const bb = b as Value[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  if (a instanceof Uint8Array) {
    const bb = b as Uint8Array;
    return a.length === bb.length && a.every((x, i) => x === bb[i]);
  }
  if (a instanceof GoObject) return a.format() === (b as GoObject).format();
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** The Go type name of a typed slice or map, if tagged. */
export const taggedType = (v: Value[] | GoMap): string | undefined => (v as { [GO_TYPE]?: string })[GO_TYPE];

export type { IntKind };
