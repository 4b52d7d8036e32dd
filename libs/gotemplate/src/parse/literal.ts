// Go literal syntax for the parser: strconv.Unquote / UnquoteChar and NumberNode's number parsing
// (strconv.ParseInt/ParseUint with base 0, ParseFloat), with Go's error texts.
import type { NumberNode } from "./node.js";
import { NodeType } from "./node.js";

export class SyntaxError_ extends Error {}

const SYNTAX = "invalid syntax";

/** strconv.UnquoteChar: decodes one (possibly escaped) char of s at i; returns [codePoint, next, isByte]. */
function unquoteChar(s: string, i: number, quoteCh: string): [number, number, boolean] {
  const c = s[i];
  if (c === undefined) throw new SyntaxError_(SYNTAX);
  if (c === quoteCh && (quoteCh === "'" || quoteCh === '"')) throw new SyntaxError_(SYNTAX);
  if (c !== "\\") {
    const cp = s.codePointAt(i) as number;
    return [cp, i + (cp > 0xffff ? 2 : 1), false];
  }
  const e = s[i + 1];
  if (e === undefined) throw new SyntaxError_(SYNTAX);
  i += 2;
  switch (e) {
    case "a":
      return [7, i, false];
    case "b":
      return [8, i, false];
    case "f":
      return [12, i, false];
    case "n":
      return [10, i, false];
    case "r":
      return [13, i, false];
    case "t":
      return [9, i, false];
    case "v":
      return [11, i, false];
    case "x":
    case "u":
    case "U": {
      const n = e === "x" ? 2 : e === "u" ? 4 : 8;
      const hex = s.slice(i, i + n);
      if (hex.length < n || !/^[0-9a-fA-F]+$/.test(hex)) throw new SyntaxError_(SYNTAX);
      const v = Number.parseInt(hex, 16);
      if (e === "x") return [v, i + n, true];
      if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) throw new SyntaxError_(SYNTAX);
      return [v, i + n, false];
    }
    case "0":
    case "1":
    case "2":
    case "3":
    case "4":
    case "5":
    case "6":
    case "7": {
      const oct = s.slice(i - 1, i + 2);
      if (!/^[0-7]{3}$/.test(oct)) throw new SyntaxError_(SYNTAX);
      const v = Number.parseInt(oct, 8);
      if (v > 255) throw new SyntaxError_(SYNTAX);
      return [v, i + 2, true];
    }
    case "\\":
      return [92, i, false];
    case "'":
    case '"':
      if (e !== quoteCh) throw new SyntaxError_(SYNTAX);
      return [e.charCodeAt(0), i, false];
    default:
      throw new SyntaxError_(SYNTAX);
  }
}

/** strconv.Unquote for "..." and `...` literals. Byte escapes (\xff) are decoded as UTF-8 sequences. */
export function unquote(lit: string): string {
  const q = lit[0];
  if (lit.length < 2 || lit[lit.length - 1] !== q) throw new SyntaxError_(SYNTAX);
  const body = lit.slice(1, -1);
  if (q === "`") {
    if (body.includes("`")) throw new SyntaxError_(SYNTAX);
    return body.replaceAll("\r", "");
  }
  if (q !== '"') throw new SyntaxError_(SYNTAX);
  if (!body.includes("\\") && !body.includes("\n")) return body;
  if (body.includes("\n")) throw new SyntaxError_(SYNTAX);
  const bytes: number[] = [];
  let out = "";
  const flush = (): void => {
    if (bytes.length) {
      out += new TextDecoder().decode(new Uint8Array(bytes));
      bytes.length = 0;
    }
  };
  let i = 0;
  while (i < body.length) {
    const [cp, next, isByte] = unquoteChar(body, i, '"');
    if (isByte) bytes.push(cp);
    else {
      flush();
      out += String.fromCodePoint(cp);
    }
    i = next;
  }
  flush();
  return out;
}

/** Decodes a character constant 'x' to its code point; Go's errors otherwise. */
export function unquoteCharConstant(text: string): number {
  const [cp, next] = unquoteChar(text, 1, "'");
  if (text.slice(next) !== "'") throw new SyntaxError_(`malformed character constant: ${text}`);
  return cp;
}

