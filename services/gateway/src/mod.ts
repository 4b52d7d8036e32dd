export type { ClusterStatus, ConnectionStatus, LinkTuning } from "./cluster.js";
export { GatewayError } from "./errors.js";
export type { Ingest, Upstream, UpstreamMessage } from "./ingest.js";
export type { CounterLike, GatewayMetrics, GaugeLike, LoggerLike, MetricsLike, PipelineLike } from "./metrics.js";
export { contentHash, coreMsgId, jetStreamMsgId, rejectMsgId } from "./msgid.js";
export type { ConfigProblem, NatsAuthorization, NatsConnectionConfig, NatsStreamRef } from "./natsconfig.js";
export { parseNatsConfig } from "./natsconfig.js";
export { headerMap, normalizeMessage } from "./normalize/normalize.js";
export type {
  HeaderMap,
  Mode,
  Normalized,
  NormalizedEvent,
  NormalizeLimits,
  RejectCode,
  Rejection,
} from "./normalize/types.js";
export { DEFAULT_LIMITS, rejectLabel } from "./normalize/types.js";
export { otelTrace } from "./otel-trace.js";
export { registrySource } from "./registry-source.js";
export type { Gateway, GatewayDeps, GatewayLimits, GatewayStatus } from "./service.js";
export { DEFAULT_GATEWAY_LIMITS, startGateway } from "./service.js";
export type { ClusterNatsSource, NatsConfigResult } from "./source.js";
export { MemoryClusterSource } from "./source.js";
export { QUEUE_GROUP } from "./sources/core.js";
export { DURABLE as UPSTREAM_DURABLE } from "./sources/jetstream.js";
export type { StatusDocument } from "./status-kv.js";
export { statusKey } from "./status-kv.js";
export type { TraceRunner } from "./trace.js";
export { childTraceparent, parseTraceparent, w3cTrace } from "./trace.js";
