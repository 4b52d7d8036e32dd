// Go's fmt verb formatting (fmt/format.go): flags, padding, integers, floats, quoting.
import { formatFloat } from "./ftoa.js";

export interface Flags {
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

export function pad(f: Flags, s: string): string {
  if (!f.widPresent || f.wid === 0) return s;
  const n = f.wid - runeCount(s);
  if (n <= 0) return s;
  if (f.minus) return s + " ".repeat(n);
  return (f.zero ? "0" : " ").repeat(n) + s;
}

export function isPrint(cp: number): boolean {
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

export function fmtQ(f: Flags, s: string): string {
  if (f.precPresent) s = Array.from(s).slice(0, f.prec).join(""); // precision truncates runes first
  if (f.sharp && !/[`\u0000-\u0008\u000a-\u001f\u007f\ufeff]/.test(s)) return pad(f, `\`${s}\``);
  return pad(f, quote(s, f.plus));
}

/** The rune %c/%q print for an integer: invalid code points (negative, too big, surrogates) become U+FFFD. */
function runeOf(v: bigint): number {
  const u64 = BigInt.asUintN(64, v);
  if (u64 > 0x10ffffn || (u64 >= 0xd800n && u64 <= 0xdfffn)) return 0xfffd;
  return Number(u64);
}

export function fmtInteger(f: Flags, v: bigint, verb: string, signed: boolean): string | undefined {
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
      return pad(f, String.fromCodePoint(runeOf(v)));
    case "q":
      return pad(f, `'${escapeRune(runeOf(v), "'", f.plus)}'`);
    case "U": {
      // Go formats the value as uint64: negative numbers show their two's complement
      const u64 = BigInt.asUintN(64, v);
      let s = `U+${u64.toString(16).toUpperCase().padStart(4, "0")}`;
      if (f.sharp && u64 <= 0x10ffffn && isPrint(Number(u64))) s += ` '${String.fromCodePoint(Number(u64))}'`;
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

export function fmtFloatVerb(f: Flags, x: number, verb: string): string | undefined {
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

export function hexOf(bytes: Uint8Array, f: Flags, upper: boolean): string {
  if (f.precPresent && f.prec < bytes.length) bytes = bytes.subarray(0, f.prec); // precision counts bytes
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
