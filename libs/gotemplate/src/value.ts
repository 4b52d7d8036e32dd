/**
 * THE VALUE MODEL: how Go values (as text/template and sprig see them through reflect) live in JavaScript.
 *
 *   Go                          JS representation
 *   --------------------------  ------------------------------------------------------------------------
 *   nil (untyped / interface)   null (undefined is accepted and treated as null)
 *   bool                        boolean
 *   float64                     number                 (JSON numbers are always float64, as in encoding/json)
 *   int, int64, uint8, ...      GoInt { kind, value: bigint }   build with goInt(n, kind?) (small ints cached)
 *   string                      string                 (Go strings are UTF-8 bytes: use utf8Len/utf8Bytes)
 *   []interface {}              Value[]                (plain array; nil slice = null)
 *   []string, []int, ...        Value[] tagged:  typed(arr, "[]string")
 *   []byte                      Uint8Array
 *   map[string]interface {}     GoMap: plain object (from JSON.parse) or newMap() (null prototype).
 *                               Other map types: typed(obj, "map[string]string"). Keys read with hasKey().
 *   complex128                  GoComplex
 *   anything else (time.Time,   subclass of GoObject: declares goType (%T), goKind (reflect kind), formats
 *   *semver.Version, structs)   itself for %v, and exposes fields/methods to `.Name` chains.
 *   func                        JS function (only reachable through `call`)
 *
 * Functions (FuncMap): `GoFunc = (...args: Value[]) => Value`. To fail, throw FuncError(msg): the executor
 * reports Go's `error calling NAME: MSG`. Declare a Go signature with goFunc(params, fn, {variadic}) so the
 * executor checks arity (`wrong number of args for NAME: want 2 got 1`) and argument types
 * (`wrong type for value; expected string; got float64`) and converts literals like Go does; an undeclared
 * GoFunc is treated as `func(...interface{}) interface{}` and sees values as they are.
 */

export type Kind =
  | "invalid"
  | "bool"
  | "int"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "uint"
  | "uint8"
  | "uint16"
  | "uint32"
  | "uint64"
  | "uintptr"
  | "float32"
  | "float64"
  | "complex128"
  | "string"
  | "slice"
  | "array"
  | "map"
  | "struct"
  | "ptr"
  | "func"
  | "interface";

export type IntKind =
  | "int"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "uint"
  | "uint8"
  | "uint16"
  | "uint32"
  | "uint64"
  | "uintptr";

/** A Go integer of a given kind. Immutable; compare with `.value`. */
export class GoInt {
  constructor(
    readonly kind: IntKind,
    readonly value: bigint,
  ) {}
  toString(): string {
    return this.value.toString();
  }
  /** The value as a JS number (may lose precision beyond 2^53). */
  toNumber(): number {
    return Number(this.value);
  }
}

const SMALL_INTS: GoInt[] = [];
for (let i = 0; i < 1024; i++) SMALL_INTS.push(new GoInt("int", BigInt(i)));

const INT_BITS: Record<IntKind, [bits: number, signed: boolean]> = {
  int: [64, true],
  int8: [8, true],
  int16: [16, true],
  int32: [32, true],
  int64: [64, true],
  uint: [64, false],
  uint8: [8, false],
  uint16: [16, false],
  uint32: [32, false],
  uint64: [64, false],
  uintptr: [64, false],
};

/** Builds a Go int of `kind`, wrapping like a Go conversion (int8(300) == 44). Non-integral numbers truncate. */
export function goInt(n: number | bigint, kind: IntKind = "int"): GoInt {
  if (typeof n === "number") {
    if (kind === "int" && n >= 0 && n < 1024 && Number.isInteger(n)) return SMALL_INTS[n] as GoInt;
    n = Number.isFinite(n) ? BigInt(Math.trunc(n)) : n > 0 ? 0x7fffffffffffffffn : -0x8000000000000000n;
  } else if (kind === "int" && n >= 0n && n < 1024n) return SMALL_INTS[Number(n)] as GoInt;
  const [bits, signed] = INT_BITS[kind];
  const v = signed ? BigInt.asIntN(bits, n) : BigInt.asUintN(bits, n);
  return new GoInt(kind, v);
}

