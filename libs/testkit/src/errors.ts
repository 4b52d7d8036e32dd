/** Raised when the nats-server binary is missing or does not come up. */
export class NatsServerError extends Error {
  readonly code: string;
  constructor(code: "EVT_TESTKIT_NO_BINARY" | "EVT_TESTKIT_START", message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "NatsServerError";
    this.code = code;
  }
}
