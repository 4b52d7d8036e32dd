// The four Sveltos kinds we serve: their API coordinates and full object schemas (OpenAPI v3 / CRD form).
// Spec and status come from the imported upstream schemas; we add status.conditions for write-back.
import { API_GROUP, conditionsSchema, type OpenApiSchema } from "./common.js";
import { clusterSetUpstream } from "./upstream/clusterSet.js";
import { eventSourceUpstream } from "./upstream/eventSource.js";
import { eventTriggerUpstream } from "./upstream/eventTrigger.js";
import { sveltosClusterUpstream } from "./upstream/sveltosCluster.js";

export type CrdKind = "EventSource" | "EventTrigger" | "SveltosCluster" | "ClusterSet";

export interface KindInfo {
  kind: CrdKind;
  group: string;
  version: "v1beta1";
  plural: string;
  singular: string;
  scope: "Cluster" | "Namespaced";
  shortNames?: string[];
  spec: OpenApiSchema;
  status: OpenApiSchema;
  /** kubectl get columns. */
  printerColumns?: { name: string; type: string; jsonPath: string }[];
}

function withConditions(status: OpenApiSchema): OpenApiSchema {
  const props = (status.properties as Record<string, OpenApiSchema> | undefined) ?? {};
  return { ...status, type: "object", properties: { ...props, conditions: conditionsSchema } };
}

/** Our additions to upstream specs: explicit defaults for fields whose Go zero value is the default. */
function withDefaults(spec: OpenApiSchema, defaults: Record<string, unknown>): OpenApiSchema {
  const props = { ...(spec.properties as Record<string, OpenApiSchema>) };
  for (const [field, value] of Object.entries(defaults)) props[field] = { ...props[field], default: value };
  return { ...spec, properties: props };
}

const validColumns = [
  { name: "Valid", type: "string", jsonPath: '.status.conditions[?(@.type=="Valid")].status' },
  { name: "Reason", type: "string", jsonPath: '.status.conditions[?(@.type=="Valid")].reason' },
];

// `as OpenApiSchema` drops the deep readonly literal types of the imported constants.
export const KINDS: Record<CrdKind, KindInfo> = {
  EventSource: {
    kind: "EventSource",
    group: API_GROUP,
    version: "v1beta1",
    plural: "eventsources",
    singular: "eventsource",
    scope: "Cluster",
    spec: eventSourceUpstream.spec as unknown as OpenApiSchema,
    status: withConditions(eventSourceUpstream.status as unknown as OpenApiSchema),
    printerColumns: validColumns,
  },
  EventTrigger: {
    kind: "EventTrigger",
    group: API_GROUP,
    version: "v1beta1",
    plural: "eventtriggers",
    singular: "eventtrigger",
    scope: "Cluster",
    spec: withDefaults(eventTriggerUpstream.spec as unknown as OpenApiSchema, { oneForEvent: false }),
    status: withConditions(eventTriggerUpstream.status as unknown as OpenApiSchema),
    printerColumns: [
      { name: "EventSource", type: "string", jsonPath: ".spec.eventSourceName" },
      { name: "SyncMode", type: "string", jsonPath: ".spec.syncMode" },
      ...validColumns,
    ],
  },
  SveltosCluster: {
    kind: "SveltosCluster",
    group: API_GROUP,
    version: "v1beta1",
    plural: "sveltosclusters",
    singular: "sveltoscluster",
    scope: "Namespaced",
    spec: sveltosClusterUpstream.spec as unknown as OpenApiSchema,
    status: sveltosClusterUpstream.status as unknown as OpenApiSchema,
    printerColumns: [{ name: "Ready", type: "boolean", jsonPath: ".status.ready" }],
  },
  ClusterSet: {
    kind: "ClusterSet",
    group: API_GROUP,
    version: "v1beta1",
    plural: "clustersets",
    singular: "clusterset",
    scope: "Cluster",
    spec: clusterSetUpstream.spec as unknown as OpenApiSchema,
    status: clusterSetUpstream.status as unknown as OpenApiSchema,
  },
};

export const CRD_KINDS = Object.keys(KINDS) as CrdKind[];

export function isCrdKind(kind: unknown): kind is CrdKind {
  return typeof kind === "string" && kind in KINDS;
}

/** The whole object's schema (CRD openAPIV3Schema) for one kind. */
export function objectSchema(info: KindInfo): OpenApiSchema {
  return {
    type: "object",
    properties: {
      apiVersion: { type: "string" },
      kind: { type: "string" },
      metadata: { type: "object" },
      spec: info.spec,
      status: info.status,
    },
  };
}
