/** Go time.Duration: ParseDuration and String (nanoseconds as bigint). */

export class DurationError extends Error {}

/** The time package's quote(): like strconv.Quote but non-ASCII bytes become \xNN escapes. */
export function timeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (c >= 0x80 || c < 0x20) {
      for (const b of Buffer.from(ch, "utf8")) out += `\\x${b.toString(16).padStart(2, "0")}`;
    } else {
      if (ch === '"' || ch === "\\") out += "\\";
      out += ch;
    }
  }
  return `${out}"`;
}

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  µs: 1000n,
  μs: 1000n,
  ms: 1000000n,
  s: 1000000000n,
  m: 60000000000n,
  h: 3600000000000n,
};

const MAX = 2n ** 63n - 1n;

/** time.ParseDuration. */
export function parseDuration(s: string): bigint {
  const orig = s;
  const q = timeQuote(orig);
  let neg = false;
  let rest = s;
  if (rest !== "" && (rest[0] === "-" || rest[0] === "+")) {
    neg = rest[0] === "-";
    rest = rest.slice(1);
  }
  if (rest === "0") return 0n;
  if (rest === "") throw new DurationError(`time: invalid duration ${q}`);
  let d = 0n;
  while (rest !== "") {
    const m = /^([0-9]*)(\.([0-9]*))?/.exec(rest) as RegExpExecArray;
    const intPart = m[1] ?? "";
    const fracPart = m[3];
    if (intPart === "" && (fracPart === undefined || fracPart === ""))
      throw new DurationError(`time: invalid duration ${q}`);
    rest = rest.slice(m[0].length);
    const um = /^[^0-9.]*/.exec(rest) as RegExpExecArray;
    const u = um[0];
    if (u === "") throw new DurationError(`time: missing unit in duration ${q}`);
    const unit = UNITS[u];
    if (unit === undefined) throw new DurationError(`time: unknown unit ${timeQuote(u)} in duration ${q}`);
    rest = rest.slice(u.length);
    let v = BigInt(intPart === "" ? "0" : intPart) * unit;
    if (fracPart) {
      const scale = 10n ** BigInt(fracPart.length);
      v += (BigInt(fracPart) * unit) / scale;
    }
    d += v;
    if (d > MAX + (neg ? 1n : 0n)) throw new DurationError(`time: invalid duration ${q}`);
  }
  return neg ? -d : d;
}

function fmtFrac(v: bigint, prec: number): [string, bigint] {
  let s = "";
  let print = false;
  let x = v;
  for (let i = 0; i < prec; i++) {
    const digit = x % 10n;
    print = print || digit !== 0n;
    if (print) s = digit.toString() + s;
    x /= 10n;
  }
  if (print) s = `.${s}`;
  return [s, x];
}

/** time.Duration.String. */
export function durationString(d: bigint): string {
  const neg = d < 0n;
  let u = neg ? -d : d;
  if (u < 1000000000n) {
    if (u === 0n) return "0s";
    let prec: number;
    let unit: string;
    if (u < 1000n) return `${neg ? "-" : ""}${u}ns`;
    if (u < 1000000n) {
      prec = 3;
      unit = "µs";
    } else {
      prec = 6;
      unit = "ms";
    }
    const [frac, whole] = fmtFrac(u, prec);
    return `${neg ? "-" : ""}${whole}${frac}${unit}`;
  }
  const [frac, secs] = fmtFrac(u, 9);
  u = secs;
  let out = `${u % 60n}${frac}s`;
  u /= 60n;
  if (u > 0n) {
    out = `${u % 60n}m${out}`;
    u /= 60n;
    if (u > 0n) out = `${u}h${out}`;
  }
  return (neg ? "-" : "") + out;
}

/** Duration.Round(m) with halves away from zero. */
export function roundDuration(d: bigint, m: bigint): bigint {
  if (m <= 0n) return d;
  let r = d % m;
  if (d < 0n) {
    r = -r;
    if (r + r < m) return d + r;
    return d - m + r;
  }
  if (r + r < m) return d - r;
  return d + m - r;
}
