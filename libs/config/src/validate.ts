// validateObject: schema (ajv, from the CRD schemas) + semantics, one problem per field.

import { fieldErrors } from "./schemaErrors.js";
import { API_GROUP, API_VERSION } from "./schemas/common.js";
import { coreValidator, crdValidator } from "./schemas/compiled.js";
import { isCrdKind } from "./schemas/kinds.js";
import { eventSourceProblems, eventTriggerProblems, type FieldProblem, instantiatedDataProblems } from "./semantics.js";
import type { EventSource, EventTrigger, KubeObject, ValidationProblem } from "./types.js";

export interface ProblemSource {
  file?: string;
  /** 1-based document index within the file. */
  doc?: number;
}

export interface CheckResult {
  problems: ValidationProblem[];
  /** A copy of the object with CRD defaults filled in (only meaningful when problems is empty). */
  normalized: KubeObject;
}

function identity(obj: unknown): { kind: string; name: string } {
  const o = (obj ?? {}) as { kind?: unknown; metadata?: { name?: unknown } };
  return {
    kind: typeof o.kind === "string" && o.kind ? o.kind : "<unknown kind>",
    name: typeof o.metadata?.name === "string" && o.metadata.name ? o.metadata.name : "<unnamed>",
  };
}

/** True for the kinds this package validates (our CRDs, ConfigMap, Secret). */
export function isKnownKind(obj: unknown): boolean {
  const o = obj as { apiVersion?: unknown; kind?: unknown } | null;
  if (!o || typeof o !== "object") return false;
  if (isCrdKind(o.kind) && o.apiVersion === API_VERSION) return true;
  return o.apiVersion === "v1" && (o.kind === "ConfigMap" || o.kind === "Secret");
}

/** Validates and returns a defaulted copy. Objects of other API groups pass untouched (nothing to check). */
export function checkObject(obj: unknown, source: ProblemSource = {}): CheckResult {
  const { kind, name } = identity(obj);
  const mk = (f: FieldProblem): ValidationProblem => ({ kind, name, path: f.path, reason: f.reason, ...source });
  if (!obj || typeof obj !== "object" || Array.isArray(obj)) {
    return {
      problems: [mk({ path: "", reason: "a Kubernetes object (a YAML mapping) is expected" })],
      normalized: {} as KubeObject,
    };
  }
  const o = obj as Record<string, unknown>;
  if (typeof o.apiVersion !== "string" || typeof o.kind !== "string") {
    const path = typeof o.apiVersion !== "string" ? "apiVersion" : "kind";
    return { problems: [mk({ path, reason: "required field is missing" })], normalized: obj as KubeObject };
  }
  const copy = structuredClone(o) as KubeObject;
  let validator: ReturnType<typeof crdValidator> | undefined;
  if (isCrdKind(o.kind) && o.apiVersion === API_VERSION) validator = crdValidator(o.kind);
  else if (o.apiVersion === "v1" && (o.kind === "ConfigMap" || o.kind === "Secret")) validator = coreValidator(o.kind);
  else if (o.apiVersion.startsWith(`${API_GROUP}/`)) {
    const reason = isCrdKind(o.kind)
      ? `apiVersion must be ${API_VERSION}`
      : `kind ${o.kind} is not served by evtrigger`;
    return { problems: [mk({ path: isCrdKind(o.kind) ? "apiVersion" : "kind", reason })], normalized: copy };
  } else return { problems: [], normalized: copy };

  const problems: FieldProblem[] = validator(copy) ? [] : fieldErrors(validator.errors, o.kind === "Secret");
  // Semantic checks run even when the schema failed (a user should see every problem at once); a shape the
  // schema already rejected may make them throw, which is then ignored. Schema problems win per path.
  let semantic: FieldProblem[] = [];
  try {
    semantic = semanticProblems(copy);
  } catch {
    semantic = [];
  }
  const schemaPaths = new Set(problems.map((p) => p.path));
  problems.push(...semantic.filter((p) => !schemaPaths.has(p.path)));
  return { problems: problems.map(mk), normalized: copy };
}

function semanticProblems(obj: KubeObject): FieldProblem[] {
  switch (obj.kind) {
    case "EventSource":
      return eventSourceProblems(obj as EventSource);
    case "EventTrigger":
      return eventTriggerProblems(obj as EventTrigger);
    case "ConfigMap":
    case "Secret":
      return instantiatedDataProblems(obj);
    default:
      return [];
  }
}

/** Every problem of one object, each naming the kind, the object, the field path and the reason. */
export function validateObject(obj: unknown, source: ProblemSource = {}): ValidationProblem[] {
  return checkObject(obj, source).problems;
}

/** `file:doc#N kind/name: field: reason` (parts without a value are left out). */
export function formatProblem(p: ValidationProblem, file?: string, docIndex?: number): string {
  const f = file ?? p.file;
  const d = docIndex ?? p.doc;
  let where = "";
  if (f !== undefined) where = d !== undefined ? `${f}:doc#${d}` : f;
  if (p.line !== undefined) where += `${where ? " " : ""}line ${p.line}`;
  const field = p.path ? `${p.path}: ` : "";
  return `${where ? `${where} ` : ""}${p.kind}/${p.name}: ${field}${p.reason}`;
}
