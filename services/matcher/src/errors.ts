/** Errors from the matcher: invalid criteria, unresolvable triggers, report updates. */
export class MatcherError extends Error {
  readonly code: string;
  constructor(code: `EVT_MATCHER_${string}`, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "MatcherError";
    this.code = code;
  }
}
