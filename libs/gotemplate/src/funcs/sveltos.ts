/**
 * Sveltos' template functions (spec §5): libsveltos funcmap encoders with their error conventions, and
 * event-manager's resource helpers (k8s unstructured semantics, gopkg.in/yaml.v3 output).
 */
import { FuncError, type FuncMap, GoInt, type GoMap, goFunc, isMap, newMap, typeName, type Value } from "../value.js";
import { nilMap, nilSlice } from "./conv.js";
import { GoJsonError, goJsonMarshal, goJsonParse } from "./go/json.js";
import { TimeParseError, UTC } from "./go/time.js";
import { parseTime } from "./go/time-parse.js";
import { GoTomlError, goTomlDecode, goTomlEncode } from "./go/toml.js";
import { GoYamlError, goYaml3Unmarshal, goYamlMarshal, goYamlUnmarshal, jsonKind } from "./go/yaml.js";
import { GoYaml3Error, goYaml3Marshal } from "./go/yaml3.js";
import { GoTime } from "./sprig/date.js";

const S = "string";
const ANY = "interface {}";
const M = "map[string]interface {}";
const MAP_T = "map[string]interface {}";
const ARR_T = "[]interface {}";

const trimNl = (s: string) => (s.endsWith("\n") ? s.slice(0, -1) : s);

function known(e: unknown): e is Error {
  return e instanceof GoJsonError || e instanceof GoYamlError || e instanceof GoTomlError || e instanceof GoYaml3Error;
}

const errMap = (msg: string): GoMap => {
  const m = newMap();
  m.Error = msg;
  return m;
};

function fromYaml(s: string): GoMap {
  try {
    const v = goYamlUnmarshal(s);
    if (v === null || v === undefined) return newMap();
    if (!isMap(v) || jsonKind(v) !== "object") {
      return errMap(
        `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(v)} into Go value of type ${MAP_T}`,
      );
    }
    return v;
  } catch (e) {
    if (known(e)) return errMap(e.message);
    throw e;
  }
}

function fromYamlArray(s: string): Value[] {
  try {
    const v = goYamlUnmarshal(s);
    if (v === null || v === undefined) return [];
    if (!Array.isArray(v)) {
      return [
        `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(v)} into Go value of type ${ARR_T}`,
      ];
    }
    return v;
  } catch (e) {
    if (known(e)) return [e.message];
    throw e;
  }
}

function fromJson(s: string): GoMap {
  try {
    const v = goJsonParse(s);
    if (v === null) return nilMap(); // json.Unmarshal("null", &m) sets m to a nil map
    if (jsonKind(v) !== "object") return errMap(`json: cannot unmarshal ${jsonKind(v)} into Go value of type ${MAP_T}`);
    return v as GoMap;
  } catch (e) {
    if (known(e)) return errMap(e.message);
    throw e;
  }
}

function fromJsonArray(s: string): Value[] {
  try {
    const v = goJsonParse(s);
    if (v === null) return nilSlice();
    if (!Array.isArray(v)) return [`json: cannot unmarshal ${jsonKind(v)} into Go value of type ${ARR_T}`];
    return v;
  } catch (e) {
    if (known(e)) return [e.message];
    throw e;
  }
}

function fromToml(s: string): GoMap {
  try {
    const m = goTomlDecode(s, (d) => new GoTime(d.getTime(), 0, UTC));
    return m as GoMap;
  } catch (e) {
    if (known(e)) return errMap(e.message);
    throw e;
  }
}

/**
 * Which YAML library toYaml/fromYaml follow: "sigs" = sigs.k8s.io/yaml (JSON round trip; what the project's
 * conformance corpus records), "v3" = gopkg.in/yaml.v3 (what current libsveltos funcmap.go imports).
 */
export type YamlFlavor = "sigs" | "v3";

const V3_TIME_LAYOUTS = [
  "2006-1-2T15:4:5.999999999Z07:00",
  "2006-1-2t15:4:5.999999999Z07:00",
  "2006-1-2 15:4:5.999999999",
  "2006-1-2",
];

/** yaml.v3 parseTimestamp: time.Parse over its layouts (UTC default, fixed zones for other offsets). */
const toTime = (s: string): Value => {
  for (const layout of V3_TIME_LAYOUTS) {
    try {
      const p = parseTime(layout, s, UTC, UTC);
      return new GoTime(p.ms, p.nsExtra, p.zone);
    } catch (e) {
      if (!(e instanceof TimeParseError)) throw e;
    }
  }
  return s;
};

function yaml3Funcs(): FuncMap {
  const decode = (s: string, target: "map" | "slice"): Value => goYaml3Unmarshal(s, target, toTime);
  return {
    toYaml: goFunc([ANY], (v) => {
      try {
        return trimNl(goYaml3Marshal(v));
      } catch (e) {
        if (known(e)) return "";
        throw e;
      }
    }),
    fromYaml: goFunc([S], (s) => {
      try {
        return (decode(s as string, "map") as GoMap | null) ?? newMap();
      } catch (e) {
        if (known(e)) return errMap(e.message);
        throw e;
      }
    }),
    fromYamlArray: goFunc([S], (s) => {
      try {
        return (decode(s as string, "slice") as Value[] | null) ?? [];
      } catch (e) {
        if (known(e)) return [e.message];
        throw e;
      }
    }),
  };
}

