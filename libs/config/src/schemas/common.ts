// Schema fragments shared by every kind, in the Kubernetes OpenAPI v3 dialect (the CRD form). The ajv form
// is derived from these by openapi.ts, so the CRDs and the validator can never disagree.

export type OpenApiSchema = { [keyword: string]: unknown };

export const API_GROUP = "lib.projectsveltos.io";
export const API_VERSION = `${API_GROUP}/v1beta1`;

/** metav1.Condition, as `kubectl get -o yaml` shows it; appended to our kinds' status. */
export const conditionSchema: OpenApiSchema = {
  type: "object",
  required: ["type", "status", "reason", "message"],
  properties: {
    type: { type: "string", maxLength: 316 },
    status: { type: "string", enum: ["True", "False", "Unknown"] },
    reason: { type: "string", maxLength: 1024 },
    message: { type: "string", maxLength: 32768 },
    lastTransitionTime: { type: "string", format: "date-time" },
    observedGeneration: { type: "integer", format: "int64", minimum: 0 },
  },
};

export const conditionsSchema: OpenApiSchema = {
  description: "Conditions written by evtrigger, e.g. Valid=False with the reason a spec was rejected.",
  type: "array",
  items: conditionSchema,
  "x-kubernetes-list-type": "map",
  "x-kubernetes-list-map-keys": ["type"],
};

/** What the validator requires of metadata (the CRD leaves metadata to the API server). */
export const metadataSchema: OpenApiSchema = {
  type: "object",
  required: ["name"],
  properties: {
    name: { type: "string", minLength: 1, maxLength: 253, pattern: "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$" },
    namespace: { type: "string", minLength: 1, maxLength: 63, pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$" },
    labels: { type: "object", additionalProperties: { type: "string" } },
    annotations: { type: "object", additionalProperties: { type: "string" } },
  },
  "x-kubernetes-preserve-unknown-fields": true,
};

export const labelSelectorSchema: OpenApiSchema = {
  type: "object",
  properties: {
    matchLabels: { type: "object", additionalProperties: { type: "string" } },
    matchExpressions: {
      type: "array",
      items: {
        type: "object",
        required: ["key", "operator"],
        properties: {
          key: { type: "string" },
          operator: { type: "string", enum: ["In", "NotIn", "Exists", "DoesNotExist"] },
          values: { type: "array", items: { type: "string" } },
        },
      },
    },
  },
};
