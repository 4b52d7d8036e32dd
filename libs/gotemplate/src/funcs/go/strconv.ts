/**
 * Go strconv number formatting for float64 (shortest round-trip digits, like Go's -1 precision), the forms
 * encoding/json, yaml.v2 and sprig print numbers in.
 */

interface Digits {
  neg: boolean;
  /** significant digits without leading/trailing zeros ("" for 0). */
  d: string;
  /** decimal point position: value = 0.d × 10^dp. */
  dp: number;
}

function shortest(f: number): Digits {
  const neg = f < 0 || Object.is(f, -0);
  if (f === 0) return { neg, d: "", dp: 0 };
  const [mant, exp] = Math.abs(f).toExponential().split("e") as [string, string];
  const d = mant.replace(".", "").replace(/0+$/, "");
  return { neg, d, dp: Number(exp) + 1 };
}

function special(f: number): string | undefined {
  if (Number.isNaN(f)) return "NaN";
  if (f === Number.POSITIVE_INFINITY) return "+Inf";
  if (f === Number.NEGATIVE_INFINITY) return "-Inf";
  return undefined;
}

function fmtE(x: Digits): string {
  const d = x.d === "" ? "0" : x.d;
  const exp = x.d === "" ? 0 : x.dp - 1;
  const mant = d.length > 1 ? `${d[0]}.${d.slice(1)}` : d;
  const es = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
  return `${x.neg ? "-" : ""}${mant}e${exp < 0 ? "-" : "+"}${es}`;
}

function fmtF(x: Digits): string {
  let s: string;
  if (x.d === "") s = "0";
  else if (x.dp <= 0) s = `0.${"0".repeat(-x.dp)}${x.d}`;
  else if (x.dp >= x.d.length) s = x.d + "0".repeat(x.dp - x.d.length);
  else s = `${x.d.slice(0, x.dp)}.${x.d.slice(x.dp)}`;
  return (x.neg ? "-" : "") + s;
}

/** strconv.FormatFloat(f, fmt, -1, 64) for fmt 'e', 'f' or 'g'. */
export function formatFloat(f: number, fmt: "e" | "f" | "g"): string {
  const sp = special(f);
  if (sp !== undefined) return sp;
  const x = shortest(f);
  if (fmt === "e") return fmtE(x);
  if (fmt === "f") return fmtF(x);
  const exp = x.d === "" ? 0 : x.dp - 1;
  // %g with shortest digits switches to %e when exp < -4 || exp >= 6 (Go uses eprec 6 for shortest).
  return exp < -4 || exp >= 6 ? fmtE(x) : fmtF(x);
}

/** strconv.FormatFloat(f, 'g', -1, 32): the float32 rounding used by sigs.k8s.io/yaml for float map keys. */
export function formatFloat32G(f: number): string {
  const sp = special(f);
  if (sp !== undefined) return sp;
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

/** strconv.ParseUint(s, base, 64). */
export function parseGoUint(s: string, base = 0, bits = 64): bigint | undefined | "range" {
  if (s === "") return undefined;
  let b = base;
  let body = s;
  let underscores = false;
  if (base === 0) {
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
      underscores = true;
      if (body === "" && b === 8) return 0n;
    }
  }
  let v = 0n;
  const bb = BigInt(b);
  let sawDigit = false;
  let last = "";
  for (const ch of body) {
    if (ch === "_" && underscores) {
      if (last === "_") return undefined;
      last = ch;
      continue;
    }
    const d = Number.parseInt(ch, 36);
    if (Number.isNaN(d) || d >= b) return undefined;
    v = v * bb + BigInt(d);
    sawDigit = true;
    last = ch;
  }
  if (!sawDigit || last === "_") return undefined;
  if (body.startsWith("_") && b !== 8) return undefined;
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
