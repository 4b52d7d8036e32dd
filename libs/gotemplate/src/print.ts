// Go's fmt for template values (fmt/print.go): %v formatting (Fprint), Sprint/Sprintln spacing rules and
// Sprintf with Go's flags, widths, precisions, argument indexes and error forms (%!d(float64=3), %!(EXTRA ...)).
import { type Flags, fmtFloatVerb, fmtInteger, fmtQ, hexOf, pad, quote } from "./format.js";
import { formatFloat } from "./ftoa.js";
import { GoComplex, GoInt, GoObject, goInt, isMap, sortedKeys, typeName, utf8Bytes, type Value } from "./value.js";

export { formatFloat, quote };

// ---- %v ----

/** fmt's %v text of a value (nil → "<nil>"), as fmt.Sprint(v). */
export function toGoString(v: Value): string {
  switch (typeof v) {
    case "string":
      return v;
    case "number":
      return formatFloat(v, "g", -1);
    case "boolean":
      return v ? "true" : "false";
    case "undefined":
      return "<nil>";
    case "function":
      return "0xc000010000";
  }
  if (v === null) return "<nil>";
  if (v instanceof GoInt) return v.value.toString();
  if (Array.isArray(v)) {
    let s = "[";
    for (let i = 0; i < v.length; i++) {
      if (i > 0) s += " ";
      s += toGoString(v[i]);
    }
    return `${s}]`;
  }
  if (v instanceof Uint8Array) return `[${Array.from(v).join(" ")}]`;
  if (v instanceof GoObject) return v.format();
  if (v instanceof GoComplex) return formatComplex(v, "g", -1, false);
  let s = "map[";
  let first = true;
  for (const k of sortedKeys(v)) {
    if (!first) s += " ";
    first = false;
    s += `${k}:${toGoString(v[k])}`;
  }
  return `${s}]`;
}

function formatComplex(c: GoComplex, verb: string, prec: number, plus: boolean): string {
  const re = formatFloat(c.re, verb, prec);
  let im = formatFloat(c.im, verb, prec);
  if (!im.startsWith("-") && !im.startsWith("+")) im = `+${im}`;
  return `(${plus && !re.startsWith("-") ? "+" : ""}${re}${im}i)`;
}

const isStringArg = (v: Value): boolean => typeof v === "string";

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: Value[]): string {
  let out = "";
  let prevString = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? null;
    const isStr = isStringArg(a);
    if (i > 0 && !isStr && !prevString) out += " ";
    out += toGoString(a);
    prevString = isStr;
  }
  return out;
}

/** fmt.Sprintln: always spaces, trailing newline. */
export function sprintln(args: Value[]): string {
  return `${args.map((a) => toGoString(a ?? null)).join(" ")}\n`;
}

