import { formatFloat as printFormatFloat } from "../../print.js";

/**
 * Go strconv number formatting for float64 (shortest round-trip digits, like Go's -1 precision), the forms
 * encoding/json, yaml.v2 and sprig print numbers in.
 */

/** strconv.FormatFloat(f, fmt, -1, 64): shortest round-trip digits. */
export function formatFloat(f: number, fmt: "e" | "f" | "g"): string {
  return printFormatFloat(f, fmt, -1);
}

/** strconv.FormatFloat(f, 'g', -1, 32): the float32 rounding used by sigs.k8s.io/yaml for float map keys. */
export function formatFloat32G(f: number): string {
  if (!Number.isFinite(f)) return formatFloat(f, "g");
  const f32 = Math.fround(f);
  // Shortest digits that round-trip through float32.
  for (let p = 1; p <= 9; p++) {
    const s = f32.toPrecision(p);
    if (Math.fround(Number(s)) === f32) return formatFloat(Number(s), "g");
  }
  return formatFloat(f32, "g");
}

/** encoding/json's float64 text: 'f' unless |f| < 1e-6 or >= 1e21, then 'e' with a 1-digit minimum exponent. */
export function jsonFloat(f: number): string {
  const abs = Math.abs(f);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    return formatFloat(f, "e").replace(/e([-+])0(\d)$/, "e$1$2");
  }
  return formatFloat(f, "f");
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

export const inInt64 = (b: bigint): boolean => b >= INT64_MIN && b <= INT64_MAX;
export const inUint64 = (b: bigint): boolean => b >= 0n && b <= UINT64_MAX;

/**
 * strconv.ParseInt(s, base, 64) with base 0 (prefixes 0x/0o/0b/0, underscores allowed only with a prefix).
 * Returns undefined on a syntax error, "range" when out of int64 range.
 */
export function parseGoInt(s: string, base = 0, bits = 64): bigint | undefined | "range" {
  let i = 0;
  let neg = false;
  if (s[0] === "+" || s[0] === "-") {
    neg = s[0] === "-";
    i = 1;
  }
  const u = parseGoUint(s.slice(i), base, 64);
  if (u === undefined) return undefined;
  if (u === "range") return "range";
  const v = neg ? -u : u;
  const lim = 2n ** BigInt(bits - 1);
  if (v < -lim || v > lim - 1n) return "range";
  return v;
}

/** Go's underscoreOK: underscores only between digits (or after a base prefix). */
function underscoreOK(str: string): boolean {
  let s = str;
  let saw = "^";
  let i = 0;
  if (s[0] === "-" || s[0] === "+") s = s.slice(1);
  let hex = false;
  const p = s[1]?.toLowerCase();
  if (s.length >= 2 && s[0] === "0" && (p === "b" || p === "o" || p === "x")) {
    i = 2;
    saw = "0";
    hex = p === "x";
  }
  for (; i < s.length; i++) {
    const c = (s[i] as string).toLowerCase();
    if ((c >= "0" && c <= "9") || (hex && c >= "a" && c <= "f")) {
      saw = "0";
      continue;
    }
    if (c === "_") {
      if (saw !== "0") return false;
      saw = "_";
      continue;
    }
    if (saw === "_") return false;
    saw = "!";
  }
  return saw !== "_";
}

/** strconv.ParseUint(s, base, 64): base 0 takes 0x/0o/0b/0 prefixes and digit-separating underscores. */
export function parseGoUint(s: string, base = 0, bits = 64): bigint | undefined | "range" {
  if (s === "") return undefined;
  let b = base;
  let body = s;
  const base0 = base === 0;
  if (base0) {
    b = 10;
    if (s[0] === "0") {
      const p = s[1]?.toLowerCase();
      if (s.length >= 3 && p === "b") {
        b = 2;
        body = s.slice(2);
      } else if (s.length >= 3 && p === "o") {
        b = 8;
        body = s.slice(2);
      } else if (s.length >= 3 && p === "x") {
        b = 16;
        body = s.slice(2);
      } else {
        b = 8;
        body = s.slice(1);
      }
    }
  }
  let v = 0n;
  const bb = BigInt(b);
  let underscores = false;
  for (const ch of body) {
    if (ch === "_" && base0) {
      underscores = true;
      continue;
    }
    const d = Number.parseInt(ch, 36);
    if (Number.isNaN(d) || d >= b) return undefined;
    v = v * bb + BigInt(d);
  }
  if (underscores && !underscoreOK(s)) return undefined;
  if (v > 2n ** BigInt(bits) - 1n) return "range";
  return v;
}

/** strconv.ParseFloat(s, 64): Go syntax (decimal, hex floats, inf/nan, underscores with prefix). */
export function parseGoFloat(s: string): number | undefined {
  const t = s.toLowerCase();
  const m = /^([+-]?)(inf|infinity|nan)$/.exec(t);
  if (m) return m[2] === "nan" ? Number.NaN : m[1] === "-" ? -Infinity : Infinity;
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) return Number(t);
  if (/^[+-]?0x/.test(t)) {
    const hm = /^([+-]?)0x([0-9a-f]*)\.?([0-9a-f]*)p([+-]?\d+)$/.exec(t);
    if (!hm || (hm[2] === "" && hm[3] === "")) return undefined;
    const mant = Number.parseInt((hm[2] || "0") + (hm[3] ?? ""), 16) / 16 ** (hm[3]?.length ?? 0);
    const v = mant * 2 ** Number(hm[4]);
    return hm[1] === "-" ? -v : v;
  }
  return undefined;
}
