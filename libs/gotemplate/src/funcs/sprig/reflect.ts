/** sprig reflect.go (typeOf, typeIs, typeIsLike, kindOf, kindIs) and deepEqual (reflect.DeepEqual). */
import { type FuncMap, goFunc, kindOf, typeName, type Value } from "../../value.js";
import { deepEqual } from "../conv.js";

const ANY = "interface {}";
const S = "string";

/** fmt %T of v. */
export const goTypeOf = (v: Value): string => typeName(v ?? null);

export function reflectFuncs(): FuncMap {
  return {
    typeOf: goFunc([ANY], (v) => goTypeOf(v)),
    typeIs: goFunc([S, ANY], (t, v) => t === goTypeOf(v)),
    typeIsLike: goFunc([S, ANY], (t, v) => t === goTypeOf(v) || `*${t}` === goTypeOf(v)),
    kindOf: goFunc([ANY], (v) => kindOf(v ?? null)),
    kindIs: goFunc([S, ANY], (k, v) => k === kindOf(v ?? null)),
    deepEqual: goFunc([ANY, ANY], (a, b) => deepEqual(a, b)),
  };
}
