// Everything the package implements; mod.ts picks the public surface.

export type { CrdFile } from "./crds.js";
export { crdFiles, crdManifest } from "./crds.js";
export type { DirConfigStoreOptions } from "./dirStore.js";
export { DirConfigStore, KUBECONFIG_FILE_ANNOTATION } from "./dirStore.js";
export type { ConfigErrorCode } from "./errors.js";
export { ConfigError } from "./errors.js";
export type { KubeClientConfig, KubeCluster, KubeUser } from "./kubeconfig.js";
export { KubeConfig } from "./kubeconfig.js";
export type { Query, WatchEvent } from "./kubeHttp.js";
export { KubeApiError, KubeHttp } from "./kubeHttp.js";
export type { KubeConfigStoreOptions } from "./kubeStore.js";
export { KubeConfigStore, loadKubeConfig, resourceOf, WATCHED } from "./kubeStore.js";
export type { ListWatchHandlers, ListWatchOptions } from "./kubeWatch.js";
export { ListWatch } from "./kubeWatch.js";
export { MemoryConfigStore } from "./memoryStore.js";
export type { NatsConfigResult } from "./natsConfig.js";
export {
  decodeNatsAuthorization,
  NATS_SECRET_KEY,
  NATS_SECRET_NAME,
  NATS_SECRET_NAMESPACE,
  natsPayloadFromSecret,
  parseNatsConfig,
} from "./natsConfig.js";
export type { NatsConfigWatch } from "./registry.js";
export { ClusterRegistry } from "./registry.js";
export type { OpenApiSchema } from "./schemas/common.js";
export { API_GROUP, API_VERSION, conditionSchema, labelSelectorSchema, metadataSchema } from "./schemas/common.js";
export { crdValidator, natsConnectionValidator } from "./schemas/compiled.js";
export type { CrdKind, KindInfo } from "./schemas/kinds.js";
export { CRD_KINDS, isCrdKind, KINDS, objectSchema } from "./schemas/kinds.js";
export { natsAuthorizationSchema, natsConnectionSchema } from "./schemas/nats.js";
export { toAjvSchema } from "./schemas/openapi.js";
export type { ClusterSelection } from "./selector.js";
export { clusterSetMembers, matchesSelector, selectClusters } from "./selector.js";
export { dataEntries, INSTANTIATE_ANNOTATION, regexProblem, TEXT_TEMPLATE_ANNOTATION } from "./semantics.js";
export type { KubeconfigResolver } from "./state.js";
export { ConfigState, kubeconfigFromSecrets, objectKey } from "./state.js";
export { conditionFor, mergeCondition } from "./statusWriter.js";
export type { TemplateFuncs } from "./templates.js";
export { findSingleQuotedString, hasTemplateEngine, isTemplate, templateProblem } from "./templates.js";
export type * from "./types.js";
export type { CheckResult, ProblemSource } from "./validate.js";
export { checkObject, formatProblem, isKnownKind, validateObject } from "./validate.js";
export type { LoadedObject, LoadResult } from "./yamlDocs.js";
export { loadYamlDocuments } from "./yamlDocs.js";
