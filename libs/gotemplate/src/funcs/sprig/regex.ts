/** sprig regex.go: Go RE2 semantics; non-must variants panic like regexp.MustCompile (regexMatch: false). */
import { FuncError, type FuncMap, goFunc, typed, type Value } from "../../value.js";
import { nilSlice, num } from "../conv.js";
import { compile, findAll, GoRegexpError, mustCompile, quoteMeta, replaceAll, split } from "../go/regexp.js";

const S = "string";
const I = "int";

function withRe<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof GoRegexpError) throw new FuncError(e.message);
    throw e;
  }
}

// FindAllString and Split return nil (JSON null) rather than an empty slice when nothing is found.
const strs = (xs: string[]): Value => (xs.length === 0 ? nilSlice("[]string") : typed(xs, "[]string"));

export function regexFuncs(): FuncMap {
  const variants = (
    name: string,
    params: string[],
    body: (get: (expr: string) => ReturnType<typeof compile>, ...args: Value[]) => Value,
  ): FuncMap => ({
    [name]: goFunc(params, (...a) => withRe(() => body(mustCompile, ...a))),
    [`must${name[0]?.toUpperCase()}${name.slice(1)}`]: goFunc(params, (...a) => withRe(() => body(compile, ...a))),
  });
  return {
    regexMatch: goFunc([S, S], (r, s) => {
      try {
        return compile(r as string).test(s as string);
      } catch (e) {
        if (e instanceof GoRegexpError) return false;
        throw e;
      }
    }),
    mustRegexMatch: goFunc([S, S], (r, s) => withRe(() => compile(r as string).test(s as string))),
    ...variants("regexFindAll", [S, S, I], (get, r, s, n) => {
      const str = s as string;
      return strs(findAll(get(r as string), str, num(n)).map((m) => str.slice(m[0], m[1])));
    }),
    ...variants("regexFind", [S, S], (get, r, s) => {
      const str = s as string;
      const m = findAll(get(r as string), str, 1)[0];
      return m ? str.slice(m[0], m[1]) : "";
    }),
    ...variants("regexReplaceAll", [S, S, S], (get, r, s, repl) =>
      replaceAll(get(r as string), s as string, repl as string, false),
    ),
    ...variants("regexReplaceAllLiteral", [S, S, S], (get, r, s, repl) =>
      replaceAll(get(r as string), s as string, repl as string, true),
    ),
    ...variants("regexSplit", [S, S, I], (get, r, s, n) =>
      strs(split(get(r as string), r as string, s as string, num(n))),
    ),
    regexQuoteMeta: goFunc([S], (s) => quoteMeta(s as string)),
  };
}
