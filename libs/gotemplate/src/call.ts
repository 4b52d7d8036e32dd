// Function calls and argument evaluation (Go: exec.go evalCall, evalArg, validateType): arity checks,
// Go's assignability of arguments to declared parameter types, literal conversion, and the error texts.
import type { ExecState, Final } from "./exec.js";
import { ExecError, MISSING } from "./exec.js";
import { type Node, NodeType, type NumberNode, nodeString } from "./parse/node.js";
import { FuncError, type FuncSig, GoComplex, type GoFunc, goInt, truth, typeName, type Value } from "./value.js";

const DEFAULT_SIG: FuncSig = { params: [], variadic: "interface {}" };

function canBeNil(typ: string): boolean {
  return (
    typ === "interface {}" ||
    typ === "reflect.Value" ||
    typ.startsWith("[]") ||
    typ.startsWith("map[") ||
    typ.startsWith("*") ||
    typ.startsWith("func")
  );
}

/**
 * reflect.Zero(typ) for a nil-able parameter type: nil. (A typed nil map or slice would print "map[]" / "[]"
 * where we print "<no value>" if a function returns it unchanged; writes to it must fail, so nil it is.)
 */
function zeroOf(typ: string): Value {
  return typ === "reflect.Value" ? undefined : null;
}

const INT_TYPES = new Set(["int", "int8", "int16", "int32", "int64"]);
const UINT_TYPES = new Set(["uint", "uint8", "uint16", "uint32", "uint64", "uintptr"]);

export function evalCall(
  s: ExecState,
  dot: Value,
  fn: GoFunc,
  builtin: boolean,
  node: Node,
  name: string,
  args: Node[] | null,
  final: Final,
): Value {
  const sig = fn.sig ?? DEFAULT_SIG;
  const nargs = args === null ? 0 : args.length - 1;
  const numIn = nargs + (final !== MISSING ? 1 : 0);
  const params = sig.params;
  let numFixed = nargs;
  if (sig.variadic !== undefined) {
    numFixed = params.length;
    if (numIn < numFixed) {
      s.errorf(`wrong number of args for ${name}: want at least ${params.length} got ${nargs}`);
    }
  } else if (numIn !== params.length) {
    s.errorf(`wrong number of args for ${name}: want ${params.length} got ${numIn}`);
  }
  if (builtin && (name === "and" || name === "or")) {
    const isOr = name === "or";
    let v: Value;
    for (let i = 1; i <= nargs; i++) {
      v = evalArg(s, dot, "reflect.Value", (args as Node[])[i] as Node);
      if (truth(v) === isOr) return v;
    }
    if (final !== MISSING) v = final;
    return v;
  }
  s.tick();
  const argv: Value[] = new Array(numIn);
  let i = 0;
  for (; i < numFixed && i < nargs; i++)
    argv[i] = evalArg(s, dot, params[i] as string, (args as Node[])[i + 1] as Node);
  if (sig.variadic !== undefined) {
    for (; i < nargs; i++) argv[i] = evalArg(s, dot, sig.variadic, (args as Node[])[i + 1] as Node);
  }
  if (final !== MISSING) {
    let t = params[params.length - 1] as string;
    if (sig.variadic !== undefined) t = numIn - 1 < numFixed ? (params[numIn - 1] as string) : sig.variadic;
    argv[i] = validateType(s, final, false, t);
  }
  if (!builtin) for (let j = 0; j < argv.length; j++) if (argv[j] === undefined) argv[j] = null;
  let v: Value;
  try {
    v = fn(...argv);
  } catch (e) {
    if (e instanceof ExecError) throw e;
    s.node = node;
    const msg = e instanceof FuncError ? e.message : e instanceof Error ? e.message : String(e);
    s.errorf(`error calling ${name}: ${msg}${builtin ? charConstantHint(name, args) : ""}`);
  }
  s.iface = false;
  return v === undefined ? null : v;
}

// `_iface`: Go unwraps a non-nil interface before reporting, so only nil (null) reports "interface {}".
export function validateType(s: ExecState, value: Value, _iface: boolean, typ: string | null): Value {
  if (value === undefined) {
    if (typ === null) return undefined;
    if (canBeNil(typ)) return zeroOf(typ);
    s.errorf(`invalid value; expected ${typ}`);
  }
  if (typ === null || typ === "interface {}" || typ === "reflect.Value") return value;
  // A nil held in an interface (map value, slice element, function result) is not assignable to a
  // concrete type, even one that can be nil: Go reports the interface type.
  if (value === null) s.errorf(`wrong type for value; expected ${typ}; got interface {}`);
  const actual = typeName(value);
  if (actual === typ) return value;
  s.errorf(`wrong type for value; expected ${typ}; got ${actual}`);
}

