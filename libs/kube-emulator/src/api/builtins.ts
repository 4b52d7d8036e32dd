import type { ResourceType } from "./types.js";

const META = ["apiVersion", "kind", "metadata"];

function builtin(
  group: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  opts: { shortNames?: string[]; hasStatus?: boolean; fields: string[]; categories?: string[] },
): ResourceType {
  return {
    group,
    versions: ["v1"],
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    shortNames: opts.shortNames ?? [],
    categories: opts.categories ?? [],
    hasStatus: opts.hasStatus ?? false,
    builtin: true,
    topLevelFields: [...META, ...opts.fields],
  };
}

const RBAC = "rbac.authorization.k8s.io";

/** The built-in kinds the emulator serves (all at v1). */
export function builtinTypes(): ResourceType[] {
  return [
    builtin("", "Namespace", "namespaces", false, { shortNames: ["ns"], hasStatus: true, fields: ["spec", "status"] }),
    builtin("", "ConfigMap", "configmaps", true, {
      shortNames: ["cm"],
      fields: ["data", "binaryData", "immutable"],
    }),
    builtin("", "Secret", "secrets", true, { fields: ["data", "stringData", "type", "immutable"] }),
    builtin("", "ServiceAccount", "serviceaccounts", true, {
      shortNames: ["sa"],
      fields: ["secrets", "imagePullSecrets", "automountServiceAccountToken"],
    }),
    builtin("", "Service", "services", true, {
      shortNames: ["svc"],
      hasStatus: true,
      fields: ["spec", "status"],
      categories: ["all"],
    }),
    // Pods are stored and served (kubectl and RBAC rules refer to them); nothing schedules or runs them.
    builtin("", "Pod", "pods", true, {
      shortNames: ["po"],
      hasStatus: true,
      fields: ["spec", "status"],
      categories: ["all"],
    }),
    builtin("", "Event", "events", true, {
      shortNames: ["ev"],
      fields: [
        "involvedObject",
        "reason",
        "message",
        "source",
        "firstTimestamp",
        "lastTimestamp",
        "count",
        "type",
        "eventTime",
        "series",
        "action",
        "related",
        "reportingComponent",
        "reportingInstance",
      ],
    }),
    // events.k8s.io/v1 Events are stored apart from core/v1 ones (the real server shares one storage).
    builtin("events.k8s.io", "Event", "events", true, {
      shortNames: ["ev"],
      fields: [
        "eventTime",
        "series",
        "reportingController",
        "reportingInstance",
        "action",
        "reason",
        "regarding",
        "related",
        "note",
        "type",
        "deprecatedSource",
        "deprecatedFirstTimestamp",
        "deprecatedLastTimestamp",
        "deprecatedCount",
      ],
    }),
    builtin("apps", "Deployment", "deployments", true, {
      shortNames: ["deploy"],
      hasStatus: true,
      fields: ["spec", "status"],
      categories: ["all"],
    }),
    // Stored and served so deployment manifests apply (nothing evicts pods here).
    builtin("policy", "PodDisruptionBudget", "poddisruptionbudgets", true, {
      shortNames: ["pdb"],
      hasStatus: true,
      fields: ["spec", "status"],
    }),
    builtin(RBAC, "Role", "roles", true, { fields: ["rules"] }),
    builtin(RBAC, "RoleBinding", "rolebindings", true, { fields: ["subjects", "roleRef"] }),
    builtin(RBAC, "ClusterRole", "clusterroles", false, { fields: ["rules", "aggregationRule"] }),
    builtin(RBAC, "ClusterRoleBinding", "clusterrolebindings", false, { fields: ["subjects", "roleRef"] }),
    builtin("apiextensions.k8s.io", "CustomResourceDefinition", "customresourcedefinitions", false, {
      shortNames: ["crd", "crds"],
      hasStatus: true,
      fields: ["spec", "status"],
      categories: ["api-extensions"],
    }),
  ];
}
