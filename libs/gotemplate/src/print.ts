// Go's fmt for template values: %v formatting (Fprint), Sprint/Sprintln spacing rules and Sprintf with
// Go's flags, widths, precisions, argument indexes and error forms (%!d(float64=3), %!(EXTRA ...), MISSING).
import { GoComplex, GoInt, GoObject, goInt, isMap, sortedKeys, typeName, utf8Bytes, type Value } from "./value.js";

// ---- floats (strconv.FormatFloat) ----

interface Digits {
  d: string; // significant digits, no trailing zeros ("" for zero)
  dp: number; // decimal point position
}

function digitsOf(x: number, sig: number): Digits {
  // sig < 0: shortest round-trip digits; else rounded to `sig` significant digits.
  if (x === 0) return { d: "", dp: 0 };
  const s = sig < 0 ? x.toExponential() : x.toExponential(Math.max(sig - 1, 0));
  const e = s.indexOf("e");
  let d = s.slice(0, e).replace(".", "");
  d = d.replace(/0+$/, "");
  return { d, dp: Number(s.slice(e + 1)) + 1 };
}

function digitsFixed(x: number, frac: number): Digits {
  // rounded to `frac` digits after the decimal point
  if (x === 0) return { d: "", dp: 0 };
  let s: string;
  if (x < 1e21) s = x.toFixed(Math.min(frac, 100));
  else s = BigInt(x).toString() + (frac > 0 ? `.${"0".repeat(frac)}` : "");
  const dot = s.indexOf(".");
  const intPart = dot < 0 ? s : s.slice(0, dot);
  const all = intPart + (dot < 0 ? "" : s.slice(dot + 1));
  const lead = all.match(/^0*/)?.[0].length ?? 0;
  const d = all.slice(lead).replace(/0+$/, "");
  if (d === "") return { d: "", dp: 0 };
  return { d, dp: intPart.length - lead };
}

function fmtE(neg: boolean, digs: Digits, prec: number, fmt: string): string {
  let out = neg ? "-" : "";
  out += digs.d.length === 0 ? "0" : (digs.d[0] as string);
  if (prec > 0) {
    out += ".";
    const rest = digs.d.slice(1, 1 + prec);
    out += rest + "0".repeat(prec - rest.length);
  }
  out += fmt;
  let exp = digs.dp - 1;
  if (digs.d.length === 0) exp = 0;
  out += exp < 0 ? "-" : "+";
  exp = Math.abs(exp);
  out += exp < 10 ? `0${exp}` : String(exp);
  return out;
}

function fmtF(neg: boolean, digs: Digits, prec: number): string {
  let out = neg ? "-" : "";
  if (digs.dp > 0) {
    const m = Math.min(digs.d.length, digs.dp);
    out += digs.d.slice(0, m) + "0".repeat(digs.dp - m);
  } else out += "0";
  if (prec > 0) {
    out += ".";
    for (let i = 1; i <= prec; i++) {
      const j = digs.dp + i - 1;
      out += j < 0 || j >= digs.d.length ? "0" : digs.d[j];
    }
  }
  return out;
}

/** strconv's %x for floats: -0x1.8p+01 (shortest, or `prec` hex digits rounded half-even). */
function fmtX(x: number, prec: number, upper: boolean): string {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  const bits = dv.getBigUint64(0);
  const neg = bits >> 63n === 1n;
  let exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & 0xfffffffffffffn;
  if (exp === 0 && mant === 0n) exp = 0;
  else if (exp === 0) {
    exp = -1022;
    while ((mant & (1n << 52n)) === 0n) {
      mant <<= 1n;
      exp--;
    }
    mant &= 0xfffffffffffffn;
  } else exp -= 1023;
  const isZero = x === 0;
  let lead = isZero ? 0n : 1n;
  let frac = mant.toString(16).padStart(13, "0");
  if (prec < 0) frac = frac.replace(/0+$/, "");
  else if (prec < 13) {
    const shift = BigInt((13 - prec) * 4);
    let m = (lead << 52n) | mant;
    const rem = m & ((1n << shift) - 1n);
    const half = 1n << (shift - 1n);
    m >>= shift;
    if (rem > half || (rem === half && (m & 1n) === 1n)) m += 1n;
    if (m >> BigInt(prec * 4) >= 2n) {
      m >>= 1n;
      exp++;
    }
    lead = m >> BigInt(prec * 4);
    frac = prec === 0 ? "" : (m & ((1n << BigInt(prec * 4)) - 1n)).toString(16).padStart(prec, "0");
  } else frac = frac.padEnd(prec, "0");
  if (isZero) exp = 0;
  const e = Math.abs(exp);
  let s = `${neg ? "-" : ""}0x${lead}${frac ? `.${frac}` : ""}p${exp < 0 ? "-" : "+"}${e < 10 ? `0${e}` : e}`;
  if (upper) s = s.toUpperCase();
  return s;
}

