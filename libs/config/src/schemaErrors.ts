// Turns ajv errors into field paths and reasons a user can act on.
import type { ErrorObject } from "./schemas/compiled.js";

export interface FieldError {
  path: string;
  reason: string;
}

/** `/spec/policyRefs/0/name` → `spec.policyRefs[0].name`; keys that are not identifiers are bracket-quoted. */
export function pointerToPath(pointer: string, extra?: string): string {
  const parts = pointer
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (extra !== undefined) parts.push(extra);
  return joinPath(parts);
}

export function joinPath(parts: (string | number)[]): string {
  let out = "";
  for (const p of parts) {
    if (typeof p === "number" || /^\d+$/.test(p)) out += `[${p}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(p)) out += out ? `.${p}` : p;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out;
}

function describe(value: unknown, redact: boolean): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (redact) return typeof value; // Secret material must not reach logs or conditions
  if (typeof value === "string")
    return `string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)}`;
  if (typeof value === "object") return "object";
  return `${typeof value} ${String(value)}`;
}

/** `redact`: never quote values (for Secrets and the sveltos-nats payload). */
export function fieldErrors(errors: ErrorObject[] | null | undefined, redact = false): FieldError[] {
  if (!errors) return [];
  // anyOf branches (int-or-string, jetstream subjects|streams) would each report; keep the anyOf summary only.
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === "anyOf").map((e) => e.schemaPath));
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if ([...anyOfPaths].some((p) => e.schemaPath.startsWith(`${p}/`))) continue;
    const fe = toFieldError(e, redact);
    const key = `${fe.path}\u0000${fe.reason}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(fe);
    }
  }
  return out;
}

function toFieldError(e: ErrorObject, redact: boolean): FieldError {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "additionalProperties":
      return { path: pointerToPath(e.instancePath, String(p.additionalProperty)), reason: "unknown field" };
    case "required":
      return { path: pointerToPath(e.instancePath, String(p.missingProperty)), reason: "required field is missing" };
    case "type":
      return { path: pointerToPath(e.instancePath), reason: `must be ${p.type} (got ${describe(e.data, redact)})` };
    case "enum":
      return {
        path: pointerToPath(e.instancePath),
        reason: `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")} (got ${describe(e.data, redact)})`,
      };
    case "const":
      return { path: pointerToPath(e.instancePath), reason: `must be ${JSON.stringify(p.allowedValue)}` };
    case "anyOf":
      return { path: pointerToPath(e.instancePath), reason: anyOfReason(e) };
    case "pattern":
      return {
        path: pointerToPath(e.instancePath),
        reason: `must match ${String(p.pattern)} (got ${describe(e.data, redact)})`,
      };
    default:
      return {
        path: pointerToPath(e.instancePath),
        reason: `${e.message ?? e.keyword} (got ${describe(e.data, redact)})`,
      };
  }
}

function anyOfReason(e: ErrorObject): string {
  if (e.schemaPath.includes("jetstream")) return "needs `subjects` (stream names) or `streams`";
  return "must be an integer or a string";
}
