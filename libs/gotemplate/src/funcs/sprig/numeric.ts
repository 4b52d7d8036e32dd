/** sprig numeric.go: int64 arithmetic via cast.ToInt64, float ops via shopspring/decimal, seq/until. */
import { toGoString } from "../../print.js";
import { FuncError, type FuncMap, goFunc, typed, type Value } from "../../value.js";
import { int, int64, num, toFloat64, toInt64 } from "../conv.js";
import { parseGoInt } from "../go/strconv.js";
import type { SprigEnv } from "./env.js";

const ANY = "interface {}";
const I = "int";
const DIV0 = "runtime error: integer divide by zero";

// ---- shopspring/decimal, enough for sprig: exact +,-,*; division rounded to 16 places ----

interface Dec {
  c: bigint; // coefficient
  e: number; // value = c × 10^e
}

/** decimal.NewFromFloat: the shortest decimal that round-trips to f. */
function fromFloat(f: number): Dec {
  if (!Number.isFinite(f)) throw new FuncError(`Cannot create a Decimal from ${toGoString(f)}`);
  if (f === 0) return { c: 0n, e: 0 };
  const [m, x] = f.toExponential().split("e") as [string, string];
  const digits = m.replace(".", "").replace("-", "");
  const frac = (m.split(".")[1] ?? "").length;
  const c = BigInt(digits) * (f < 0 ? -1n : 1n);
  return { c, e: Number(x) - frac };
}

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  const e = Math.min(a.e, b.e);
  return [a.c * 10n ** BigInt(a.e - e), b.c * 10n ** BigInt(b.e - e), e];
}

const add = (a: Dec, b: Dec): Dec => {
  const [x, y, e] = align(a, b);
  return { c: x + y, e };
};
const sub = (a: Dec, b: Dec): Dec => {
  const [x, y, e] = align(a, b);
  return { c: x - y, e };
};
const mul = (a: Dec, b: Dec): Dec => ({ c: a.c * b.c, e: a.e + b.e });

/** Decimal.Div: DivRound to 16 decimal places, half away from zero. */
function div(a: Dec, b: Dec): Dec {
  if (b.c === 0n) throw new FuncError("decimal division by 0");
  const P = 16;
  // a/b × 10^P = a.c × 10^(a.e - b.e + P) / b.c
  const shift = a.e - b.e + P;
  let numr = a.c;
  let den = b.c;
  if (shift >= 0) numr *= 10n ** BigInt(shift);
  else den *= 10n ** BigInt(-shift);
  if (den < 0n) {
    numr = -numr;
    den = -den;
  }
  let q = numr / den;
  const r = numr % den;
  if (2n * (r < 0n ? -r : r) >= den) q += numr < 0n ? -1n : 1n;
  return { c: q, e: -P };
}

function toFloat(d: Dec): number {
  return Number(`${d.c}e${d.e}`);
}

function decimalOp(a: Value, rest: Value[], op: (x: Dec, y: Dec) => Dec): number {
  let acc = fromFloat(toFloat64(a));
  for (const x of rest) acc = op(acc, fromFloat(toFloat64(x)));
  return toFloat(acc);
}

// ---- until / seq ----

function untilStep(start: number, stop: number, step: number, max: number): number[] {
  const v: number[] = [];
  if (stop < start) {
    if (step >= 0) return v;
    for (let i = start; i > stop; i += step) {
      v.push(i);
      if (v.length > max) throw new FuncError("untilStep: result too large");
    }
    return v;
  }
  if (step <= 0) return v;
  for (let i = start; i < stop; i += step) {
    v.push(i);
    if (v.length > max) throw new FuncError("untilStep: result too large");
  }
  return v;
}

function seq(params: number[], max: number): string {
  let inc = 1;
  let r: number[];
  switch (params.length) {
    case 1: {
      const end = params[0] as number;
      if (end < 1) inc = -1;
      r = untilStep(1, end + inc, inc, max);
      break;
    }
    case 2: {
      const [start, end] = params as [number, number];
      const step = end < start ? -1 : 1;
      r = untilStep(start, end + step, step, max);
      break;
    }
    case 3: {
      const [start, step, end] = params as [number, number, number];
      if (end < start) {
        inc = -1;
        if (step > 0) return "";
      }
      r = untilStep(start, end + inc, step, max);
      break;
    }
    default:
      return "";
  }
  return r.join(" ");
}

function round(a: Value, p: Value, opt: Value[]): number {
  const roundOn = opt.length > 0 ? (opt[0] as number) : 0.5;
  const val = toFloat64(a);
  const pow = 10 ** num(p);
  const digit = pow * val;
  const frac = digit - Math.trunc(digit);
  return (frac >= roundOn ? Math.ceil(digit) : Math.floor(digit)) / pow;
}