export function evalArg(s: ExecState, dot: Value, typ: string | null, n: Node): Value {
  s.node = n;
  switch (n.type) {
    case NodeType.Dot:
      return validateType(s, dot, s.dotIface, typ);
    case NodeType.Nil:
      if (typ !== null && canBeNil(typ)) return zeroOf(typ);
      s.errorf(`cannot assign nil to ${typ}`);
      break;
    case NodeType.Field: {
      const v = s.evalFieldNode(dot, n, [n], MISSING);
      return validateType(s, v, s.iface, typ);
    }
    case NodeType.Variable: {
      const v = s.evalVariableNode(dot, n, null, MISSING);
      return validateType(s, v, s.iface, typ);
    }
    case NodeType.Pipe:
      return validateType(s, s.evalPipeline(dot, n), false, typ);
    case NodeType.Identifier:
      return validateType(s, s.evalFunction(dot, n, n, null, MISSING), false, typ);
    case NodeType.Chain: {
      const v = s.evalChainNode(dot, n, null, MISSING);
      return validateType(s, v, s.iface, typ);
    }
  }
  if (typ === null || typ === "interface {}" || typ === "reflect.Value") {
    s.iface = false;
    switch (n.type) {
      case NodeType.Bool:
        return n.value;
      case NodeType.Number:
        return s.idealConstant(n);
      case NodeType.String:
        return n.text;
    }
    s.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
  }
  if (typ === "bool") {
    if (n.type === NodeType.Bool) return n.value;
    s.errorf(`expected bool; found ${nodeString(n)}`);
  }
  if (typ === "string") {
    if (n.type === NodeType.String) return n.text;
    s.errorf(`expected string; found ${nodeString(n)}`);
  }
  if (INT_TYPES.has(typ)) {
    if (n.type === NodeType.Number && n.isInt) return goInt(n.int64, typ as "int");
    s.errorf(`expected integer; found ${nodeString(n)}`);
  }
  if (UINT_TYPES.has(typ)) {
    if (n.type === NodeType.Number && n.isUint) return goInt(n.uint64, typ as "uint");
    s.errorf(`expected unsigned integer; found ${nodeString(n)}`);
  }
  if (typ === "float64" || typ === "float32") {
    if (n.type === NodeType.Number && n.isFloat) return n.float64;
    s.errorf(`expected float; found ${nodeString(n)}`);
  }
  if (typ === "complex128") {
    if (n.type === NodeType.Number && n.isComplex) return new GoComplex(n.complex[0], n.complex[1]);
    s.errorf(`expected complex; found ${nodeString(n)}`);
  }
  s.errorf(`can't handle ${nodeString(n)} for arg of type ${typ}`);
}

const COMPARISONS = new Set(["eq", "ne", "lt", "le", "gt", "ge"]);

/** Our addition to Go's message: 'x' compared with a string is a rune (int), a common slip. */
function charConstantHint(name: string, args: Node[] | null): string {
  if (!COMPARISONS.has(name) || args === null) return "";
  const isChar = (n: Node | undefined): boolean => n?.type === NodeType.Number && n.text.startsWith("'");
  return args.slice(1).some(isChar)
    ? " (hint: single quotes make a character constant, an integer; use double quotes or backticks for strings)"
    : "";
}

/** Go's idealConstant: the interface{} value of a number literal (computed once per node). */
export function computeIdeal(n: NumberNode): void {
  const t = n.text;
  const isHexInt = t.length > 2 && t[0] === "0" && (t[1] === "x" || t[1] === "X") && !/[pP]/.test(t);
  const isRuneInt = t[0] === "'";
  if (n.isComplex) n.ideal = new GoComplex(n.complex[0], n.complex[1]);
  else if (n.isFloat && !isHexInt && !isRuneInt && /[.eEpP]/.test(t)) n.ideal = n.float64;
  else if (n.isInt) n.ideal = goInt(n.int64);
  else if (n.isUint) n.idealError = `${t} overflows int`;
  else n.ideal = undefined;
}
