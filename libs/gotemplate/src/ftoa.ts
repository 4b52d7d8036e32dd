// Go's strconv float formatting (strconv/ftoa.go): FormatFloat for the e, f, g, x and b formats with Go's
// exponent rules (1e+06, 1e-07): shortest digits from JS (same algorithm class), fixed precisions from the
// exact decimal expansion rounded half to even as strconv does.
interface Digits {
  d: string; // significant digits, no trailing zeros ("" for zero)
  dp: number; // decimal point position
}

/** The exact decimal expansion of a finite positive double (binary fractions terminate). */
function exactDigits(x: number): Digits {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  const bits = dv.getBigUint64(0);
  let exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & 0xfffffffffffffn;
  if (exp === 0) exp = 1;
  else mant |= 1n << 52n;
  exp -= 1075;
  let d: string;
  let dp: number;
  if (exp >= 0) {
    d = (mant << BigInt(exp)).toString();
    dp = d.length;
  } else {
    d = (mant * 5n ** BigInt(-exp)).toString();
    dp = d.length + exp;
  }
  const lead = /^0*/.exec(d)?.[0].length ?? 0;
  d = d.slice(lead).replace(/0+$/, "");
  return { d, dp: dp - lead };
}

/** Rounds exact digits to `n` significant digits, half to even (strconv's decimal.Round). */
function roundDigits(digs: Digits, n: number): Digits {
  const { d, dp } = digs;
  if (n >= d.length) return digs;
  if (n < 0) return { d: "", dp: 0 };
  const next = d.charCodeAt(n) - 48;
  const up = next > 5 || (next === 5 && (n + 1 < d.length || (n > 0 && (d.charCodeAt(n - 1) - 48) % 2 === 1)));
  let kept = d.slice(0, n);
  let newDp = dp;
  if (up) {
    let i = kept.length - 1;
    while (i >= 0 && kept[i] === "9") i--;
    if (i < 0) {
      kept = "1";
      newDp++;
    } else kept = kept.slice(0, i) + String.fromCharCode(kept.charCodeAt(i) + 1);
  }
  kept = kept.replace(/0+$/, "");
  return kept === "" ? { d: "", dp: 0 } : { d: kept, dp: newDp };
}

function digitsOf(x: number, sig: number): Digits {
  // sig < 0: shortest round-trip digits (JS and Go agree); else exactly rounded to `sig` significant digits.
  if (x === 0) return { d: "", dp: 0 };
  if (sig >= 0) return roundDigits(exactDigits(x), sig);
  const s = x.toExponential();
  const e = s.indexOf("e");
  const d = s.slice(0, e).replace(".", "").replace(/0+$/, "");
  return { d, dp: Number(s.slice(e + 1)) + 1 };
}

function digitsFixed(x: number, frac: number): Digits {
  // rounded to `frac` digits after the decimal point
  if (x === 0) return { d: "", dp: 0 };
  const exact = exactDigits(x);
  return roundDigits(exact, exact.dp + frac);
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
