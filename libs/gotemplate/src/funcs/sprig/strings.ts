/** sprig strings.go and the string entries of functions.go. */
import { quote as goQuote, toGoString } from "../../print.js";
import { FuncError, type FuncMap, goFunc, typed, type Value } from "../../value.js";
import { int, num, strval } from "../conv.js";
import { parseGoInt } from "../go/strconv.js";
import {
  abbreviateFull,
  byteSlice,
  deleteWhiteSpace,
  goLower,
  goSplit,
  goTitle,
  goUpper,
  initials,
  replaceAll,
  swapCase,
  trimCutset,
  trimSpace,
  uncapitalize,
  wrapCustom,
} from "../go/text.js";
import { shuffle, toCamelCase, toKebabCase, toSnakeCase } from "../go/xstrings.js";
import type { RandKind, SprigEnv } from "./env.js";

const S = "string";
const I = "int";
const ANY = "interface {}";

const str = (v: Value): string => v as string;

function splitMap(parts: string[]): Value {
  const m: Record<string, Value> = Object.create(null);
  parts.forEach((p, i) => {
    m[`_${i}`] = p;
  });
  return typed(m, "map[string]string");
}

/** sprig strslice: []string as is, other slices element-wise (nils dropped), nil → [], scalars → [strval]. */
export function strslice(v: Value): string[] {
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== undefined).map(strval);
  if (v instanceof Uint8Array) return Array.from(v, (b) => String(b));
  if (v === null || v === undefined) return [];
  return [strval(v)];
}

