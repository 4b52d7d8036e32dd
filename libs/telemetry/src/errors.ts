/** Stable codes of every failure @evtrigger/telemetry raises. Wording may change; codes do not. */
export type TelemetryErrorCode =
  | "EVT_TELEMETRY_LOG_LEVEL"
  | "EVT_TELEMETRY_METRIC_NAME"
  | "EVT_TELEMETRY_METRIC_CONFLICT"
  | "EVT_TELEMETRY_ROUTE_SCHEMA"
  | "EVT_TELEMETRY_HTTP_OPTIONS"
  | "EVT_TELEMETRY_HTTP_LISTEN"
  | "EVT_TELEMETRY_TRACING_EXPORTER"
  | "EVT_TELEMETRY_SETTINGS_SCHEMA"
  | "EVT_TELEMETRY_SETTINGS";

/** Base class of this package's errors: `code` says what failed, `cause` carries the underlying error. */
export class TelemetryError extends Error {
  readonly code: TelemetryErrorCode;
  constructor(code: TelemetryErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TelemetryError";
    this.code = code;
  }
}

/** One bad setting: which setting, where it came from (env var or flag) and what is wrong. */
export interface SettingProblem {
  setting: string;
  env: string;
  flag?: string;
  source: "env" | "flag" | "default" | "argv";
  message: string;
}

/**
 * Configuration from env/argv is invalid. `problems` lists every bad setting at once (not only the first), and the
 * message names each environment variable or flag so an operator can fix a manifest in one go.
 */
export class SettingsError extends TelemetryError {
  readonly problems: SettingProblem[];
  constructor(problems: SettingProblem[], options?: ErrorOptions) {
    super("EVT_TELEMETRY_SETTINGS", `invalid configuration:\n${problems.map(describeProblem).join("\n")}`, options);
    this.name = "SettingsError";
    this.problems = problems;
  }
}

function describeProblem(p: SettingProblem): string {
  const where = p.source === "flag" || p.source === "argv" ? (p.flag ?? p.env) : p.env;
  return `  - ${where}: ${p.message}`;
}