export const isGoInt = (v: unknown): v is GoInt => v instanceof GoInt;

/** complex128 (only template literals like 1i produce it). */
export class GoComplex {
  constructor(
    readonly re: number,
    readonly im: number,
  ) {}
}

/**
 * Base for every other Go value (time.Time, *semver.Version, structs...). Subclasses set goType/goKind,
 * format themselves (Stringer or fmt's default) and expose fields and methods to templates.
 */
export abstract class GoObject {
  /** fmt %T name, e.g. "time.Time", "*semver.Version". */
  abstract readonly goType: string;
  /** reflect kind as sprig's kindOf reports it, e.g. "struct", "ptr". */
  abstract readonly goKind: Kind;
  /** fmt %v / %s text. */
  abstract format(): string;
  /** `.Name` on this value: a field value, or undefined if there is no such field. */
  field(_name: string): Value | undefined {
    return undefined;
  }
  /** `.Name args...` on this value: a method, or undefined if there is no such method. */
  method(_name: string): GoFunc | undefined {
    return undefined;
  }
  /** Go's isTrue for this value (struct: true, ptr: non-nil). */
  truth(): boolean {
    return true;
  }
}

export interface GoMap {
  [key: string]: Value;
}

// biome-ignore lint/suspicious/noExplicitAny: Value is recursive and also carries JS functions for `call`.
export type AnyFunction = (...args: any[]) => any;

export type Value =
  | null
  | undefined
  | boolean
  | number
  | string
  | GoInt
  | GoComplex
  | Value[]
  | Uint8Array
  | GoObject
  | GoMap
  | AnyFunction;

/** Symbol carrying the Go type name of a typed slice or map (e.g. "[]string", "map[string]string"). */
export const GO_TYPE: unique symbol = Symbol.for("evtrigger.gotemplate.goType");

type Typed = { [GO_TYPE]?: string };

/** Tags a slice or map with its Go type name ("[]string", "map[string]string"...); returns it. */
export function typed<T extends Value[] | GoMap>(v: T, goType: string): T {
  Object.defineProperty(v, GO_TYPE, { value: goType, enumerable: false, configurable: true, writable: true });
  return v;
}

/** A new empty map[string]interface{} safe for any key (null prototype, "__proto__" is a plain key). */
export function newMap(): GoMap {
  return Object.create(null) as GoMap;
}

/** Sets m[k] = v without touching prototypes (use for keys coming from data). */
export function mapSet(m: GoMap, k: string, v: Value): void {
  if (k === "__proto__")
    Object.defineProperty(m, k, { value: v, enumerable: true, writable: true, configurable: true });
  else m[k] = v;
}

export const hasKey = (m: GoMap, k: string): boolean => Object.hasOwn(m, k);

/** Map keys sorted as Go's fmt and range sort string keys (byte-wise == UTF-16 order for BMP text). */
export function sortedKeys(m: GoMap): string[] {
  return Object.keys(m).sort(compareStrings);
}

export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  // Go compares UTF-8 bytes; UTF-16 code unit order differs only for astral vs U+E000..U+FFFF.
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export const isMap = (v: Value): v is GoMap =>
  typeof v === "object" &&
  v !== null &&
  !Array.isArray(v) &&
  !(v instanceof GoInt) &&
  !(v instanceof GoObject) &&
  !(v instanceof Uint8Array) &&
  !(v instanceof GoComplex);

export const isSlice = (v: Value): v is Value[] => Array.isArray(v);

export const isNil = (v: Value): v is null | undefined => v === null || v === undefined;

/** reflect Kind name of v ("invalid" for nil), as sprig's kindOf. */
export function kindOf(v: Value): Kind {
  switch (typeof v) {
    case "string":
      return "string";
    case "number":
      return "float64";
    case "boolean":
      return "bool";
    case "function":
      return "func";
    case "undefined":
      return "invalid";
  }
  if (v === null) return "invalid";
  if (v instanceof GoInt) return v.kind;
  if (Array.isArray(v) || v instanceof Uint8Array) return "slice";
  if (v instanceof GoObject) return v.goKind;
  if (v instanceof GoComplex) return "complex128";
  return "map";
}

