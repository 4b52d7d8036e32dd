// policyRefs → the Kubernetes objects to deploy. ConfigMaps and Secrets come from the management-cluster
// snapshot; those annotated projectsveltos.io/instantiate are rendered (each data value on its own),
// others are used verbatim; every value is multi-document YAML.
import { parseAllDocuments } from "yaml";
import { configObjectMissing } from "../decide/config-sync.js";
import type { ConfigSnapshotLike, EventTriggerLike, KubeObjectLike, PolicyRefLike, TemplateRender } from "../deps.js";
import { ApplierError } from "../errors.js";
import { ParsedYamlCache } from "./yaml-cache.js";

export const ANN_INSTANTIATE = "projectsveltos.io/instantiate";
/** Sveltos' spelling (sic): switches the template func map to sprig's TxtFuncMap. */
export const ANN_TEX_TEMPLATE = "projectsveltos.io/tex-template";
export const CLUSTER_PROFILE_SECRET_TYPE = "addons.projectsveltos.io/cluster-profile";
/**
 * Our extension: a comma-separated allow-list of what a trigger may deploy, `Kind` (any group) or
 * `group/Kind` (core group: `/Kind`). A CloudEvent whose data smuggles YAML into a template cannot then create
 * anything else, e.g. a ClusterRoleBinding.
 */
export const ANN_ALLOWED_KINDS = "evtrigger.io/allowed-kinds";

/** Throws EVT_APPLIER_KIND_NOT_ALLOWED for the first object outside the trigger's allow-list, if it has one. */
export function checkAllowedKinds(trigger: EventTriggerLike, objects: readonly RenderedObject[]): void {
  const raw = trigger.metadata.annotations?.[ANN_ALLOWED_KINDS];
  if (raw === undefined) return;
  const allowed = raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const { object, origin } of objects) {
    const i = object.apiVersion.indexOf("/");
    const group = i < 0 ? "" : object.apiVersion.slice(0, i);
    const ok = allowed.some((a) => a === object.kind || a === `${group}/${object.kind}`);
    if (!ok) {
      throw new ApplierError(
        "EVT_APPLIER_KIND_NOT_ALLOWED",
        `EventTrigger ${trigger.metadata.name}: ${origin} renders ${group ? `${group}/` : ""}${object.kind} ` +
          `${object.metadata.name}, which annotation ${ANN_ALLOWED_KINDS} (${raw}) does not allow; nothing was applied`,
        {
          terminal: true,
          object: { kind: "EventTrigger", name: trigger.metadata.name },
          field: `metadata.annotations[${ANN_ALLOWED_KINDS}]`,
        },
      );
    }
  }
}

export interface RenderedObject {
  object: KubeObjectLike;
  /** Create the object's namespace when it is missing (Sveltos' default; policyRef skipNamespaceCreation). */
  createNamespace?: boolean;
  /** Where it came from, for error messages: "ConfigMap default/namespace, key namespace.yaml, document 1". */
  origin: string;
}

export interface PolicyRenderInput {
  trigger: EventTriggerLike;
  snapshot: ConfigSnapshotLike;
  /** Namespace used when a policyRef's namespace renders empty: the destination cluster's. */
  clusterNamespace: string;
  data: Record<string, unknown>;
  render: TemplateRender;
  /** When the match was made: a missing ConfigMap/Secret is retried for a while after it (decide/config-sync.ts). */
  matchedAt?: string;
}

export function renderPolicies(i: PolicyRenderInput): RenderedObject[] {
  const trigger = i.trigger.metadata.name;
  const funcs = i.trigger.metadata.annotations?.[ANN_TEX_TEMPLATE] !== undefined ? "text" : "default";
  const out: RenderedObject[] = [];
  (i.trigger.spec.policyRefs ?? []).forEach((ref, idx) => {
    const field = `spec.policyRefs[${idx}]`;
    const source = resolveRef(i, ref, field);
    if (!source) return;
    const { obj, values } = source;
    const where = `${obj.kind} ${obj.metadata.namespace}/${obj.metadata.name}`;
    const instantiate = obj.metadata.annotations?.[ANN_INSTANTIATE] !== undefined;
    for (const key of Object.keys(values).sort()) {
      let text = values[key]!;
      if (instantiate) {
        try {
          text = i.render(text, i.data, { name: `${where}:${key}`, funcs });
        } catch (err) {
          throw new ApplierError(
            "EVT_APPLIER_TEMPLATE",
            `EventTrigger ${trigger}: ${where}, key ${key}: ${err instanceof Error ? err.message : String(err)}`,
            { terminal: true, cause: err, object: { kind: "EventTrigger", name: trigger }, field },
          );
        }
      }
      for (const r of parseObjects(text, `${where}, key ${key}`, trigger, field)) {
        out.push({ ...r, createNamespace: ref.skipNamespaceCreation !== true });
      }
    }
  });
  checkAllowedKinds(i.trigger, out);
  return out;
}