/** strconv's %b for floats: decimal mantissa and binary exponent, -123456p-78. */
function fmtB(x: number): string {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  const bits = dv.getBigUint64(0);
  let exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & 0xfffffffffffffn;
  if (exp === 0) exp++;
  else mant |= 1n << 52n;
  exp -= 1075;
  return `${bits >> 63n === 1n ? "-" : ""}${mant}p${exp >= 0 ? "+" : "-"}${Math.abs(exp)}`;
}

/** strconv.FormatFloat(x, fmt, prec, 64) for fmt in e E f g G x X; prec -1 = shortest. */
export function formatFloat(x: number, fmt: string, prec: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "+Inf" : "-Inf";
  if (fmt === "x" || fmt === "X") return fmtX(x, prec, fmt === "X");
  if (fmt === "b") return fmtB(x);
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  const shortest = prec < 0;
  switch (fmt) {
    case "e":
    case "E": {
      const digs = digitsOf(a, shortest ? -1 : prec + 1);
      return fmtE(neg, digs, shortest ? Math.max(digs.d.length - 1, 0) : prec, fmt);
    }
    case "f":
    case "F": {
      if (shortest) {
        const digs = digitsOf(a, -1);
        return fmtF(neg, digs, Math.max(digs.d.length - digs.dp, 0));
      }
      return fmtF(neg, digitsFixed(a, prec), prec);
    }
    default: {
      let p = prec;
      if (p === 0) p = 1;
      const digs = digitsOf(a, shortest ? -1 : p);
      if (shortest) p = digs.d.length;
      let eprec = p;
      if (eprec > digs.d.length && digs.d.length >= digs.dp) eprec = digs.d.length;
      if (shortest) eprec = 6;
      const exp = digs.dp - 1;
      if (digs.d.length > 0 && (exp < -4 || exp >= eprec)) {
        if (p > digs.d.length) p = digs.d.length;
        return fmtE(neg, digs, p - 1, fmt === "G" ? "E" : "e");
      }
      if (p > digs.dp) p = digs.d.length;
      return fmtF(neg, digs, Math.max(p - digs.dp, 0));
    }
  }
}

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

// ---- Sprintf ----

interface Flags {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  wid: number;
  widPresent: boolean;
  prec: number;
  precPresent: boolean;
  /** %#v: Go-syntax representation */
  sharpV?: boolean;
}

const runeCount = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

function pad(f: Flags, s: string): string {
  if (!f.widPresent || f.wid === 0) return s;
  const n = f.wid - runeCount(s);
  if (n <= 0) return s;
  if (f.minus) return s + " ".repeat(n);
  return (f.zero ? "0" : " ").repeat(n) + s;
}

function isPrint(cp: number): boolean {
  if (cp < 0x20 || cp === 0x7f) return false;
  if (cp < 0x7f) return true;
  return /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(String.fromCodePoint(cp));
}

function escapeRune(cp: number, quote: string, ascii: boolean): string {
  const ch = String.fromCodePoint(cp);
  if (ch === quote || ch === "\\") return `\\${ch}`;
  if (ascii ? cp < 0x7f && isPrint(cp) : isPrint(cp)) return ch;
  switch (cp) {
    case 7:
      return "\\a";
    case 8:
      return "\\b";
    case 12:
      return "\\f";
    case 10:
      return "\\n";
    case 13:
      return "\\r";
    case 9:
      return "\\t";
    case 11:
      return "\\v";
  }
  if (cp < 0x20 || cp === 0x7f) return `\\x${cp.toString(16).padStart(2, "0")}`;
  if (cp > 0xffff) return `\\U${cp.toString(16).padStart(8, "0")}`;
  return `\\u${cp.toString(16).padStart(4, "0")}`;
}

/** strconv.Quote (ascii: QuoteToASCII). */
export function quote(s: string, ascii = false): string {
  let out = '"';
  for (const ch of s) out += escapeRune(ch.codePointAt(0) as number, '"', ascii);
  return `${out}"`;
}