/** libsveltos funcmap extras (override sprig's toJson/fromJson). */
export function sveltosEncodingFuncs(yaml: YamlFlavor = "sigs"): FuncMap {
  return {
    toYaml: goFunc([ANY], (v) => {
      try {
        return trimNl(goYamlMarshal(v));
      } catch (e) {
        if (known(e)) return "";
        throw e;
      }
    }),
    fromYaml: goFunc([S], (s) => fromYaml(s as string)),
    fromYamlArray: goFunc([S], (s) => fromYamlArray(s as string)),
    toJson: goFunc([ANY], (v) => {
      try {
        return goJsonMarshal(v);
      } catch (e) {
        if (known(e)) return "";
        throw e;
      }
    }),
    fromJson: goFunc([S], (s) => fromJson(s as string)),
    fromJsonArray: goFunc([S], (s) => fromJsonArray(s as string)),
    toToml: goFunc([ANY], (v) => {
      // BurntSushi's encoder inspects reflect.ValueOf(nil).Type(), which panics.
      if (v === null || v === undefined) throw new FuncError("reflect: call of reflect.Value.Type on zero Value");
      try {
        return goTomlEncode(v);
      } catch (e) {
        if (known(e)) return e.message;
        throw e;
      }
    }),
    fromToml: goFunc([S], (s) => fromToml(s as string)),
    ...(yaml === "v3" ? yaml3Funcs() : {}),
  };
}

// ---- event-manager resource helpers (k8s.io/apimachinery unstructured semantics) ----

/** runtime.DeepCopyJSONValue: only JSON-shaped values; anything else panics like Go. */
export function deepCopyJSONValue(v: Value): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (v instanceof GoInt && v.kind === "int64") return v;
  const t = typeName(v);
  if (Array.isArray(v) && t === ARR_T) return v.map(deepCopyJSONValue);
  if (isMap(v) && t === MAP_T) {
    const out = newMap();
    for (const k of Object.keys(v)) out[k] = deepCopyJSONValue(v[k]);
    return out;
  }
  throw new FuncError(`cannot deep copy ${t}`);
}

const asMap = (v: Value): GoMap | undefined =>
  v !== null && v !== undefined && isMap(v) && typeName(v) === MAP_T ? v : undefined;

function removeNestedField(obj: GoMap | null | undefined, fields: string[]): void {
  let m = obj;
  if (!m) return;
  for (const f of fields.slice(0, -1)) {
    const next = asMap(Object.hasOwn(m, f) ? m[f] : undefined);
    if (!next) return;
    m = next;
  }
  delete m[fields[fields.length - 1] as string];
}

/** unstructured.SetNestedField: false when an intermediate value is not a map (Sveltos swallows that). */
function setNestedField(obj: GoMap | null | undefined, value: Value, fields: string[]): boolean {
  const copy = deepCopyJSONValue(value);
  if (!obj) throw new FuncError("assignment to entry in nil map");
  let m = obj;
  for (const f of fields.slice(0, -1)) {
    const val = Object.hasOwn(m, f) ? m[f] : undefined;
    if (val !== null && val !== undefined) {
      const next = asMap(val);
      if (!next) return false;
      m = next;
    } else {
      const nv = newMap();
      m[f] = nv;
      m = nv;
    }
  }
  m[fields[fields.length - 1] as string] = copy;
  return true;
}

function nestedField(obj: GoMap | null | undefined, fields: string[]): { found: boolean; value: Value } {
  let val: Value = obj ?? null;
  for (const f of fields) {
    if (val === null || val === undefined) return { found: false, value: null };
    const m = asMap(val);
    if (!m) return { found: false, value: null }; // accessor error, swallowed by Sveltos
    if (!Object.hasOwn(m, f)) return { found: false, value: null };
    val = m[f] ?? null;
  }
  return { found: true, value: val };
}

function resetFields(u: GoMap | null | undefined): GoMap {
  removeNestedField(u, ["metadata", "managedFields"]);
  removeNestedField(u, ["metadata", "resourceVersion"]);
  removeNestedField(u, ["metadata", "uid"]);
  return u ?? newMap();
}

function yaml3(u: GoMap): string {
  try {
    return trimNl(goYaml3Marshal(u));
  } catch (e) {
    if (known(e)) return "";
    throw e;
  }
}

const path = (s: Value) => (s as string).split(".");

export function sveltosResourceFuncs(): FuncMap {
  return {
    getResource: goFunc([M], (u) => resetFields(u as GoMap | null)),
    copy: goFunc([M], (u) => yaml3(resetFields(u as GoMap | null))),
    getField: goFunc([M, S], (u, f) => {
      const r = nestedField(u as GoMap | null, path(f));
      return r.found ? deepCopyJSONValue(r.value) : "";
    }),
    removeField: goFunc([M, S], (u, f) => {
      removeNestedField(u as GoMap | null, path(f));
      return yaml3(resetFields(u as GoMap | null));
    }),
    setField: goFunc([M, S, ANY], (u, f, v) => {
      if (!setNestedField(u as GoMap | null, v, path(f))) return "";
      return yaml3(resetFields(u as GoMap | null));
    }),
    chainRemoveField: goFunc([M, S], (u, f) => {
      removeNestedField(u as GoMap | null, path(f));
      return u ?? newMap();
    }),
    chainSetField: goFunc([M, S, ANY], (u, f, v) =>
      setNestedField(u as GoMap | null, v, path(f)) ? (u ?? nilMap()) : nilMap(),
    ),
  };
}

/** Every Sveltos function (encoders + resource helpers). */
export function sveltosFuncMap(yaml: YamlFlavor = "sigs"): FuncMap {
  return { ...sveltosEncodingFuncs(yaml), ...sveltosResourceFuncs() };
}

export const sveltosFuncs: FuncMap = sveltosFuncMap();
