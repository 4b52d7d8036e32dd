/** Start-up errors of a service (bad settings combinations the schema cannot express). */
export class RuntimeError extends Error {
  readonly code: string;
  constructor(code: `EVT_RUNTIME_${string}`, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "RuntimeError";
    this.code = code;
  }
}
