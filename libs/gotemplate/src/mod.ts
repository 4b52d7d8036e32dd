// Public surface of @evtrigger/gotemplate: Go text/template (+ sprig and Sveltos functions) in TypeScript.

export type { FuncMap, FuncSig, GoFunc, GoMap, Kind, TemplateErrorCode, Value } from "./internal.js";
export {
  FuncError,
  GO_TYPE,
  GoComplex,
  GoInt,
  GoObject,
  goFunc,
  goInt,
  kindOf,
  newMap,
  registerFuncs,
  sprintf,
  TemplateError,
  toGoString,
  truth,
  typed,
  typeName,
} from "./internal.js";
