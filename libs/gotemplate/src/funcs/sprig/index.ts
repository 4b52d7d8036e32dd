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

let envFree: FuncMap | undefined;

/** The functions that do not depend on the environment, built once and shared. */
function envFreeFuncs(): FuncMap {
  if (envFree) return envFree;
  const m: FuncMap = Object.assign(
    Object.create(null) as FuncMap,
    listFuncs(),
    dictFuncs(),
    defaultsFuncs(),
    reflectFuncs(),
    encodingFuncs(),
    regexFuncs(),
    semverFuncs(),
    { hello: Object.assign(() => "Hello!", { sig: { params: [] } }) },
  );
  envFree = m;
  return m;
}

/** Builds sprig's function map over `env` (clock, randomness, environment lookups). */
export function sprigFuncMap(env: SprigEnv = defaultSprigEnv()): FuncMap {
  return Object.assign(
    Object.create(null) as FuncMap,
    envFreeFuncs(),
    stringFuncs(env),
    numericFuncs(env),
    cryptoFuncs(env),
    dateFuncs(env),
    urlPathOsFuncs(env),
  );
}

/** sprig.FuncMap() with the default environment. */
export const sprigFuncs: FuncMap = sprigFuncMap();

export type { SprigEnv };
export { defaultSprigEnv };
