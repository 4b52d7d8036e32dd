// What the applier needs from its collaborators, as narrow interfaces. The real implementations are
// libs/config (ConfigStore, ClusterRegistry, KubeConfigStore), libs/gotemplate and libs/telemetry; tests
// can hand in anything with the same shape.

import type {
  ConfigChange,
  ConfigSnapshot,
  ConfigStore,
  EventTrigger,
  KubeClientConfig,
  KubeConfigStore,
  KubeObject,
  LabelSelector,
  PolicyRef,
} from "@evtrigger/config";

export type KubeObjectLike = KubeObject;
export type EventTriggerLike = EventTrigger;
export type PolicyRefLike = PolicyRef;
export type ConfigSnapshotLike = ConfigSnapshot;
export type ConfigChangeLike = ConfigChange;
export type { LabelSelector };

/** The configuration the applier reads (libs/config ConfigStore). */
export type TriggerConfigSource = Pick<ConfigStore, "snapshot" | "onChange">;

/** Status reporting on the management cluster: libs/config's KubeConfigStore; optional. */
export type TriggerStatusSink = Pick<KubeConfigStore, "setCondition" | "recordEvent">;

/** Access to managed clusters (libs/config ClusterRegistry). */
export interface ClusterAccess {
  kubeConfigFor(clusterKey: string): KubeClientConfig | Promise<KubeClientConfig>;
}

/** Go text/template rendering (libs/gotemplate `render`). */
export type TemplateRender = (
  text: string,
  data: Record<string, unknown>,
  opts: { name: string; funcs?: "default" | "text" },
) => string;

export interface LoggerLike {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}