const i64 = (v: Value): bigint => toInt64(v);
const wrap = (b: bigint) => int64(BigInt.asIntN(64, b));

export function numericFuncs(env: SprigEnv): FuncMap {
  const max = env.maxListLength;
  return {
    int64: goFunc([ANY], (v) => int64(toInt64(v))),
    int: goFunc([ANY], (v) => int(toInt64(v))),
    float64: goFunc([ANY], (v) => toFloat64(v)),
    toDecimal: goFunc([ANY], (v) => {
      const r = parseGoInt(toGoString(v), 8);
      return int64(typeof r === "bigint" ? r : 0n);
    }),
    seq: goFunc([], (...ps) => seq(ps.map(num), max), { variadic: I }),
    until: goFunc([I], (c) =>
      typed(
        untilStep(0, num(c), num(c) < 0 ? -1 : 1, max).map((x) => int(x)),
        "[]int",
      ),
    ),
    untilStep: goFunc([I, I, I], (a, b, s) =>
      typed(
        untilStep(num(a), num(b), num(s), max).map((x) => int(x)),
        "[]int",
      ),
    ),
    add1: goFunc([ANY], (v) => wrap(i64(v) + 1n)),
    add: goFunc([], (...xs) => wrap(xs.reduce<bigint>((acc, x) => acc + i64(x), 0n)), { variadic: ANY }),
    sub: goFunc([ANY, ANY], (a, b) => wrap(i64(a) - i64(b))),
    div: goFunc([ANY, ANY], (a, b) => {
      if (i64(b) === 0n) throw new FuncError(DIV0);
      return wrap(i64(a) / i64(b));
    }),
    mod: goFunc([ANY, ANY], (a, b) => {
      if (i64(b) === 0n) throw new FuncError(DIV0);
      return wrap(i64(a) % i64(b));
    }),
    mul: goFunc([ANY], (a, ...xs) => wrap(xs.reduce<bigint>((acc, x) => BigInt.asIntN(64, acc * i64(x)), i64(a))), {
      variadic: ANY,
    }),
    randInt: goFunc([I, I], (lo, hi) => {
      const n = num(hi) - num(lo);
      if (n <= 0) throw new FuncError("invalid argument to Intn");
      return int(Math.floor(env.random() * n) + num(lo));
    }),
    add1f: goFunc([ANY], (v) => decimalOp(v, [1], add)),
    addf: goFunc([], (...xs) => decimalOp(0, xs, add), { variadic: ANY }),
    subf: goFunc([ANY], (a, ...xs) => decimalOp(a, xs, sub), { variadic: ANY }),
    divf: goFunc([ANY], (a, ...xs) => decimalOp(a, xs, div), { variadic: ANY }),
    mulf: goFunc([ANY], (a, ...xs) => decimalOp(a, xs, mul), { variadic: ANY }),
    biggest: goFunc([ANY], (a, ...xs) => int64(bigExtreme(a, xs, 1)), { variadic: ANY }),
    max: goFunc([ANY], (a, ...xs) => int64(bigExtreme(a, xs, 1)), { variadic: ANY }),
    min: goFunc([ANY], (a, ...xs) => int64(bigExtreme(a, xs, -1)), { variadic: ANY }),
    maxf: goFunc([ANY], (a, ...xs) => xs.reduce<number>((m, x) => goMax(m, toFloat64(x)), toFloat64(a)), {
      variadic: ANY,
    }),
    minf: goFunc([ANY], (a, ...xs) => xs.reduce<number>((m, x) => goMin(m, toFloat64(x)), toFloat64(a)), {
      variadic: ANY,
    }),
    ceil: goFunc([ANY], (a) => Math.ceil(toFloat64(a))),
    floor: goFunc([ANY], (a) => Math.floor(toFloat64(a))),
    round: goFunc([ANY, I], (a, p, ...opt) => round(a, p, opt), { variadic: "float64" }),
  };
}

/** sprig max/min over cast.ToInt64 values (sign 1: max, -1: min). */
function bigExtreme(a: Value, xs: Value[], sign: 1 | -1): bigint {
  let m = i64(a);
  for (const x of xs) {
    const v = i64(x);
    if ((sign === 1 && v > m) || (sign === -1 && v < m)) m = v;
  }
  return m;
}

// math.Max/Min: NaN wins; signed zeros ordered.
const goMax = (a: number, b: number): number => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.max(a, b));
const goMin = (a: number, b: number): number => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.min(a, b));
