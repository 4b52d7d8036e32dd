// Go text/template's predefined functions (Go: text/template/funcs.go). Inside the executor a nil that
// came out of an interface (map value, slice element) is `null`, while "no value at all" is `undefined`;
// these builtins see that difference, as Go's reflect-based ones do (`len .x` vs `len nil`).
import { formatArg, sprint, sprintf, sprintln, toGoString } from "./print.js";
import {
  FuncError,
  type FuncMap,
  GO_TYPE,
  GoComplex,
  type GoFunc,
  GoInt,
  GoObject,
  goFunc,
  goInt,
  goLen,
  hasKey,
  isMap,
  kindOf,
  truth,
  typeName,
  utf8Bytes,
  type Value,
} from "./value.js";

const RV = "reflect.Value"; // parameter type: any value, nil allowed, untouched

enum BK {
  Invalid,
  Bool,
  Complex,
  Int,
  Float,
  String,
  Uint,
}

function basicKind(v: Value): BK {
  switch (typeof v) {
    case "boolean":
      return BK.Bool;
    case "number":
      return BK.Float;
    case "string":
      return BK.String;
  }
  if (v instanceof GoInt) return v.kind.startsWith("u") ? BK.Uint : BK.Int;
  if (v instanceof GoComplex) return BK.Complex;
  return BK.Invalid;
}

const badComparison = (): FuncError => new FuncError("incompatible types for comparison");
const badComparisonType = (): FuncError => new FuncError("invalid type for comparison");

const argS = (v: Value): string => formatArg({} as never, v, "s", 1);

function eqOne(a: Value, b: Value): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 !== k2) {
    if ((k1 === BK.Int && k2 === BK.Uint) || (k1 === BK.Uint && k2 === BK.Int)) {
      return (a as GoInt).value === (b as GoInt).value;
    }
    if (a !== null && a !== undefined && b !== null && b !== undefined) throw badComparison();
    return false;
  }
  switch (k1) {
    case BK.Bool:
    case BK.Float:
    case BK.String:
      return a === b;
    case BK.Int:
    case BK.Uint:
      return (a as GoInt).value === (b as GoInt).value;
    case BK.Complex:
      return (a as GoComplex).re === (b as GoComplex).re && (a as GoComplex).im === (b as GoComplex).im;
  }
  const aNil = a === null || a === undefined;
  const bNil = b === null || b === undefined;
  if (!aNil && !bNil && kindOf(a) !== kindOf(b)) {
    throw new FuncError(`non-comparable types ${argS(a)}: ${typeName(a)}, ${typeName(b)}: ${toGoString(b)}`);
  }
  if (aNil || bNil) return aNil === bNil;
  const k = kindOf(b);
  if (k === "slice" || k === "map" || k === "func")
    throw new FuncError(`non-comparable type ${argS(b)}: ${typeName(b)}`);
  return a === b;
}

function eq(arg1: Value, ...arg2: Value[]): Value {
  if (arg2.length === 0) throw new FuncError("missing argument for comparison");
  for (const b of arg2) if (eqOne(arg1, b)) return true;
  return false;
}

function lt(a: Value, b: Value): boolean {
  const k1 = basicKind(a);
  if (k1 === BK.Invalid) throw badComparisonType();
  const k2 = basicKind(b);
  if (k2 === BK.Invalid) throw badComparisonType();
  if (k1 !== k2) {
    if ((k1 === BK.Int && k2 === BK.Uint) || (k1 === BK.Uint && k2 === BK.Int)) {
      return (a as GoInt).value < (b as GoInt).value;
    }
    throw badComparison();
  }
  switch (k1) {
    case BK.Bool:
    case BK.Complex:
      throw badComparisonType();
    case BK.Float:
      return (a as number) < (b as number);
    case BK.String:
      return Buffer.compare(Buffer.from(a as string), Buffer.from(b as string)) < 0;
    default:
      return (a as GoInt).value < (b as GoInt).value;
  }
}

function indexArg(index: Value, cap: number): number {
  let x: bigint;
  if (index instanceof GoInt) x = index.value;
  else if (index === undefined || index === null) throw new FuncError("cannot index slice/array with nil");
  else throw new FuncError(`cannot index slice/array with type ${typeName(index)}`);
  if (x < 0n || x > BigInt(cap)) throw new FuncError(`index out of range: ${x}`);
  return Number(x);
}

/** reflect.Zero of a map's element type: "" for map[string]string, nil for map[string]interface {}. */
function zeroElem(m: object): Value {
  const t = (m as { [GO_TYPE]?: string })[GO_TYPE];
  if (t === undefined) return null;
  const elem = t.slice(t.indexOf("]") + 1);
  if (elem === "string") return "";
  if (elem === "bool") return false;
  if (elem === "float64" || elem === "float32") return 0;
  if (/^u?int(8|16|32|64|ptr)?$/.test(elem)) return goInt(0, elem as "int");
  return null;
}

function index(item: Value, ...indexes: Value[]): Value {
  if (item === undefined || item === null) throw new FuncError("index of untyped nil");
  for (const ix of indexes) {
    if (item === null || item === undefined) throw new FuncError("index of nil pointer");
    if (typeof item === "string") {
      const bytes = utf8Bytes(item);
      const x = indexArg(ix, bytes.length);
      if (x === bytes.length) throw new FuncError("reflect: string index out of range");
      item = goInt(bytes[x] as number, "uint8");
    } else if (Array.isArray(item) || item instanceof Uint8Array) {
      const x = indexArg(ix, item.length);
      if (x === item.length) throw new FuncError("reflect: slice index out of range");
      item = item instanceof Uint8Array ? goInt(item[x] as number, "uint8") : (item[x] ?? null);
    } else if (isMap(item)) {
      if (ix === undefined || ix === null) throw new FuncError("value is nil; should be of type string");
      if (typeof ix !== "string") throw new FuncError(`value has type ${typeName(ix)}; should be string`);
      item = hasKey(item, ix) ? (item[ix] ?? null) : zeroElem(item);
    } else throw new FuncError(`can't index item of type ${typeName(item)}`);
  }
  return item;
}

