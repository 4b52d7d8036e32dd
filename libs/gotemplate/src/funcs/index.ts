/**
 * The function maps the engine's render(..., {funcs}) selects: "default" is sprig.FuncMap() plus Sveltos'
 * functions (as Sveltos instantiates templates); "text" is sprig.TxtFuncMap() plus the same (the
 * projectsveltos.io/tex-template annotation). Both hold identical functions, as in sprig 3.2.
 */
import type { FuncMap } from "../value.js";
import { defaultSprigEnv, type SprigEnv, sprigFuncMap } from "./sprig/index.js";
import { sveltosFuncMap, sveltosFuncs, type YamlFlavor } from "./sveltos.js";

export interface FuncsOptions {
  /** Clock, randomness and environment for sprig (tests inject a fixed clock). */
  env?: Partial<SprigEnv>;
  /** YAML library behind toYaml/fromYaml/fromYamlArray (default "sigs", see YamlFlavor). */
  yaml?: YamlFlavor;
}

const sveltosByFlavor = new Map<YamlFlavor, FuncMap>();

/** A fresh "default" function map (sprig + Sveltos overrides) over an optional injected environment. */
export function createFuncs(opts: FuncsOptions = {}): FuncMap {
  const env: SprigEnv = { ...defaultSprigEnv(), ...opts.env };
  const flavor = opts.yaml ?? "sigs";
  let sveltos = sveltosByFlavor.get(flavor);
  if (!sveltos) {
    sveltos = sveltosFuncMap(flavor);
    sveltosByFlavor.set(flavor, sveltos);
  }
  return Object.assign(Object.create(null) as FuncMap, sprigFuncMap(env), sveltos);
}

export const defaultFuncs: FuncMap = createFuncs();
export const textFuncs: FuncMap = createFuncs();

export type { SprigEnv, YamlFlavor };
export { sprigFuncMap, sveltosFuncMap, sveltosFuncs };
