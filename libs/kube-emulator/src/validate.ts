import type { KubeObject, ResourceType } from "./api/types.js";
import type { StatusCause } from "./errors.js";

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** Kinds whose names must be DNS-1123 labels rather than subdomains (as in the real API server). */
const LABEL_NAMED = new Set(["Namespace", "Service"]);

export function validateName(kind: string, name: string | undefined): StatusCause[] {
  if (!name)
    return [
      {
        type: "FieldValueRequired",
        field: "metadata.name",
        message: "Required value: name or generateName is required",
      },
    ];
  if (LABEL_NAMED.has(kind)) {
    if (name.length > 63 || !DNS1123_LABEL.test(name))
      return [
        {
          type: "FieldValueInvalid",
          field: "metadata.name",
          message: `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
        },
      ];
    return [];
  }
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name))
    return [
      {
        type: "FieldValueInvalid",
        field: "metadata.name",
        message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      },
    ];
  return [];
}

function validLabelKey(k: string): boolean {
  const slash = k.lastIndexOf("/");
  const prefix = slash >= 0 ? k.slice(0, slash) : undefined;
  const name = slash >= 0 ? k.slice(slash + 1) : k;
  if (prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

/** Name, labels and annotations: what every object must satisfy. */
export function validateMeta(t: ResourceType, obj: KubeObject): StatusCause[] {
  const causes = validateName(t.kind, obj.metadata.name);
  for (const [k, v] of Object.entries(obj.metadata.labels ?? {})) {
    if (!validLabelKey(k))
      causes.push({
        type: "FieldValueInvalid",
        field: "metadata.labels",
        message: `Invalid value: "${k}": name part must be a valid label key`,
      });
    if (typeof v !== "string" || v.length > 63 || !LABEL_VALUE.test(v))
      causes.push({
        type: "FieldValueInvalid",
        field: "metadata.labels",
        message: `Invalid value: "${String(v)}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'`,
      });
  }
  for (const [k, v] of Object.entries(obj.metadata.annotations ?? {})) {
    if (!validLabelKey(k))
      causes.push({
        type: "FieldValueInvalid",
        field: "metadata.annotations",
        message: `Invalid value: "${k}": name part must be a valid annotation key`,
      });
    if (typeof v !== "string")
      causes.push({
        type: "FieldValueInvalid",
        field: `metadata.annotations.${k}`,
        message: "Invalid value: annotation values must be strings",
      });
  }
  return causes;
}

const META_FIELDS = new Set([
  "name",
  "generateName",
  "namespace",
  "selfLink",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "labels",
  "annotations",
  "ownerReferences",
  "finalizers",
  "managedFields",
]);

/** Unknown fields of a built-in: top level and metadata (the depth this emulator knows schemas for). */
export function unknownBuiltinFields(t: ResourceType, obj: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (t.topLevelFields) for (const k of Object.keys(obj)) if (!t.topLevelFields.includes(k)) out.push(k);
  const meta = obj.metadata;
  if (meta && typeof meta === "object")
    for (const k of Object.keys(meta)) if (!META_FIELDS.has(k)) out.push(`metadata.${k}`);
  return out;
}

export function dropFields(obj: Record<string, unknown>, paths: string[]): void {
  for (const p of paths) {
    const parts = p.split(".");
    let cur: Record<string, unknown> | undefined = obj;
    for (const part of parts.slice(0, -1)) cur = cur?.[part] as Record<string, unknown> | undefined;
    if (cur) delete cur[parts[parts.length - 1]!];
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Type errors the real server's JSON decoding reports for the string maps of ConfigMaps and Secrets (a 400,
 * before any validation): numbers where strings belong, bytes that are not base64.
 */
export function decodeError(kind: string, obj: Record<string, unknown>): string | undefined {
  const maps: [string, boolean][] =
    kind === "ConfigMap"
      ? [
          ["data", false],
          ["binaryData", true],
        ]
      : kind === "Secret"
        ? [
            ["data", true],
            ["stringData", false],
          ]
        : [];
  for (const [field, bytes] of maps) {
    const m = obj[field];
    if (m === undefined || m === null) continue;
    if (typeof m !== "object" || Array.isArray(m))
      return `${kind} in version "v1" cannot be handled as a ${kind}: json: cannot unmarshal ${Array.isArray(m) ? "array" : typeof m} into Go struct field ${kind}.${field} of type map[string]${bytes ? "[]uint8" : "string"}`;
    for (const [k, v] of Object.entries(m)) {
      if (typeof v !== "string")
        return `${kind} in version "v1" cannot be handled as a ${kind}: json: cannot unmarshal ${v === null ? "null" : typeof v} into Go struct field ${kind}.${field} of type ${bytes ? "[]uint8" : "string"}`;
      if (bytes && !BASE64.test(v))
        return `${kind} in version "v1" cannot be handled as a ${kind}: illegal base64 data at input byte 0 (${field}.${k})`;
    }
  }
  return undefined;
}
