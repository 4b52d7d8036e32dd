/** sprig url.go (urlParse, urlJoin), paths (path and path/filepath), os (env, expandenv), network. */
import { FuncError, type FuncMap, type GoMap, goFunc, kindOf, newMap } from "../../value.js";
import { base, clean, dir, ext, isAbs } from "../go/path.js";
import { formatUrl, type GoUrl, GoUrlError, hostname, parseUrl, parseUserinfo, userinfoString } from "../go/url.js";
import type { SprigEnv } from "./env.js";

const S = "string";
const M = "map[string]interface {}";

function urlParse(v: string): GoMap {
  let u: GoUrl;
  try {
    u = parseUrl(v);
  } catch (e) {
    if (e instanceof GoUrlError) throw new FuncError(`unable to parse url: ${e.message}`);
    throw e;
  }
  const m = newMap();
  m.scheme = u.scheme;
  m.host = u.host;
  m.hostname = hostname(u);
  m.path = u.path;
  m.query = u.rawQuery;
  m.opaque = u.opaque;
  m.fragment = u.fragment;
  m.userinfo = userinfoString(u.user);
  return m;
}

function getOrEmpty(d: GoMap, key: string): string {
  if (!Object.hasOwn(d, key)) return "";
  const v = d[key];
  if (v === null || v === undefined)
    throw new FuncError("runtime error: invalid memory address or nil pointer dereference");
  if (typeof v !== "string") {
    throw new FuncError(`unable to parse ${key} key, must be of type string, but ${kindOf(v)} found`);
  }
  return v;
}

function urlJoin(d: GoMap): string {
  const u: GoUrl = {
    scheme: getOrEmpty(d, "scheme"),
    host: getOrEmpty(d, "host"),
    path: getOrEmpty(d, "path"),
    rawPath: "",
    rawQuery: getOrEmpty(d, "query"),
    opaque: getOrEmpty(d, "opaque"),
    fragment: getOrEmpty(d, "fragment"),
    rawFragment: "",
    forceQuery: false,
  };
  const userinfo = getOrEmpty(d, "userinfo");
  if (userinfo !== "") {
    try {
      u.user = parseUserinfo(userinfo);
    } catch (e) {
      if (e instanceof GoUrlError) throw new FuncError(`unable to parse userinfo in dict: ${e.message}`);
      throw e;
    }
  }
  return formatUrl(u);
}

/** os.ExpandEnv: $VAR and ${VAR} through the injected getenv. */
function expandEnv(s: string, getenv: (k: string) => string): string {
  return s.replace(/\$(\{([^}]*)\}|[*#$@!?\-0-9]|[A-Za-z0-9_]+)/g, (_m, whole: string, braced?: string) =>
    getenv(braced ?? whole),
  );
}

export function urlPathOsFuncs(env: SprigEnv): FuncMap {
  const p = (f: (s: string) => string | boolean) => goFunc([S], (s) => f(s as string));
  return {
    urlParse: goFunc([S], (v) => urlParse(v as string)),
    urlJoin: goFunc([M], (d) => urlJoin((d ?? {}) as GoMap)),
    base: p(base),
    dir: p(dir),
    clean: p(clean),
    ext: p(ext),
    isAbs: p(isAbs),
    osBase: p(base),
    osClean: p(clean),
    osDir: p(dir),
    osExt: p(ext),
    osIsAbs: p(isAbs),
    env: goFunc([S], (k) => env.getenv(k as string)),
    expandenv: goFunc([S], (s) => expandEnv(s as string, env.getenv)),
    // No DNS from templates (hermetic rendering): only localhost resolves; anything else fails the way
    // sprig does when the lookup finds nothing.
    getHostByName: goFunc([S], (name) => {
      if (name === "localhost") return "127.0.0.1";
      throw new FuncError("invalid argument to Intn");
    }),
  };
}