function slice(item: Value, ...indexes: Value[]): Value {
  if (item === undefined || item === null) throw new FuncError("slice of untyped nil");
  if (indexes.length > 3) throw new FuncError(`too many slice indexes: ${indexes.length}`);
  let cap: number;
  let len: number;
  let bytes: Uint8Array | undefined;
  if (typeof item === "string") {
    if (indexes.length === 3) throw new FuncError("cannot 3-index slice a string");
    bytes = utf8Bytes(item);
    cap = len = bytes.length;
  } else if (Array.isArray(item) || item instanceof Uint8Array) cap = len = item.length;
  else throw new FuncError(`can't slice item of type ${typeName(item)}`);
  const idx = [0, len, 0];
  indexes.forEach((ix, i) => {
    idx[i] = indexArg(ix, cap);
  });
  const [i0, i1, i2] = idx as [number, number, number];
  if (i0 > i1) throw new FuncError(`invalid slice index: ${i0} > ${i1}`);
  if (indexes.length === 3 && i1 > i2) throw new FuncError(`invalid slice index: ${i1} > ${i2}`);
  if (bytes) return new TextDecoder().decode(bytes.subarray(i0, i1));
  return (item as Value[] | Uint8Array).slice(i0, i1) as Value;
}

function length(item: Value): Value {
  if (item === null) throw new FuncError("len of nil pointer");
  if (item === undefined) throw new FuncError("reflect: call of reflect.Value.Type on zero Value");
  const n = goLen(item);
  if (n === undefined) throw new FuncError(`len of type ${typeName(item)}`);
  return goInt(n);
}

function call(fn: Value, ...args: Value[]): Value {
  if (fn === undefined || fn === null) throw new FuncError("call of nil");
  if (typeof fn !== "function") throw new FuncError(`non-function of type ${typeName(fn)}`);
  return (fn as GoFunc)(...args.map((a) => (a === undefined ? null : a)));
}

/** evalArgs: a single string as is, else fmt.Sprint with <no value> for missing values. */
function evalArgs(args: Value[]): string {
  if (args.length === 1 && typeof args[0] === "string") return args[0];
  return sprint(args.map((a) => (a === undefined || a === null ? "<no value>" : a)));
}

export function htmlEscape(s: string): string {
  if (!/['"&<>\0]/.test(s)) return s;
  return s.replace(/['"&<>\0]/g, (c) =>
    c === "\0"
      ? "\uFFFD"
      : c === '"'
        ? "&#34;"
        : c === "'"
          ? "&#39;"
          : c === "&"
            ? "&amp;"
            : c === "<"
              ? "&lt;"
              : "&gt;",
  );
}

const JS_REPL: Record<string, string> = {
  "\\": "\\\\",
  "'": "\\'",
  '"': '\\"',
  "<": "\\u003C",
  ">": "\\u003E",
  "&": "\\u0026",
  "=": "\\u003D",
};

export function jsEscape(s: string): string {
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    const r = JS_REPL[ch];
    if (r !== undefined) out += r;
    else if (c < 0x20) out += `\\u00${c.toString(16).toUpperCase().padStart(2, "0")}`;
    else if (c < 0x80) out += ch;
    else if (/[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(ch)) out += ch;
    else out += `\\u${c.toString(16).toUpperCase().padStart(4, "0")}`;
  }
  return out;
}

/** url.QueryEscape */
export function queryEscape(s: string): string {
  let out = "";
  for (const b of utf8Bytes(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

const notFn = (a: Value): Value => !truth(a);
const unreachable = (): Value => {
  throw new FuncError("unreachable");
};

/** The builtins FuncMap. `and`/`or` are evaluated lazily by the executor (short-circuit). */
export const builtins: FuncMap = {
  and: goFunc([RV], unreachable, { variadic: RV }),
  or: goFunc([RV], unreachable, { variadic: RV }),
  not: goFunc([RV], notFn),
  len: goFunc([RV], length),
  index: goFunc([RV], index, { variadic: RV }),
  slice: goFunc([RV], slice, { variadic: RV }),
  print: goFunc([], (...a) => sprint(a.map(nilify)), { variadic: "interface {}" }),
  printf: goFunc(["string"], (f, ...a) => sprintf(f as string, a.map(nilify)), { variadic: "interface {}" }),
  println: goFunc([], (...a) => sprintln(a.map(nilify)), { variadic: "interface {}" }),
  html: goFunc([], (...a) => htmlEscape(evalArgs(a)), { variadic: "interface {}" }),
  js: goFunc([], (...a) => jsEscape(evalArgs(a)), { variadic: "interface {}" }),
  urlquery: goFunc([], (...a) => queryEscape(evalArgs(a)), { variadic: "interface {}" }),
  call: goFunc([RV], call, { variadic: RV }),
  eq: goFunc([RV], eq, { variadic: RV }),
  ne: goFunc([RV, RV], (a, b) => !eq(a, b)),
  lt: goFunc([RV, RV], lt),
  le: goFunc([RV, RV], (a, b) => lt(a, b) || eq(a, b)),
  gt: goFunc([RV, RV], (a, b) => !(lt(a, b) || eq(a, b))),
  ge: goFunc([RV, RV], (a, b) => !lt(a, b)),
};

function nilify(v: Value): Value {
  return v === undefined ? null : v;
}

export const isGoObject = (v: Value): v is GoObject => v instanceof GoObject;
