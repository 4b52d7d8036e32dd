/** sprig defaults.go (default, empty, coalesce, all, any, ternary, JSON helpers, deepCopy lives in dict.ts). */
import { FuncError, type FuncMap, goFunc } from "../../value.js";
import { isEmpty } from "../conv.js";
import { GoJsonError, goJsonMarshal, goJsonMarshalIndent, goJsonParse } from "../go/json.js";

const ANY = "interface {}";

function attempt<T>(f: () => T): { ok: true; v: T } | { ok: false; err: string } {
  try {
    return { ok: true, v: f() };
  } catch (e) {
    if (e instanceof GoJsonError) return { ok: false, err: e.message };
    throw e;
  }
}

export function defaultsFuncs(): FuncMap {
  const mustToJson = goFunc([ANY], (v) => {
    const r = attempt(() => goJsonMarshal(v));
    if (!r.ok) throw new FuncError(r.err);
    return r.v;
  });
  const mustToPrettyJson = goFunc([ANY], (v) => {
    const r = attempt(() => goJsonMarshalIndent(v, "  "));
    if (!r.ok) throw new FuncError(r.err);
    return r.v;
  });
  // toRawJson panics on error and mustToRawJson returns it: the same template error either way.
  const toRawJson = goFunc([ANY], (v) => {
    const r = attempt(() => goJsonMarshal(v, false));
    if (!r.ok) throw new FuncError(r.err);
    return r.v;
  });
  return {
    default: goFunc(
      [ANY],
      (d, ...given) => (given.length === 0 || isEmpty(given[0] ?? null) ? d : (given[0] ?? null)),
      {
        variadic: ANY,
      },
    ),
    empty: goFunc([ANY], (v) => isEmpty(v)),
    coalesce: goFunc([], (...vs) => vs.find((v) => !isEmpty(v)) ?? null, { variadic: ANY }),
    all: goFunc([], (...vs) => vs.every((v) => !isEmpty(v)), { variadic: ANY }),
    any: goFunc([], (...vs) => vs.some((v) => !isEmpty(v)), { variadic: ANY }),
    ternary: goFunc([ANY, ANY, "bool"], (t, f, c) => (c ? t : f)),
    fromJson: goFunc(["string"], (s) => {
      const r = attempt(() => goJsonParse(s as string));
      return r.ok ? r.v : null;
    }),
    mustFromJson: goFunc(["string"], (s) => {
      const r = attempt(() => goJsonParse(s as string));
      if (!r.ok) throw new FuncError(r.err);
      return r.v;
    }),
    toJson: goFunc([ANY], (v) => {
      const r = attempt(() => goJsonMarshal(v));
      return r.ok ? r.v : "";
    }),
    mustToJson,
    toPrettyJson: goFunc([ANY], (v) => {
      const r = attempt(() => goJsonMarshalIndent(v, "  "));
      return r.ok ? r.v : "";
    }),
    mustToPrettyJson,
    toRawJson,
    mustToRawJson: toRawJson,
    fail: goFunc(["string"], (msg) => {
      throw new FuncError(msg as string);
    }),
  };
}
