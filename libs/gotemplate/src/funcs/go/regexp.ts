/**
 * Go regexp (RE2 syntax) on re2js: Compile with Go 1.19's syntax errors, FindAll/ReplaceAll/Split with Go's
 * empty-match rules, and Go's `$name` replacement expansion.
 */
import { RE2JS, RE2JSException } from "re2js";

export class GoRegexpError extends Error {}

const cache = new Map<string, RE2JS>();

/** Go 1.19 rejects (?<name>...) and look-behind, which re2js accepts. */
function unsupportedPerl(expr: string): boolean {
  let inClass = false;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") inClass = true;
    else if (c === "(" && expr.startsWith("(?<", i)) return true;
  }
  return false;
}

/** regexp.Compile; throws GoRegexpError("error parsing regexp: ..."). */
export function compile(expr: string): RE2JS {
  const hit = cache.get(expr);
  if (hit) return hit;
  if (unsupportedPerl(expr)) throw new GoRegexpError("error parsing regexp: invalid or unsupported Perl syntax: `(?<`");
  let re: RE2JS;
  try {
    re = RE2JS.compile(expr);
  } catch (e) {
    if (e instanceof RE2JSException) throw new GoRegexpError(e.message);
    throw e;
  }
  if (cache.size > 500) cache.clear();
  cache.set(expr, re);
  return re;
}

/** Go's strconv.CanBackquote-or-Quote of a pattern, as regexp.MustCompile's panic shows it. */
function quotePattern(s: string): string {
  if (!/[`\x00-\x08\x0a-\x1f\x7f\ufeff]/.test(s)) return `\`${s}\``;
  return JSON.stringify(s);
}

/** regexp.MustCompile: the panic text on a bad pattern. */
export function mustCompile(expr: string): RE2JS {
  try {
    return compile(expr);
  } catch (e) {
    if (e instanceof GoRegexpError) throw new GoRegexpError(`regexp: Compile(${quotePattern(expr)}): ${e.message}`);
    throw e;
  }
}

type Loc = number[]; // [start0, end0, start1, end1, ...] in UTF-16 units, -1 for unmatched groups

function execAt(re: RE2JS, s: string, pos: number): Loc | undefined {
  const m = re.matcher(s);
  if (!m.find(pos)) return undefined;
  const loc: Loc = [];
  for (let g = 0; g <= m.groupCount(); g++) loc.push(m.start(g), m.end(g));
  return loc;
}

const width = (s: string, i: number): number => {
  const c = s.codePointAt(i);
  return c === undefined ? 1 : c > 0xffff ? 2 : 1;
};

/** Regexp.FindAllStringSubmatchIndex(s, n) (n < 0: all). */
export function findAll(re: RE2JS, s: string, n: number): Loc[] {
  const out: Loc[] = [];
  if (n === 0) return out;
  let pos = 0;
  let prevEnd = -1;
  while (pos <= s.length && (n < 0 || out.length < n)) {
    const a = execAt(re, s, pos);
    if (!a) break;
    let accept = true;
    const [a0, a1] = a as [number, number];
    if (a1 === pos) {
      // Empty match at pos: skipped right after a previous match; always move forward one rune.
      if (a0 === prevEnd) accept = false;
      pos = pos < s.length ? pos + width(s, pos) : s.length + 1;
    } else pos = a1;
    prevEnd = a1;
    if (accept) out.push(a);
  }
  return out;
}

function extract(t: string): { name: string; num: number; rest: string } | undefined {
  let str = t;
  let brace = false;
  if (str[0] === "{") {
    brace = true;
    str = str.slice(1);
  }
  const m = /^[\p{L}\p{Nd}_]+/u.exec(str);
  if (!m) return undefined;
  const name = m[0];
  let i = name.length;
  if (brace) {
    if (str[i] !== "}") return undefined;
    i++;
  }
  let num = /^[0-9]+$/.test(name) && name.length <= 8 ? Number(name) : -1;
  if (name[0] === "0" && name.length > 1) num = -1;
  return { name, num, rest: str.slice(i) };
}

/** Regexp.Expand with Go's template rules ($1, ${1}, $name, $$; $1x names group "1x"). */
function expand(re: RE2JS, template: string, s: string, loc: Loc): string {
  let out = "";
  let t = template;
  const names = re.namedGroups();
  for (;;) {
    const d = t.indexOf("$");
    if (d < 0) break;
    out += t.slice(0, d);
    t = t.slice(d + 1);
    if (t[0] === "$") {
      out += "$";
      t = t.slice(1);
      continue;
    }
    const x = extract(t);
    if (!x) {
      out += "$";
      continue;
    }
    t = x.rest;
    const idx = x.num >= 0 ? x.num : (names[x.name] ?? -1);
    if (idx >= 0 && 2 * idx + 1 < loc.length && (loc[2 * idx] as number) >= 0) {
      out += s.slice(loc[2 * idx], loc[2 * idx + 1]);
    }
  }
  return out + t;
}

/** Regexp.ReplaceAllString (literal: ReplaceAllLiteralString). */
export function replaceAll(re: RE2JS, s: string, repl: string, literal: boolean): string {
  let out = "";
  let lastEnd = 0;
  let pos = 0;
  while (pos <= s.length) {
    const a = execAt(re, s, pos);
    if (!a) break;
    const [a0, a1] = a as [number, number];
    out += s.slice(lastEnd, a0);
    if (a1 > lastEnd || a0 === 0) out += literal ? repl : expand(re, repl, s, a);
    lastEnd = a1;
    const w = width(s, pos);
    if (pos + w > a1) pos += w;
    else if (pos + 1 > a1) pos++;
    else pos = a1;
  }
  return out + s.slice(lastEnd);
}

/** Regexp.Split(s, n). */
export function split(re: RE2JS, expr: string, s: string, n: number): string[] {
  if (n === 0) return [];
  if (expr.length > 0 && s.length === 0) return [""];
  const matches = findAll(re, s, n);
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of matches) {
    if (n > 0 && out.length === n - 1) break;
    end = m[0] as number;
    if (m[1] !== 0) out.push(s.slice(beg, end));
    beg = m[1] as number;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

/** regexp.QuoteMeta. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}
