/** Errors raised by the gateway itself (configuration, connections); bad input is a Rejection, not an error. */
export class GatewayError extends Error {
  readonly code: string;
  constructor(code: `EVT_GATEWAY_${string}`, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "GatewayError";
    this.code = code;
  }
}
