// Checks beyond the schema: what Sveltos would only discover at run time (regexes, templates, selectors).
import { RE2JS } from "re2js";
import { joinPath } from "./schemaErrors.js";
import { isTemplate, type TemplateFuncs, templateProblem } from "./templates.js";
import type { EventSource, EventTrigger, KubeObject, LabelSelector } from "./types.js";

export interface FieldProblem {
  path: string;
  reason: string;
}

export const INSTANTIATE_ANNOTATION = "projectsveltos.io/instantiate";
/** On an EventTrigger: render with sprig's TxtFuncMap (sic, Sveltos' spelling). */
export const TEXT_TEMPLATE_ANNOTATION = "projectsveltos.io/tex-template";

/** Compiles a pattern under RE2 (Go regexp) rules; returns the error text or undefined. */
export function regexProblem(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (err) {
    return `invalid RE2 regular expression: ${err instanceof Error ? err.message : String(err)}`;
  }
}

const CRITERIA_FIELDS = ["subject", "cloudEventSource", "cloudEventType", "cloudEventSubject"] as const;

export function eventSourceProblems(es: EventSource): FieldProblem[] {
  const out: FieldProblem[] = [];
  (es.spec?.messagingMatchCriteria ?? []).forEach((c, i) => {
    for (const f of CRITERIA_FIELDS) {
      const v = c[f];
      if (typeof v !== "string" || v === "") continue;
      const why = regexProblem(v);
      if (why) out.push({ path: joinPath(["spec", "messagingMatchCriteria", i, f]), reason: why });
    }
  });
  return out;
}

export function selectorProblems(sel: LabelSelector | undefined, base: (string | number)[]): FieldProblem[] {
  const out: FieldProblem[] = [];
  (sel?.matchExpressions ?? []).forEach((req, i) => {
    const path = joinPath([...base, "matchExpressions", i, "values"]);
    if (!["In", "NotIn", "Exists", "DoesNotExist"].includes(req.operator)) {
      out.push({
        path: joinPath([...base, "matchExpressions", i, "operator"]),
        reason: `must be one of "In", "NotIn", "Exists", "DoesNotExist" (got ${JSON.stringify(req.operator)})`,
      });
    }
    const n = req.values?.length ?? 0;
    if ((req.operator === "In" || req.operator === "NotIn") && n === 0) {
      out.push({ path, reason: `operator ${req.operator} needs at least one value` });
    }
    if ((req.operator === "Exists" || req.operator === "DoesNotExist") && n > 0) {
      out.push({ path, reason: `operator ${req.operator} takes no values` });
    }
  });
  return out;
}

function templated(
  out: FieldProblem[],
  name: string,
  value: unknown,
  path: (string | number)[],
  funcs: TemplateFuncs = "default",
): void {
  if (typeof value !== "string" || !isTemplate(value)) return;
  const why = templateProblem(name, value, funcs);
  if (why) out.push({ path: joinPath(path), reason: why });
}

export function eventTriggerProblems(et: EventTrigger): FieldProblem[] {
  const out: FieldProblem[] = [];
  const s = et.spec;
  const name = et.metadata.name;
  // destinationCluster always uses the normal map (Sveltos); the rest follows the annotation.
  const funcs: TemplateFuncs = et.metadata.annotations?.[TEXT_TEMPLATE_ANNOTATION] !== undefined ? "text" : "default";
  if (typeof s.cloudEventAction === "string") {
    if (isTemplate(s.cloudEventAction))
      templated(out, `${name}-cloudEventAction`, s.cloudEventAction, ["spec", "cloudEventAction"], funcs);
    else if (s.cloudEventAction !== "Create" && s.cloudEventAction !== "Delete") {
      out.push({
        path: "spec.cloudEventAction",
        reason: `must be "Create", "Delete" or a template rendering one of them (got ${JSON.stringify(s.cloudEventAction)})`,
      });
    }
  }
  templated(out, `${name}-eventSourceName`, s.eventSourceName, ["spec", "eventSourceName"], funcs);
  templated(out, `${name}-profileNameFormat`, s.profileNameFormat, ["spec", "profileNameFormat"], funcs);
  for (const f of ["name", "namespace"] as const) {
    templated(out, `${name}-destinationCluster`, s.destinationCluster?.[f], ["spec", "destinationCluster", f]);
  }
  (s.policyRefs ?? []).forEach((ref, i) => {
    for (const f of ["name", "namespace", "path"] as const)
      templated(out, `${name}-policyRef`, ref[f], ["spec", "policyRefs", i, f], funcs);
  });
  for (const gen of ["configMapGenerator", "secretGenerator"] as const) {
    (s[gen] ?? []).forEach((g, i) => {
      for (const f of ["name", "namespace", "nameFormat"] as const)
        templated(out, `${name}-${gen}`, g[f], ["spec", gen, i, f], funcs);
    });
  }
  if (s.destinationCluster && s.destinationClusterSelector) {
    out.push({
      path: "spec.destinationCluster",
      reason: "destinationCluster and destinationClusterSelector are mutually exclusive",
    });
  }
  out.push(...selectorProblems(s.sourceClusterSelector, ["spec", "sourceClusterSelector"]));
  out.push(...selectorProblems(s.destinationClusterSelector, ["spec", "destinationClusterSelector"]));
  return out;
}

/** Decodes Secret data (base64) to text; ConfigMap data is text already. */
export function dataEntries(obj: KubeObject): [string, string, "data" | "stringData"][] {
  const out: [string, string, "data" | "stringData"][] = [];
  const data = (obj.data ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== "string") continue;
    out.push([k, obj.kind === "Secret" ? Buffer.from(v, "base64").toString("utf8") : v, "data"]);
  }
  if (obj.kind === "Secret") {
    for (const [k, v] of Object.entries((obj.stringData ?? {}) as Record<string, unknown>)) {
      if (typeof v === "string") out.push([k, v, "stringData"]);
    }
  }
  return out;
}

/** Instantiated policyRef ConfigMaps/Secrets: every data value must parse as a Go template. */
export function instantiatedDataProblems(obj: KubeObject): FieldProblem[] {
  if (obj.metadata.annotations?.[INSTANTIATE_ANNOTATION] === undefined) return [];
  const out: FieldProblem[] = [];
  for (const [key, text, field] of dataEntries(obj)) {
    // The rendering trigger (and so the func map) is unknown here: check with the larger text map.
    const why = templateProblem(`${obj.metadata.name}/${key}`, text, "text");
    if (why) out.push({ path: joinPath([field, key]), reason: why });
  }
  return out;
}
