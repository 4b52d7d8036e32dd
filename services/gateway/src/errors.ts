/** Errors raised by the gateway itself (configuration, connections); bad input is a Rejection, not an error. */
export class GatewayError extends Error {
  readonly code: string;
  /** The configuration field at fault, e.g. `nats.configuration.subjects[1]`. */
  readonly field?: string;
  constructor(code: `EVT_GATEWAY_${string}`, message: string, options?: ErrorOptions & { field?: string }) {
    super(message, options);
    this.name = "GatewayError";
    this.code = code;
    this.field = options?.field;
  }
}
