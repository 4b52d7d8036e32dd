/** Errors from the internal bus: connection, topology, publish. */
export class BusError extends Error {
  readonly code: string;
  constructor(code: `EVT_BUS_${string}`, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "BusError";
    this.code = code;
  }
}