function fmtQ(f: Flags, s: string): string {
  if (f.sharp && !/[`\u0000-\u0008\u000a-\u001f\u007f\ufeff]/.test(s)) return pad(f, `\`${s}\``);
  return pad(f, quote(s, f.plus));
}

function fmtInteger(f: Flags, v: bigint, verb: string, signed: boolean): string | undefined {
  const neg = signed && v < 0n;
  let u = neg ? -v : v;
  let base = 10;
  switch (verb) {
    case "v":
    case "d":
      break;
    case "b":
      base = 2;
      break;
    case "o":
    case "O":
      base = 8;
      break;
    case "x":
    case "X":
      base = 16;
      break;
    case "c":
      return pad(f, String.fromCodePoint(Number(u > 0x10ffffn ? 0xfffdn : u)));
    case "q":
      return pad(f, `'${escapeRune(Number(u > 0x10ffffn ? 0xfffdn : u), "'", f.plus)}'`);
    case "U": {
      let s = `U+${u.toString(16).toUpperCase().padStart(4, "0")}`;
      if (f.sharp && u <= 0x10ffffn && isPrint(Number(u))) s += ` '${String.fromCodePoint(Number(u))}'`;
      return pad(f, s);
    }
    default:
      return undefined;
  }
  let prec = 0;
  if (f.precPresent) {
    prec = f.prec;
    if (prec === 0 && u === 0n) return pad({ ...f, zero: false }, "");
  } else if (f.zero && f.widPresent) {
    prec = f.wid;
    if (neg || f.plus || f.space) prec--;
  }
  let digits = u.toString(base);
  if (verb === "X") digits = digits.toUpperCase();
  u = 0n;
  if (digits.length < prec) digits = "0".repeat(prec - digits.length) + digits;
  if (f.sharp) {
    if (base === 2) digits = `0b${digits}`;
    else if (base === 8 && !digits.startsWith("0")) digits = `0${digits}`;
    else if (base === 16) digits = (verb === "X" ? "0X" : "0x") + digits;
  }
  if (verb === "O") digits = `0o${digits}`;
  if (neg) digits = `-${digits}`;
  else if (f.plus) digits = `+${digits}`;
  else if (f.space) digits = ` ${digits}`;
  return pad({ ...f, zero: f.zero && f.precPresent ? false : f.zero && !f.widPresent }, digits);
}

function fmtFloatVerb(f: Flags, x: number, verb: string): string | undefined {
  let fmt: string;
  let prec = -1;
  switch (verb) {
    case "v":
    case "g":
    case "G":
      fmt = verb === "G" ? "G" : "g";
      break;
    case "e":
    case "E":
      fmt = verb;
      prec = 6;
      break;
    case "f":
    case "F":
      fmt = "f";
      prec = 6;
      break;
    case "x":
    case "X":
    case "b":
      fmt = verb;
      break;
    default:
      return undefined;
  }
  if (f.precPresent) prec = f.prec;
  let num = formatFloat(x, fmt, prec);
  if (num === "NaN" || num.endsWith("Inf")) {
    if (num === "NaN" && (f.plus || f.space)) num = `${f.plus ? "+" : " "}${num}`;
    else if (num === "+Inf" && !f.plus) num = f.space ? " Inf" : "Inf";
    return pad({ ...f, zero: false }, num);
  }
  let sign = num.startsWith("-") ? "-" : "+";
  if (sign === "-") num = num.slice(1);
  if (f.sharp) {
    // Go's fmtFloat: force a decimal point and keep/restore trailing zeros (counted from the first non-zero digit)
    let digits = fmt === "g" || fmt === "G" || fmt === "x" || fmt === "X" ? (prec === -1 ? 6 : prec) : 0;
    let tail = "";
    let body = num;
    let hasPoint = false;
    let sawNonzero = false;
    for (let i = 0; i < body.length; i++) {
      const c = body[i] as string;
      if (c === ".") hasPoint = true;
      else if (c === "p" || c === "P" || ((c === "e" || c === "E") && fmt !== "x" && fmt !== "X")) {
        tail = body.slice(i);
        body = body.slice(0, i);
        break;
      } else {
        if (c !== "0") sawNonzero = true;
        if (sawNonzero) digits--;
      }
    }
    if (!hasPoint) {
      if (body === "0") digits--;
      body += ".";
    }
    if (digits > 0) body += "0".repeat(digits);
    num = body + tail;
  }
  if (sign === "+" && f.space && !f.plus) sign = " ";
  if (f.plus || sign !== "+") {
    if (f.zero && f.widPresent && f.wid > num.length + 1) {
      return sign + "0".repeat(f.wid - num.length - 1) + num;
    }
    return pad(f, sign + num);
  }
  return pad(f, num);
}

function hexOf(bytes: Uint8Array, f: Flags, upper: boolean): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    if (f.space && i > 0) out += " ";
    if (f.sharp && (f.space || i === 0)) out += upper ? "0X" : "0x";
    const h = (bytes[i] as number).toString(16).padStart(2, "0");
    out += upper ? h.toUpperCase() : h;
  }
  return out;
}

/** %!verb(type=value): the value is printed with %v and the verb's own flags, as fmt's badVerb does. */
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
