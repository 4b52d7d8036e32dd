import { Ajv, type ErrorObject } from "ajv";
import * as ajvFormats from "ajv-formats";
import { isPlainObject, type KubeObject, type ObjectValidator } from "./types.js";

// Structural-schema handling for custom resources: defaults and pruning (walked by hand, as the API server
// does) and value validation (ajv, after the Kubernetes extensions are translated to plain JSON Schema).

type Schema = Record<string, unknown>;

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
// ajv-formats is CommonJS; depending on the loader its plugin is the default export or that export's default.
type FormatsPlugin = (a: Ajv) => unknown;
const formatsModule = ajvFormats as unknown as { default: FormatsPlugin | { default: FormatsPlugin } };
const addFormats = typeof formatsModule.default === "function" ? formatsModule.default : formatsModule.default.default;
addFormats(ajv);
for (const f of ["int32", "int64", "float", "double", "byte", "password", "quantity", "binary"]) ajv.addFormat(f, true);

/** Translates the Kubernetes OpenAPI dialect to what ajv understands. */
function toAjv(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(toAjv);
  if (!isPlainObject(s)) return s;
  const out: Schema = {};
  for (const [k, v] of Object.entries(s)) {
    if (k.startsWith("x-kubernetes-") || k === "default" || k === "example" || k === "externalDocs") continue;
    out[k] = k === "properties" || k === "patternProperties" ? mapValues(v, toAjv) : toAjv(v);
  }
  if (s["x-kubernetes-int-or-string"]) {
    delete out.type;
    out.anyOf = [{ type: "integer" }, { type: "string" }];
  }
  if (s.nullable === true && typeof out.type === "string") {
    out.type = [out.type, "null"];
    delete out.nullable;
  }
  // Metadata is validated by the server's own rules, not by the CRD schema.
  return out;
}

function mapValues(v: unknown, f: (x: unknown) => unknown): unknown {
  if (!isPlainObject(v)) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, f(x)]));
}

/** Applies defaults and removes unknown fields in place; returns the paths of the unknown fields. */
function pruneAndDefault(value: unknown, schema: Schema | undefined, path: string, unknown: string[]): void {
  if (!schema) return;
  if (Array.isArray(value)) {
    const items = schema.items as Schema | undefined;
    for (const [i, v] of value.entries()) pruneAndDefault(v, items, `${path}[${i}]`, unknown);
    return;
  }
  if (!isPlainObject(value)) return;
  const props = (schema.properties ?? {}) as Record<string, Schema>;
  for (const [k, p] of Object.entries(props)) {
    if (value[k] === undefined && p.default !== undefined) value[k] = structuredClone(p.default);
  }
  const preserve = schema["x-kubernetes-preserve-unknown-fields"] === true;
  const extra = schema.additionalProperties;
  for (const k of Object.keys(value)) {
    const sub = props[k] ?? (isPlainObject(extra) ? (extra as Schema) : undefined);
    if (sub) pruneAndDefault(value[k], sub, path ? `${path}.${k}` : k, unknown);
    else if (!(preserve || extra === true || schema["x-kubernetes-embedded-resource"] === true)) {
      unknown.push(path ? `${path}.${k}` : k);
      delete value[k];
    }
  }
}

function describe(e: ErrorObject): string {
  const field = e.instancePath.slice(1).replace(/\//g, ".");
  if (e.keyword === "required") {
    const f = field ? `${field}.${String(e.params.missingProperty)}` : String(e.params.missingProperty);
    return `${f}: Required value`;
  }
  if (e.keyword === "enum")
    return `${field}: Unsupported value: supported values: ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
  return `${field}: Invalid value: ${field} in body ${e.message ?? "is invalid"}`;
}

/** Builds the validator for one served version of a CRD from its openAPIV3Schema. */
export function compileValidator(openAPIV3Schema: unknown): ObjectValidator {
  const schema = isPlainObject(openAPIV3Schema)
    ? openAPIV3Schema
    : { type: "object", "x-kubernetes-preserve-unknown-fields": true };
  const root: Schema = structuredClone(schema);
  const rootProps = { ...((root.properties ?? {}) as Record<string, Schema>) };
  for (const k of ["apiVersion", "kind", "metadata"]) delete rootProps[k];
  const bodySchema: Schema = { ...root, properties: rootProps };
  const check = ajv.compile(toAjv(bodySchema) as Schema);
  return (obj: KubeObject) => {
    const unknown: string[] = [];
    const { apiVersion, kind, metadata, ...body } = obj;
    pruneAndDefault(body, bodySchema, "", unknown);
    for (const k of Object.keys(obj)) if (!["apiVersion", "kind", "metadata"].includes(k)) delete obj[k];
    Object.assign(obj, body, { apiVersion, kind, metadata });
    const errors = check(body) ? [] : (check.errors ?? []).map(describe);
    return { errors, unknown };
  };
}
