// Everything the package implements; mod.ts picks the public surface from here.
export type { ConnectionCheck, StatusSource } from "./connection.js";
export { connectionCheck } from "./connection.js";
export type { SettingProblem, TelemetryErrorCode } from "./errors.js";
export { SettingsError, TelemetryError } from "./errors.js";
export type { CheckResult, HealthOptions, ReadinessCheck, ReadinessReport } from "./http/health.js";
export { health } from "./http/health.js";
export type { MetricsPluginOptions } from "./http/metrics.js";
export { metricsRoute } from "./http/metrics.js";
export type { ServiceHttp, ServiceHttpOptions } from "./http/server.js";
export { startServiceHttp } from "./http/server.js";
export type { LifecycleOptions, ShutdownResult } from "./lifecycle.js";
export { ServiceLifecycle } from "./lifecycle.js";
export type { Logger, LoggerOptions, LogLevel, LogStream } from "./logger.js";
export { createLogger, parseLogLevel } from "./logger.js";
export type { Metrics, MetricsOptions } from "./metrics.js";
export { boundedLabels, createMetrics, LATENCY_BUCKETS } from "./metrics.js";
export type { OtlpSink, SinkSpan } from "./otlp-sink.js";
export { startOtlpSink } from "./otlp-sink.js";
export type { PipelineMetrics, PipelineMetricsOptions } from "./pipeline.js";
export { pipelineMetrics } from "./pipeline.js";
export type { RedactOptions } from "./redact.js";
export { isBodyKey, isSecretKey, REDACTED, redact, redactString } from "./redact.js";
export type {
  SettingRow,
  SettingSpec,
  Settings,
  SettingsSchema,
  SettingsValues,
  SettingType,
} from "./settings.js";
export { defineSettings, SERVICE_SETTINGS } from "./settings.js";
export type {
  Attributes,
  Context,
  HeaderReader,
  Span,
  SpanExporter,
  Tracer,
  Tracing,
  TracingOptions,
} from "./tracing.js";
export {
  extractFromCloudEvent,
  extractTrace,
  extractTraceFromHeaders,
  initTracing,
  injectTrace,
  injectTraceIntoHeaders,
  ROOT_CONTEXT,
  traceFields,
  withSpan,
} from "./tracing.js";
