// Public shapes of the configuration model. Field names follow Sveltos' Go json tags exactly, so users'
// Sveltos YAML maps 1:1. Rarely used EventTrigger sections (helm, kustomize, checks) are typed loosely:
// the JSON Schema still validates every one of their fields.

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  [extra: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** metav1.Condition as written by the Kubernetes store (`status.conditions`). */
export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

export interface MessagingMatchCriteria {
  subject?: string;
  cloudEventSource?: string;
  cloudEventType?: string;
  cloudEventSubject?: string;
}

export interface EventSource extends KubeObject {
  apiVersion: "lib.projectsveltos.io/v1beta1";
  kind: "EventSource";
  spec: {
    messagingMatchCriteria?: MessagingMatchCriteria[];
    resourceSelectors?: Record<string, unknown>[];
    aggregatedSelection?: string;
    collectResources: boolean;
  };
  status?: { conditions?: Condition[] };
}

export type SyncMode = "OneTime" | "Continuous" | "ContinuousWithDriftDetection" | "DryRun";
export type StopMatchingBehavior = "WithdrawPolicies" | "LeavePolicies";

export interface PolicyRef {
  kind: "ConfigMap" | "Secret" | "GitRepository" | "OCIRepository" | "Bucket";
  name: string;
  namespace?: string;
  path?: string;
  deploymentType?: "Local" | "Remote";
  optional?: boolean;
  tier?: number;
  skipNamespaceCreation?: boolean;
  [extra: string]: unknown;
}

export interface GeneratorRef {
  name: string;
  namespace?: string;
  nameFormat: string;
  optional?: boolean;
}

export interface ObjectReference {
  kind?: string;
  name?: string;
  namespace?: string;
  apiVersion?: string;
  [extra: string]: unknown;
}

export interface EventTriggerSpec {
  sourceClusterSelector: LabelSelector;
  clusterSetRefs?: string[];
  destinationClusterSelector?: LabelSelector;
  destinationCluster?: ObjectReference;
  eventSourceName: string;
  oneForEvent: boolean;
  profileNameFormat?: string;
  configMapGenerator?: GeneratorRef[];
  secretGenerator?: GeneratorRef[];
  syncMode: SyncMode;
  tier: number;
  continueOnConflict: boolean;
  maxUpdate?: number | string;
  stopMatchingBehavior: StopMatchingBehavior;
  reloader: boolean;
  cloudEventAction: string;
  policyRefs?: PolicyRef[];
  helmCharts?: Record<string, unknown>[];
  kustomizationRefs?: Record<string, unknown>[];
  templateResourceRefs?: Record<string, unknown>[];
  patchesFrom?: Record<string, unknown>[];
  patches?: Record<string, unknown>[];
  dependsOn?: string[];
  preDeployChecks?: Record<string, unknown>[];
  validateHealths?: Record<string, unknown>[];
  preDeleteChecks?: Record<string, unknown>[];
  postDeleteChecks?: Record<string, unknown>[];
  driftExclusions?: Record<string, unknown>[];
  extraLabels?: Record<string, string>;
  extraAnnotations?: Record<string, string>;
}

export interface EventTrigger extends KubeObject {
  apiVersion: "lib.projectsveltos.io/v1beta1";
  kind: "EventTrigger";
  spec: EventTriggerSpec;
  status?: { conditions?: Condition[]; [extra: string]: unknown };
}

export interface SveltosCluster extends KubeObject {
  apiVersion: "lib.projectsveltos.io/v1beta1";
  kind: "SveltosCluster";
  spec: {
    kubeconfigName?: string;
    kubeconfigKeyName?: string;
    paused?: boolean;
    [extra: string]: unknown;
  };
  status?: { ready?: boolean; [extra: string]: unknown };
}

export interface ClusterSet extends KubeObject {
  apiVersion: "lib.projectsveltos.io/v1beta1";
  kind: "ClusterSet";
  spec: { clusterSelector?: LabelSelector; clusterRefs?: ObjectReference[]; maxReplicas?: number };
  status?: { selectedClusterRefs?: ObjectReference[]; matchingClusterRefs?: ObjectReference[] };
}

/** Sveltos' `projectsveltos/sveltos-nats` Secret payload (key `sveltos-nats`), plus our nkey/creds extensions. */
export interface NatsAuthorization {
  user?: { user: string; password: string };
  token?: string;
  /** base64 of PEM (Go []byte); raw PEM accepted too. Decoded forms: see DecodedNatsAuthorization. */
  clientCert?: { certPem: string; keyPem: string };
  rootCA?: string;
  /** Extension: an nkey seed (`SU...`). */
  nkey?: { seed: string };
  /** Extension: a `.creds` file, as text or base64. */
  creds?: string;
}

export interface NatsStreamRef {
  name: string;
  subjects: string[];
}

export interface NatsConnectionConfig {
  nats?: { configuration: { url: string; subjects: string[]; authorization?: NatsAuthorization } };
  jetstream?: {
    configuration: {
      url: string;
      /** Code form (sveltos-agent): each entry is a stream name bound with durable consumer `sveltos-agent`. */
      subjects?: string[];
      /** Docs form. */
      streams?: NatsStreamRef[];
      authorization?: NatsAuthorization;
    };
  };
}

/** An authorization block with PEM material decoded to text, ready for a NATS client. */
export interface DecodedNatsAuthorization {
  user?: { user: string; password: string };
  token?: string;
  clientCert?: { certPem: string; keyPem: string };
  rootCA?: string;
  nkeySeed?: string;
  creds?: string;
}

export type ConfigKind = "EventSource" | "EventTrigger" | "SveltosCluster" | "ClusterSet" | "ConfigMap" | "Secret";

export interface ValidationProblem {
  kind: string;
  name: string;
  /** Dotted field path, e.g. `spec.messagingMatchCriteria[0].cloudEventSource`; "" for the whole object. */
  path: string;
  reason: string;
  file?: string;
  /** 1-based document index in `file`. */
  doc?: number;
  /** 1-based line, for YAML syntax errors. */
  line?: number;
}

/** A managed cluster as the registry sees it. `key` is "namespace/name". */
export interface ClusterEntry {
  key: string;
  namespace: string;
  name: string;
  kind: "SveltosCluster";
  labels: Record<string, string>;
  /** Kubeconfig YAML text when resolved (Secret or file content). */
  kubeconfig?: string;
  /** File the kubeconfig came from (directory source). */
  kubeconfigPath?: string;
  /** Why the kubeconfig is missing, if it is. */
  kubeconfigError?: string;
  object: SveltosCluster;
}

export interface ConfigSnapshot {
  readonly eventSources: ReadonlyMap<string, EventSource>;
  readonly eventTriggers: ReadonlyMap<string, EventTrigger>;
  readonly clusters: ReadonlyMap<string, ClusterEntry>;
  readonly clusterSets: ReadonlyMap<string, ClusterSet>;
  readonly configMaps: ReadonlyMap<string, KubeObject>;
  readonly secrets: ReadonlyMap<string, KubeObject>;
  /** "Kind/name" (namespaced: "Kind/ns/name") → problems. Invalid objects are in no other map. */
  readonly invalid: ReadonlyMap<string, ValidationProblem[]>;
  /** Increments with every change. */
  readonly version: number;
}

export interface ConfigChange {
  type: "added" | "modified" | "deleted";
  kind: ConfigKind;
  /** name for cluster-scoped kinds, "ns/name" for namespaced ones. */
  key: string;
  object?: KubeObject;
}

/**
 * What a store has taken in from its source so far: lets a test or an operator ask "has this service got the
 * configuration I just applied?" instead of guessing from side effects. Read-only, no object contents.
 */
export interface ConfigObservation {
  source: "kubernetes" | "directory" | "memory";
  /** snapshot().version: increments with every committed change. */
  version: number;
  /**
   * Kubernetes: per watched kind, the resourceVersion of the last list, watch event or bookmark whose changes are
   * committed (change listeners told); "" until the first list. An object applied with resourceVersion R is in the
   * snapshot once its kind's value is >= R (resourceVersions of one API server compare as integers).
   */
  kinds?: Partial<Record<ConfigKind, string>>;
  /** Directory: completed scans, and per YAML file (path relative to the directory) the sha256 of what was read. */
  scans?: number;
  files?: Record<string, string>;
}

export interface ConfigStore {
  start(): Promise<void>;
  close(): Promise<void>;
  snapshot(): ConfigSnapshot;
  onChange(listener: (change: ConfigChange) => void): () => void;
  /** What has been observed of the source (see ConfigObservation); optional for embedders' own stores. */
  observed?(): ConfigObservation;
  readonly ready: boolean;
  readonly lastError: Error | undefined;
}
