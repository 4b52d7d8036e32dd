import type { StatusCause } from "../errors.js";
import { type ListSemantics, schemaLists } from "../patch/lists.js";
import { compileValidator } from "./schema.js";
import { isPlainObject, type KubeObject, type ObjectValidator, type ResourceType } from "./types.js";

// CustomResourceDefinitions: checking a CRD, turning it into a served resource, and the status the real
// API server reports once the CRD is established.

interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  schema?: { openAPIV3Schema?: unknown };
  subresources?: { status?: unknown };
  additionalPrinterColumns?: {
    name: string;
    type: string;
    jsonPath: string;
    description?: string;
    priority?: number;
  }[];
}

interface CrdSpec {
  group?: string;
  scope?: string;
  names?: {
    kind?: string;
    listKind?: string;
    plural?: string;
    singular?: string;
    shortNames?: string[];
    categories?: string[];
  };
  versions?: CrdVersion[];
}

const spec = (crd: KubeObject) => (isPlainObject(crd.spec) ? crd.spec : {}) as CrdSpec;

/** Field errors of a CRD, the checks kubectl users hit most (names, scope, versions). */
export function validateCrd(crd: KubeObject): StatusCause[] {
  const s = spec(crd);
  const causes: StatusCause[] = [];
  const bad = (field: string, message: string) => causes.push({ type: "FieldValueInvalid", field, message });
  if (!s.group) bad("spec.group", "Required value");
  if (!s.names?.plural) bad("spec.names.plural", "Required value");
  if (!s.names?.kind) bad("spec.names.kind", "Required value");
  if (s.scope !== "Namespaced" && s.scope !== "Cluster")
    bad("spec.scope", `Unsupported value: "${String(s.scope)}": supported values: "Cluster", "Namespaced"`);
  const versions = s.versions ?? [];
  if (versions.length === 0)
    bad("spec.versions", "Required value: must have exactly one version marked as storage version");
  else if (versions.filter((v) => v.storage).length !== 1)
    bad("spec.versions", "Invalid value: must have exactly one version marked as storage version");
  if (s.group && s.names?.plural && crd.metadata.name !== `${s.names.plural}.${s.group}`)
    bad("metadata.name", `Invalid value: "${crd.metadata.name}": must be spec.names.plural+"."+spec.group`);
  return causes;
}

/** The resource a CRD serves: storage version first, then the other served versions. */
export function typeFromCrd(crd: KubeObject): ResourceType {
  const s = spec(crd);
  const served = (s.versions ?? []).filter((v) => v.served !== false);
  const storage = served.find((v) => v.storage) ?? served[0];
  const ordered = storage ? [storage, ...served.filter((v) => v !== storage)] : served;
  const validators: Record<string, ObjectValidator> = {};
  const listSemantics: Record<string, ListSemantics> = {};
  for (const v of ordered) {
    validators[v.name] = compileValidator(v.schema?.openAPIV3Schema);
    listSemantics[v.name] = schemaLists(v.schema?.openAPIV3Schema);
  }
  const kind = s.names!.kind!;
  return {
    group: s.group!,
    versions: ordered.map((v) => v.name),
    kind,
    listKind: s.names?.listKind ?? `${kind}List`,
    plural: s.names!.plural!,
    singular: s.names?.singular ?? kind.toLowerCase(),
    namespaced: s.scope === "Namespaced",
    shortNames: s.names?.shortNames ?? [],
    categories: s.names?.categories ?? [],
    hasStatus: storage?.subresources?.status !== undefined,
    builtin: false,
    validators,
    listSemantics,
    printerColumns: storage?.additionalPrinterColumns,
  };
}

/** Status as set by the apiextensions controllers: names accepted and established, immediately. */
export function establishedStatus(crd: KubeObject): Record<string, unknown> {
  const s = spec(crd);
  const t = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  const cond = (type: string, reason: string, message: string) => ({
    type,
    status: "True",
    lastTransitionTime: t,
    reason,
    message,
  });
  return {
    acceptedNames: {
      kind: s.names?.kind,
      listKind: s.names?.listKind ?? `${s.names?.kind}List`,
      plural: s.names?.plural,
      singular: s.names?.singular ?? s.names?.kind?.toLowerCase(),
      ...(s.names?.shortNames ? { shortNames: s.names.shortNames } : {}),
      ...(s.names?.categories ? { categories: s.names.categories } : {}),
    },
    conditions: [
      cond("NamesAccepted", "NoConflicts", "no conflicts found for CRD names"),
      cond("Established", "InitialNamesAccepted", "the initial names have been accepted"),
    ],
    storedVersions: (s.versions ?? []).filter((v) => v.storage).map((v) => v.name),
  };
}
