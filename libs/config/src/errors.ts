/** Stable error codes of @evtrigger/config. Wording may change; codes do not. */
export type ConfigErrorCode =
  | "EVT_CONFIG_INVALID"
  | "EVT_CONFIG_YAML"
  | "EVT_CONFIG_IO"
  | "EVT_CONFIG_KUBE"
  | "EVT_CONFIG_NOT_FOUND"
  | "EVT_CONFIG_KUBECONFIG"
  | "EVT_CONFIG_NATS_SECRET"
  | "EVT_CONFIG_CLOSED";

/** The one error class of this package; `code` says what failed, `cause` carries the underlying error. */
export class ConfigError extends Error {
  readonly code: ConfigErrorCode;
  constructor(code: ConfigErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ConfigError";
    this.code = code;
  }
}