function resolveRef(
  i: PolicyRenderInput,
  ref: PolicyRefLike,
  field: string,
): { obj: KubeObjectLike; values: Record<string, string> } | undefined {
  const trigger = i.trigger.metadata.name;
  const object = { kind: "EventTrigger", name: trigger };
  if (ref.kind !== "ConfigMap" && ref.kind !== "Secret") {
    throw new ApplierError(
      "EVT_APPLIER_POLICY_KIND",
      `EventTrigger ${trigger}: ${field}.kind ${ref.kind} is not supported (evtrigger deploys ConfigMap and Secret policyRefs)`,
      { terminal: true, object, field: `${field}.kind` },
    );
  }
  const tpl = (f: "name" | "namespace", text: string) => {
    if (!text.includes("{{")) return text;
    try {
      return i.render(text, i.data, { name: `${trigger}.${field}.${f}`, funcs: "default" }).trim();
    } catch (err) {
      throw new ApplierError(
        "EVT_APPLIER_TEMPLATE",
        `EventTrigger ${trigger}: ${field}.${f}: ${err instanceof Error ? err.message : String(err)}`,
        { terminal: true, cause: err, object, field: `${field}.${f}` },
      );
    }
  };
  const name = tpl("name", ref.name);
  const namespace = tpl("namespace", ref.namespace ?? "") || i.clusterNamespace;
  const key = `${namespace}/${name}`;
  const obj = (ref.kind === "ConfigMap" ? i.snapshot.configMaps : i.snapshot.secrets).get(key);
  if (!obj) {
    if (ref.optional) return undefined;
    // Present but rejected by the store's validation: known, so no waiting for it to arrive.
    const problems = i.snapshot.invalid.get(`${ref.kind}/${key}`);
    if (problems?.length) {
      const why = problems.map((p) => (p.path ? `${p.path}: ${p.reason}` : p.reason)).join("; ");
      throw new ApplierError(
        "EVT_APPLIER_POLICY_INVALID",
        `EventTrigger ${trigger}: ${field} references ${ref.kind} ${key}, which is invalid: ${why}`,
        { terminal: true, object, field },
      );
    }
    throw configObjectMissing(
      "EVT_APPLIER_POLICY_NOT_FOUND",
      `EventTrigger ${trigger}: ${field} references ${ref.kind} ${key}, which does not exist (set optional: true to allow that)`,
      {
        // A templated ref names a different object per event: confirmed missing per ref, so events naming
        // nonexistent objects cannot each hold a match for a whole grace.
        missing:
          ref.name.includes("{{") || ref.namespace?.includes("{{") ? `${trigger} ${field}` : `${ref.kind} ${key}`,
        matchedAt: i.matchedAt,
        object,
        field,
      },
    );
  }
  if (ref.kind === "ConfigMap") {
    const values: Record<string, string> = { ...((obj.data as Record<string, string> | undefined) ?? {}) };
    return { obj, values };
  }
  if (obj.type !== CLUSTER_PROFILE_SECRET_TYPE) {
    throw new ApplierError(
      "EVT_APPLIER_POLICY_KIND",
      `EventTrigger ${trigger}: ${field} references Secret ${key} of type ${String(obj.type ?? "Opaque")}; ` +
        `Secrets holding resources must have type ${CLUSTER_PROFILE_SECRET_TYPE}`,
      { terminal: true, object, field },
    );
  }
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries((obj.data as Record<string, string> | undefined) ?? {})) {
    values[k] = Buffer.from(v, "base64").toString("utf8");
  }
  for (const [k, v] of Object.entries((obj.stringData as Record<string, string> | undefined) ?? {})) values[k] = v;
  return { obj, values };
}

const parsedTexts = new ParsedYamlCache();

/** Parses multi-document YAML into objects; a syntax error names the source, key and line. */
export function parseObjects(text: string, where: string, trigger: string, field: string): RenderedObject[] {
  const object = { kind: "EventTrigger", name: trigger };
  const out: RenderedObject[] = [];
  const add = (value: unknown, n: number) => {
    if (value === null || value === undefined) return;
    const origin = `${where}, document ${n + 1}`;
    const o = value as Partial<KubeObjectLike>;
    const missing = !isRecord(value)
      ? "is not a mapping"
      : typeof o.apiVersion !== "string" || !o.apiVersion
        ? "has no apiVersion"
        : typeof o.kind !== "string" || !o.kind
          ? "has no kind"
          : !isRecord(o.metadata) || typeof o.metadata.name !== "string" || !o.metadata.name
            ? "has no metadata.name"
            : undefined;
    if (missing) {
      throw new ApplierError("EVT_APPLIER_OBJECT", `EventTrigger ${trigger}: ${origin} ${missing}`, {
        terminal: true,
        object,
        field,
      });
    }
    out.push({ object: value as KubeObjectLike, origin });
  };
  const cached = parsedTexts.get(text);
  if (cached) {
    cached.forEach(add);
    return out;
  }
  const docs = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: false });
  // A YAML stream with no documents parses to an empty array; the type admits a special EmptyStream.
  const list = Array.isArray(docs) ? docs : [];
  if (!list.some((doc) => doc.errors.length)) {
    const values = parsedTexts.set(
      text,
      list.map((doc) => doc.toJS() as unknown),
    );
    values.forEach(add);
    return out;
  }
  list.forEach((doc, n) => {
    const err = doc.errors[0];
    if (err) {
      const line = err.linePos?.[0]?.line;
      throw new ApplierError(
        "EVT_APPLIER_YAML",
        `EventTrigger ${trigger}: ${where}: invalid YAML${line ? ` at line ${line}` : ""}: ${err.message.split("\n")[0]}`,
        { terminal: true, cause: err, object, field },
      );
    }
    add(doc.toJS(), n);
  });
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