export function stringFuncs(env: SprigEnv): FuncMap {
  const rand = (count: number, kind: RandKind): string => {
    if (count > env.maxStringBytes) throw new FuncError(`rand: count ${count} exceeds the ${env.maxStringBytes} limit`);
    return env.randString(count, kind);
  };
  return {
    abbrev: goFunc([I, S], (w, s) => (num(w) < 4 ? str(s) : abbreviateFull(str(s), 0, num(w)))),
    abbrevboth: goFunc([I, I, S], (l, r, s) => {
      const left = num(l);
      const right = num(r);
      if (right < 4 || (left > 0 && right < 7)) return str(s);
      return abbreviateFull(str(s), left, right);
    }),
    trunc: goFunc([I, S], (cv, sv) => {
      const c = num(cv);
      const s = str(sv);
      const len = Buffer.byteLength(s);
      if (c < 0 && len + c > 0) return byteSlice(s, len + c);
      if (c >= 0 && len > c) return byteSlice(s, 0, c);
      return s;
    }),
    trim: goFunc([S], (s) => trimSpace(str(s))),
    upper: goFunc([S], (s) => goUpper(str(s))),
    lower: goFunc([S], (s) => goLower(str(s))),
    title: goFunc([S], (s) => goTitle(str(s))),
    untitle: goFunc([S], (s) => uncapitalize(str(s))),
    substr: goFunc([I, I, S], (a, b, sv) => {
      const s = str(sv);
      const start = num(a);
      const end = num(b);
      const len = Buffer.byteLength(s);
      if (start < 0) {
        if (end < 0 || end > len)
          throw new FuncError(`runtime error: slice bounds out of range [:${end}] with length ${len}`);
        return byteSlice(s, 0, end);
      }
      if (end < 0 || end > len) {
        if (start > len) throw new FuncError(`runtime error: slice bounds out of range [${start}:${len}]`);
        return byteSlice(s, start);
      }
      if (start > end) throw new FuncError(`runtime error: slice bounds out of range [${start}:${end}]`);
      return byteSlice(s, start, end);
    }),
    repeat: goFunc([I, S], (c, s) => {
      const n = num(c);
      if (n < 0) throw new FuncError("strings: negative Repeat count");
      if (n * str(s).length > env.maxStringBytes) throw new FuncError("strings: Repeat output length overflow");
      return str(s).repeat(n);
    }),
    trimall: goFunc([S, S], (a, b) => trimCutset(str(b), str(a))),
    trimAll: goFunc([S, S], (a, b) => trimCutset(str(b), str(a))),
    trimSuffix: goFunc([S, S], (a, b) =>
      str(b).endsWith(str(a)) ? str(b).slice(0, str(b).length - str(a).length) : str(b),
    ),
    trimPrefix: goFunc([S, S], (a, b) => (str(b).startsWith(str(a)) ? str(b).slice(str(a).length) : str(b))),
    nospace: goFunc([S], (s) => deleteWhiteSpace(str(s))),
    initials: goFunc([S], (s) => initials(str(s))),
    randAlphaNum: goFunc([I], (c) => rand(num(c), "alnum")),
    randAlpha: goFunc([I], (c) => rand(num(c), "alpha")),
    randAscii: goFunc([I], (c) => rand(num(c), "ascii")),
    randNumeric: goFunc([I], (c) => rand(num(c), "numeric")),
    swapcase: goFunc([S], (s) => swapCase(str(s))),
    shuffle: goFunc([S], (s) => shuffle(str(s), env.random)),
    snakecase: goFunc([S], (s) => toSnakeCase(str(s))),
    camelcase: goFunc([S], (s) => toCamelCase(str(s))),
    kebabcase: goFunc([S], (s) => toKebabCase(str(s))),
    wrap: goFunc([I, S], (l, s) => wrapCustom(str(s), num(l), "", false)),
    wrapWith: goFunc([I, S, S], (l, sep, s) => wrapCustom(str(s), num(l), str(sep), true)),
    contains: goFunc([S, S], (sub, s) => str(s).includes(str(sub))),
    hasPrefix: goFunc([S, S], (sub, s) => str(s).startsWith(str(sub))),
    hasSuffix: goFunc([S, S], (sub, s) => str(s).endsWith(str(sub))),
    quote: goFunc(
      [],
      (...xs) =>
        xs
          .filter((x) => x !== null && x !== undefined)
          .map((x) => goQuote(strval(x)))
          .join(" "),
      { variadic: ANY },
    ),
    squote: goFunc(
      [],
      (...xs) =>
        xs
          .filter((x) => x !== null && x !== undefined)
          .map((x) => `'${toGoString(x)}'`)
          .join(" "),
      { variadic: ANY },
    ),
    cat: goFunc(
      [],
      (...xs) =>
        xs
          .filter((x) => x !== null && x !== undefined)
          .map((x) => toGoString(x))
          .join(" "),
      { variadic: ANY },
    ),
    indent: goFunc([I, S], (n, s) => indent(num(n), str(s))),
    nindent: goFunc([I, S], (n, s) => `\n${indent(num(n), str(s))}`),
    replace: goFunc([S, S, S], (o, n, s) => replaceAll(str(s), str(o), str(n))),
    plural: goFunc([S, S, I], (one, many, c) => (num(c) === 1 ? str(one) : str(many))),
    toString: goFunc([ANY], (v) => strval(v)),
    atoi: goFunc([S], (s) => {
      const r = parseGoInt(str(s), 10);
      return int(typeof r === "bigint" ? r : 0n);
    }),
    split: goFunc([S, S], (sep, s) => splitMap(goSplit(str(s), str(sep)))),
    splitList: goFunc([S, S], (sep, s) => typed(goSplit(str(s), str(sep)), "[]string")),
    splitn: goFunc([S, I, S], (sep, n, s) => splitMap(goSplit(str(s), str(sep), num(n)))),
    toStrings: goFunc([ANY], (v) => typed(strslice(v), "[]string")),
    join: goFunc([S, ANY], (sep, v) => strslice(v).join(str(sep))),
  };
}

function indent(n: number, s: string): string {
  if (n < 0) throw new FuncError("strings: negative Repeat count");
  const pad = " ".repeat(n);
  return pad + s.replaceAll("\n", `\n${pad}`);
}