/** strconv.ParseInt/ParseUint(text, 0, 64) syntax: returns the (unbounded) value or undefined. */
function parseGoInteger(text: string): bigint | undefined {
  let s = text;
  let neg = false;
  if (s[0] === "+" || s[0] === "-") {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  let base = 10;
  let prefixed = false;
  if (/^0[xX]/.test(s)) {
    base = 16;
    s = s.slice(2);
    prefixed = true;
  } else if (/^0[bB]/.test(s)) {
    base = 2;
    s = s.slice(2);
    prefixed = true;
  } else if (/^0[oO]/.test(s)) {
    base = 8;
    s = s.slice(2);
    prefixed = true;
  } else if (s.length > 1 && s[0] === "0") {
    base = 8;
    s = s.slice(1);
    prefixed = true;
  }
  if (s.includes("_")) {
    // underscores only with base 0, between digits (a base prefix counts as a digit)
    const full = prefixed ? `0${s}` : s;
    if (/__|_$|^_/.test(full)) return undefined;
    s = s.replaceAll("_", "");
  }
  if (s.length === 0) return undefined;
  const digits = "0123456789abcdef".slice(0, base);
  let v = 0n;
  const b = BigInt(base);
  for (const ch of s.toLowerCase()) {
    const d = digits.indexOf(ch);
    if (d < 0) return undefined;
    v = v * b + BigInt(d);
  }
  return neg ? -v : v;
}

/** strconv.ParseFloat(text, 64): returns the number or undefined on syntax error. */
export function parseGoFloat(text: string): number | undefined {
  let s = text;
  let sign = 1;
  if (s[0] === "+" || s[0] === "-") {
    sign = s[0] === "-" ? -1 : 1;
    s = s.slice(1);
  }
  if (/^0[xX]/.test(s)) {
    const m = /^0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?[0-9_]+)$/.exec(s);
    if (!m) return undefined;
    const intPart = (m[1] ?? "").replaceAll("_", "");
    const frac = (m[2] ?? "").replaceAll("_", "");
    if (intPart === "" && frac === "") return undefined;
    let v = 0;
    for (const ch of intPart) v = v * 16 + Number.parseInt(ch, 16);
    let scale = 1 / 16;
    for (const ch of frac) {
      v += Number.parseInt(ch, 16) * scale;
      scale /= 16;
    }
    const f = v * 2 ** Number((m[3] ?? "0").replaceAll("_", ""));
    return Number.isFinite(f) ? sign * f : undefined;
  }
  if (!/^([0-9_]+\.?[0-9_]*|\.[0-9_]+)([eE][+-]?[0-9_]+)?$/.test(s)) return undefined;
  if (s.includes("_")) {
    if (/__|_$|^_|_\.|\._|_[eE]|[eE]_/.test(s)) return undefined;
    s = s.replaceAll("_", "");
  }
  const v = Number(s);
  return Number.isFinite(v) ? sign * v : undefined; // out of range is an error in ParseFloat
}

const MAX_INT64 = 0x7fffffffffffffffn;
const MIN_INT64 = -0x8000000000000000n;
const MAX_UINT64 = 0xffffffffffffffffn;

/** Go's Tree.newNumber: classifies a number, char or complex literal; throws with Go's message. */
export function newNumber(pos: number, text: string, isChar: boolean, isComplexItem: boolean): NumberNode {
  const n: NumberNode = {
    type: NodeType.Number,
    pos,
    isInt: false,
    isUint: false,
    isFloat: false,
    isComplex: false,
    int64: 0n,
    uint64: 0n,
    float64: 0,
    complex: [0, 0],
    text,
  };
  if (isChar) {
    const r = unquoteCharConstant(text);
    n.int64 = BigInt(r);
    n.uint64 = BigInt(r);
    n.float64 = r;
    n.isInt = n.isUint = n.isFloat = true;
    return n;
  }
  if (isComplexItem) {
    // fmt.Sscan parses the pair; its errors are strconv.ParseFloat's
    const m = /^([+-]?[^+-]+(?:[eEpP][+-]?[0-9_]+)?)([+-].+)i$/.exec(text);
    if (!m) throw new SyntaxError_("expected integer");
    const parts = [m[1] as string, m[2] as string];
    const [re, im] = parts.map((p) => {
      const v = /^[+-]?0[xX]/.test(p) && !/[pP]/.test(p) ? undefined : parseGoFloat(p);
      if (v === undefined) throw new SyntaxError_(`strconv.ParseFloat: parsing ${JSON.stringify(p)}: invalid syntax`);
      return v;
    }) as [number, number];
    n.isComplex = true;
    n.complex = [re, im];
    simplifyComplex(n);
    return n;
  }
  if (text.endsWith("i")) {
    const f = parseGoFloat(text.slice(0, -1));
    if (f !== undefined) {
      n.isComplex = true;
      n.complex = [0, f];
      simplifyComplex(n);
      return n;
    }
  }
  const iv = parseGoInteger(text);
  if (iv !== undefined && iv >= 0n && iv <= MAX_UINT64 && !text.startsWith("-")) {
    n.isUint = true;
    n.uint64 = iv;
  }
  if (iv !== undefined && iv >= MIN_INT64 && iv <= MAX_INT64) {
    n.isInt = true;
    n.int64 = iv;
    if (iv === 0n) {
      n.isUint = true;
      n.uint64 = 0n;
    }
  }
  if (n.isInt) {
    n.isFloat = true;
    n.float64 = Number(n.int64);
  } else if (n.isUint) {
    n.isFloat = true;
    n.float64 = Number(n.uint64);
  } else {
    const f = parseGoFloat(text);
    if (f !== undefined) {
      if (!/[.eEpP]/.test(text)) throw new SyntaxError_(`integer overflow: ${JSON.stringify(text)}`);
      n.isFloat = true;
      n.float64 = f;
      if (Number.isInteger(f) && f >= -(2 ** 63) && f < 2 ** 63) {
        n.isInt = true;
        n.int64 = BigInt(f);
      }
      if (Number.isInteger(f) && f >= 0 && f < 2 ** 64) {
        n.isUint = true;
        n.uint64 = BigInt(f);
      }
    }
  }
  if (!n.isInt && !n.isUint && !n.isFloat) throw new SyntaxError_(`illegal number syntax: ${JSON.stringify(text)}`);
  return n;
}

function simplifyComplex(n: NumberNode): void {
  const [re, im] = n.complex;
  if (im === 0) {
    n.isFloat = true;
    n.float64 = re;
    if (Number.isInteger(re) && re >= -(2 ** 63) && re < 2 ** 63) {
      n.isInt = true;
      n.int64 = BigInt(re);
    }
    if (Number.isInteger(re) && re >= 0 && re < 2 ** 64) {
      n.isUint = true;
      n.uint64 = BigInt(re);
    }
  }
}