/** Go's %T name of v ("<nil>" for nil), as sprig's typeOf. */
export function typeName(v: Value): string {
  switch (typeof v) {
    case "string":
      return "string";
    case "number":
      return "float64";
    case "boolean":
      return "bool";
    case "function":
      return "func(...interface {}) interface {}";
    case "undefined":
      return "<nil>";
  }
  if (v === null) return "<nil>";
  if (v instanceof GoInt) return v.kind;
  if (v instanceof Uint8Array) return "[]uint8";
  if (v instanceof GoObject) return v.goType;
  if (v instanceof GoComplex) return "complex128";
  const t = (v as Typed)[GO_TYPE];
  if (t !== undefined) return t;
  return Array.isArray(v) ? "[]interface {}" : "map[string]interface {}";
}

/** Go's template truth (text/template isTrue): zero values, nil and empty collections are false. */
export function truth(v: Value): boolean {
  switch (typeof v) {
    case "boolean":
      return v;
    case "string":
      return v.length > 0;
    case "number":
      return v !== 0;
    case "function":
      return true;
    case "undefined":
      return false;
  }
  if (v === null) return false;
  if (v instanceof GoInt) return v.value !== 0n;
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length > 0;
  if (v instanceof GoObject) return v.truth();
  if (v instanceof GoComplex) return v.re !== 0 || v.im !== 0;
  for (const _ in v) return true;
  return false;
}

/** Length as Go's len(): UTF-8 bytes for strings, entries for maps; undefined if len does not apply. */
export function goLen(v: Value): number | undefined {
  if (typeof v === "string") return utf8Len(v);
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length;
  if (isMap(v)) return Object.keys(v).length;
  return undefined;
}

/** UTF-8 byte length of a JS string (fast path for ASCII). */
export function utf8Len(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 2; // surrogate pair: 4 bytes for 2 code units
      i++;
    } else n += 2;
  }
  return n;
}

export function utf8Bytes(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** Decodes UTF-8 like Go's string([]byte): invalid bytes become U+FFFD. */
export function fromUtf8(b: Uint8Array): string {
  return new TextDecoder().decode(b);
}

/** Raised by a FuncMap function; the executor reports it as `error calling NAME: MSG`. */
export class FuncError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "FuncError";
  }
}

/** A FuncMap entry. Throw FuncError to fail. */
export type GoFunc = ((...args: Value[]) => Value) & { sig?: FuncSig };

/**
 * Declared Go signature. Parameter types are Go type names: "interface {}" (any), "string", "int", "int64",
 * "float64", "bool", "[]interface {}", "[]string", "map[string]interface {}", ... An argument is accepted
 * when its typeName equals the parameter type (Go's assignability for these types), nil where the type can
 * be nil; constants convert as in Go (3 → int, 3 → float64(3) for a float64 parameter).
 */
export interface FuncSig {
  params: string[];
  /** Element type of a final variadic parameter (`...interface {}` → "interface {}"). */
  variadic?: string;
}

export type FuncMap = Record<string, GoFunc>;

/** Attaches a Go signature to fn (for arity and argument type checks). */
export function goFunc(params: string[], fn: (...args: Value[]) => Value, opts: { variadic?: string } = {}): GoFunc {
  const f = fn as GoFunc;
  f.sig = opts.variadic === undefined ? { params } : { params, variadic: opts.variadic };
  return f;
}

/** Registration point: functions added here are visible to every template parsed afterwards. */
const registered: FuncMap = Object.create(null) as FuncMap;
let registryVersion = 0;
export function registerFuncs(map: FuncMap): void {
  for (const [k, f] of Object.entries(map)) registered[k] = f;
  registryVersion++;
}
export function registeredFuncs(): FuncMap {
  return registered;
}
/** Changes whenever registerFuncs is called (function tables and parse caches rebuild). */
export function registeredFuncsVersion(): number {
  return registryVersion;
}