function badVerb(f: Flags, verb: string, v: Value): string {
  if (v === null || v === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(v)}=${formatArg(f, v, "v", 1)})`;
}

/** %#v: Go-syntax representation of a value. */
function goSyntax(v: Value, depth: number): string {
  if (v === null || v === undefined) return depth > 0 ? "interface {}(nil)" : "<nil>";
  switch (typeof v) {
    case "string":
      return quote(v);
    case "number":
      return formatFloat(v, "g", -1);
    case "boolean":
      return String(v);
    case "function":
      return `(${typeName(v)})(0xc000010000)`;
  }
  if (v instanceof GoInt) return v.kind.startsWith("u") ? `0x${v.value.toString(16)}` : v.value.toString();
  if (v instanceof Uint8Array) return `[]byte{${Array.from(v, (b) => `0x${b.toString(16)}`).join(", ")}}`;
  if (v instanceof GoObject) return v.format();
  if (v instanceof GoComplex) return formatComplex(v, "g", -1, false);
  if (Array.isArray(v)) return `${typeName(v)}{${v.map((e) => goSyntax(e, depth + 1)).join(", ")}}`;
  const m = v as Record<string, Value>;
  return `${typeName(v)}{${sortedKeys(m)
    .map((k) => `${quote(k)}:${goSyntax(m[k], depth + 1)}`)
    .join(", ")}}`;
}

/** Formats one argument for one verb (fmt's printArg/printValue). */
export function formatArg(f: Flags, v: Value, verb: string, depth = 0): string {
  if (f.sharpV && verb === "v") return pad(f, goSyntax(v, depth));
  if (v === null || v === undefined) {
    if (depth > 0) return "<nil>";
    return verb === "v" || verb === "T" ? pad(f, "<nil>") : badVerb(f, verb, v);
  }
  if (verb === "T") return pad(f, typeName(v));
  if (verb === "p") return `%!p(${typeName(v)}=${toGoString(v)})`;
  switch (typeof v) {
    case "boolean":
      return verb === "t" || verb === "v" ? pad(f, v ? "true" : "false") : badVerb(f, verb, v);
    case "number":
      return fmtFloatVerb(f, v, verb) ?? badVerb(f, verb, v);
    case "string":
      switch (verb) {
        case "v":
        case "s":
          return pad(f, f.precPresent ? Array.from(v).slice(0, f.prec).join("") : v);
        case "q":
          return fmtQ(f, v);
        case "x":
        case "X":
          return pad(f, hexOf(utf8Bytes(v), f, verb === "X"));
        default:
          return badVerb(f, verb, v);
      }
    case "function":
      return verb === "v" ? pad(f, toGoString(v)) : badVerb(f, verb, v);
  }
  if (v instanceof GoInt) return fmtInteger(f, v.value, verb, !v.kind.startsWith("u")) ?? badVerb(f, verb, v);
  if (v instanceof GoObject) {
    if (verb === "v" || verb === "s") return pad(f, v.format());
    if (verb === "q") return fmtQ(f, v.format());
    return badVerb(f, verb, v);
  }
  if (v instanceof GoComplex) {
    // fmtComplex: each part formatted as a float with the verb's flags; the imaginary part always signed
    if (!"vbgGxXfFeE".includes(verb)) return badVerb(f, verb, v);
    return `(${fmtFloatVerb(f, v.re, verb)}${fmtFloatVerb({ ...f, plus: true }, v.im, verb)}i)`;
  }
  if (v instanceof Uint8Array) {
    if (verb === "s") return pad(f, new TextDecoder().decode(v));
    if (verb === "q") return fmtQ(f, new TextDecoder().decode(v));
    if (verb === "x" || verb === "X") return pad(f, hexOf(v, f, verb === "X"));
    const parts = Array.from(v, (b) => fmtInteger(f, BigInt(b), verb, false) ?? badVerb(f, verb, goInt(b, "uint8")));
    return `[${parts.join(" ")}]`;
  }
  if (Array.isArray(v)) {
    return `[${v.map((e) => formatArg(f, e, verb, depth + 1)).join(" ")}]`;
  }
  if (isMap(v)) {
    const parts = sortedKeys(v).map(
      (k) => `${formatArg(f, k, verb, depth + 1)}:${formatArg(f, v[k], verb, depth + 1)}`,
    );
    return `map[${parts.join(" ")}]`;
  }
  return badVerb(f, verb, v);
}

function parseNum(s: string, i: number): [num: number, present: boolean, next: number] {
  let n = 0;
  let present = false;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) {
    if (n > 1e6) return [0, false, s.length];
    n = n * 10 + (s.charCodeAt(i) - 48);
    present = true;
    i++;
  }
  return [n, present, i];
}

function intArg(args: Value[], argNum: number): [num: number, ok: boolean, next: number] {
  if (argNum >= args.length) return [0, false, argNum];
  const a = args[argNum];
  if (a instanceof GoInt) {
    const n = Number(a.value);
    if (Math.abs(n) > 1e6) return [0, false, argNum + 1];
    return [n, true, argNum + 1];
  }
  return [0, false, argNum + 1];
}

/** fmt.Sprintf with Go's semantics. */
export function sprintf(format: string, args: Value[]): string {
  let out = "";
  let argNum = 0;
  let reordered = false;
  const end = format.length;
  let i = 0;
  while (i < end) {
    const lasti = i;
    while (i < end && format[i] !== "%") i++;
    if (i > lasti) out += format.slice(lasti, i);
    if (i >= end) break;
    i++;
    const f: Flags = {
      plus: false,
      minus: false,
      sharp: false,
      space: false,
      zero: false,
      wid: 0,
      widPresent: false,
      prec: 0,
      precPresent: false,
    };
    flags: for (; i < end; i++) {
      switch (format[i]) {
        case "#":
          f.sharp = true;
          break;
        case "0":
          f.zero = !f.minus;
          break;
        case "+":
          f.plus = true;
          break;
        case "-":
          f.minus = true;
          f.zero = false;
          break;
        case " ":
          f.space = true;
          break;
        default:
          break flags;
      }
    }
    let goodArgNum = true;
    let afterIndex = false;
    const argNumber = (): void => {
      if (i >= end || format[i] !== "[") return;
      reordered = true;
      const close = format.indexOf("]", i);
      if (close < 0) {
        goodArgNum = false;
        return;
      }
      const [n, ok, next] = parseNum(format, i + 1);
      if (!ok || next !== close) {
        goodArgNum = false;
        i = close + 1;
        return;
      }
      const idx = n - 1;
      i = close + 1;
      if (idx >= 0 && idx < args.length) {
        argNum = idx;
        afterIndex = true;
      } else goodArgNum = false;
    };
    argNumber();
    if (i < end && format[i] === "*") {
      i++;
      [f.wid, f.widPresent, argNum] = intArg(args, argNum);
      if (!f.widPresent) out += "%!(BADWIDTH)";
      if (f.wid < 0) {
        f.wid = -f.wid;
        f.minus = true;
        f.zero = false;
      }
      afterIndex = false;
    } else {
      [f.wid, f.widPresent, i] = parseNum(format, i);
      if (afterIndex && f.widPresent) goodArgNum = false;
    }
    if (i + 1 < end && format[i] === ".") {
      i++;
      if (afterIndex) goodArgNum = false;
      afterIndex = false;
      argNumber();
      if (i < end && format[i] === "*") {
        i++;
        [f.prec, f.precPresent, argNum] = intArg(args, argNum);
        if (f.prec < 0) {
          f.prec = 0;
          f.precPresent = false;
        }
        if (!f.precPresent) out += "%!(BADPREC)";
        afterIndex = false;
      } else {
        [f.prec, f.precPresent, i] = parseNum(format, i);
        if (!f.precPresent) {
          f.prec = 0;
          f.precPresent = true;
        }
      }
    }
    if (!afterIndex) argNumber();
    if (i >= end) {
      out += "%!(NOVERB)";
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) as number);
    i += verb.length;
    if (verb === "%") out += "%";
    else if (!goodArgNum) out += `%!${verb}(BADINDEX)`;
    else if (argNum >= args.length) out += `%!${verb}(MISSING)`;
    else {
      if (verb === "v") {
        f.sharpV = f.sharp;
        f.sharp = false;
        f.plus = false; // plusV only matters for structs
      }
      out += formatArg(f, args[argNum] ?? null, verb);
      argNum++;
    }
  }
  if (!reordered && argNum < args.length) {
    const extra = args
      .slice(argNum)
      .map((a) => (a === null || a === undefined ? "<nil>" : `${typeName(a)}=${toGoString(a)}`));
    out += `%!(EXTRA ${extra.join(", ")})`;
  }
  return out;
}
