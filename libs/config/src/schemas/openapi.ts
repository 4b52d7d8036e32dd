// Derives the ajv (JSON Schema draft-07) form of a CRD schema: what a structural CRD plus
// `kubectl apply --validate=strict` would accept. Unknown fields are errors (additionalProperties:false
// wherever the CRD lists properties without x-kubernetes-preserve-unknown-fields), int-or-string becomes
// anyOf, and Kubernetes vendor extensions are dropped.
import type { OpenApiSchema } from "./common.js";

export function toAjvSchema(node: OpenApiSchema): OpenApiSchema {
  const out: OpenApiSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith("x-kubernetes-") || key === "description" || key === "nullable") continue;
    if (key === "properties") {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, OpenApiSchema>).map(([k, v]) => [k, toAjvSchema(v)]),
      );
    } else if (key === "items" || key === "additionalProperties" || key === "not") {
      out[key] = typeof value === "object" && value !== null ? toAjvSchema(value as OpenApiSchema) : value;
    } else if (key === "anyOf" || key === "oneOf" || key === "allOf") {
      out[key] = (value as OpenApiSchema[]).map(toAjvSchema);
    } else {
      out[key] = value;
    }
  }
  if (node["x-kubernetes-int-or-string"] === true) {
    delete out.type;
    delete out.anyOf;
    out.anyOf = [{ type: "integer" }, { type: "string" }];
  }
  if (node.nullable === true && typeof out.type === "string") out.type = [out.type, "null"];
  const preserve = node["x-kubernetes-preserve-unknown-fields"] === true;
  if (out.type === "object" && out.properties && out.additionalProperties === undefined && !preserve) {
    out.additionalProperties = false;
  }
  return out;
}
