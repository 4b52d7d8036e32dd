// ajv is compiled once per kind, lazily, from the same schemas the CRDs are generated from.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import * as ajvFormats from "ajv-formats";
import { labelSelectorSchema, metadataSchema, type OpenApiSchema } from "./common.js";
import { type CrdKind, KINDS, objectSchema } from "./kinds.js";
import { natsConnectionSchema } from "./nats.js";
import { toAjvSchema } from "./openapi.js";

let ajv: Ajv | undefined;
const cache = new Map<string, ValidateFunction>();

function instance(): Ajv {
  if (ajv) return ajv;
  ajv = new Ajv({ allErrors: true, verbose: true, useDefaults: true, strict: false, allowUnionTypes: true });
  // CJS under NodeNext: the namespace default is module.exports, whose `default` is the plugin.
  ajvFormats.default.default(ajv);
  ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && Math.abs(n) <= 2 ** 31 });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
  return ajv;
}

function compiled(key: string, build: () => OpenApiSchema): ValidateFunction {
  let fn = cache.get(key);
  if (!fn) {
    fn = instance().compile(build());
    cache.set(key, fn);
  }
  return fn;
}

/** Validator for a whole object of a CRD kind; fills CRD defaults into the object it is given. */
export function crdValidator(kind: CrdKind): ValidateFunction {
  return compiled(kind, () => {
    const schema = toAjvSchema(objectSchema(KINDS[kind]));
    const props = schema.properties as Record<string, OpenApiSchema>;
    props.metadata = metadataSchema;
    schema.required =
      kind === "EventTrigger" ? ["apiVersion", "kind", "metadata", "spec"] : ["apiVersion", "kind", "metadata"];
    return schema;
  });
}

/** Minimal checks for the core kinds we read (ConfigMap, Secret): metadata and string data maps. */
export function coreValidator(kind: "ConfigMap" | "Secret"): ValidateFunction {
  return compiled(kind, () => ({
    type: "object",
    required: ["apiVersion", "kind", "metadata"],
    properties: {
      apiVersion: { const: "v1" },
      kind: { const: kind },
      metadata: toAjvSchema(metadataSchema),
      data: { type: "object", additionalProperties: { type: "string" } },
      ...(kind === "Secret"
        ? { stringData: { type: "object", additionalProperties: { type: "string" } }, type: { type: "string" } }
        : { binaryData: { type: "object", additionalProperties: { type: "string" } } }),
    },
  }));
}

export function natsConnectionValidator(): ValidateFunction {
  return compiled("sveltos-nats", () => natsConnectionSchema);
}

export function labelSelectorValidator(): ValidateFunction {
  return compiled("LabelSelector", () => toAjvSchema(labelSelectorSchema));
}

export type { ErrorObject };
