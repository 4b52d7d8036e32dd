/**
 * sprig 3.2 GenericFuncMap. FuncMap (html/template types) and TxtFuncMap (text/template types) hold the
 * same functions, so one builder serves both.
 */
import type { FuncMap } from "../../value.js";
import { cryptoFuncs } from "./crypto.js";
import { dateFuncs } from "./date.js";
import { defaultsFuncs } from "./defaults.js";
import { dictFuncs } from "./dict.js";
import { encodingFuncs } from "./encoding.js";
import { defaultSprigEnv, type SprigEnv } from "./env.js";
import { listFuncs } from "./list.js";
import { numericFuncs } from "./numeric.js";
import { reflectFuncs } from "./reflect.js";
import { regexFuncs } from "./regex.js";
import { semverFuncs } from "./semver.js";
import { stringFuncs } from "./strings.js";
import { urlPathOsFuncs } from "./url.js";

/** Builds sprig's function map over `env` (clock, randomness, environment lookups). */
export function sprigFuncMap(env: SprigEnv = defaultSprigEnv()): FuncMap {
  const m: FuncMap = Object.create(null) as FuncMap;
  Object.assign(
    m,
    stringFuncs(env),
    numericFuncs(env),
    listFuncs(),
    dictFuncs(),
    defaultsFuncs(),
    reflectFuncs(),
    encodingFuncs(),
    cryptoFuncs(env),
    dateFuncs(env),
    regexFuncs(),
    semverFuncs(),
    urlPathOsFuncs(env),
  );
  m.hello = Object.assign(() => "Hello!", { sig: { params: [] } });
  return m;
}

/** sprig.FuncMap() with the default environment. */
export const sprigFuncs: FuncMap = sprigFuncMap();

export type { SprigEnv };
export { defaultSprigEnv };
