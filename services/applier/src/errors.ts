/**
 * Errors of the applier. `terminal` says whether retrying the same match can ever succeed: a bad template,
 * a missing ConfigMap or a 4xx validation error will not fix themselves (the match goes to the dead-letter
 * stream and a condition on the EventTrigger), a 429/5xx or a timeout will (the match is nak'ed with a delay).
 */
export type ApplierErrorCode =
  | "EVT_APPLIER_ACTION"
  | "EVT_APPLIER_TEMPLATE"
  | "EVT_APPLIER_POLICY_NOT_FOUND"
  | "EVT_APPLIER_POLICY_INVALID"
  | "EVT_APPLIER_POLICY_KIND"
  | "EVT_APPLIER_YAML"
  | "EVT_APPLIER_OBJECT"
  | "EVT_APPLIER_KIND_NOT_ALLOWED"
  | "EVT_APPLIER_TRIGGER_NOT_FOUND"
  | "EVT_APPLIER_CLUSTER"
  | "EVT_APPLIER_DESTINATION"
  | "EVT_APPLIER_K8S_REJECTED"
  | "EVT_APPLIER_K8S_TRANSIENT"
  | "EVT_APPLIER_K8S_UNKNOWN_KIND"
  | "EVT_APPLIER_INVENTORY"
  | "EVT_APPLIER_RECORD";

export class ApplierError extends Error {
  readonly code: ApplierErrorCode;
  /** True when retrying cannot help. */
  readonly terminal: boolean;
  /** The object the failure belongs to, for conditions and dead letters. */
  readonly object?: { kind: string; name: string; namespace?: string };
  /** Dotted field path inside `object`, when known. */
  readonly field?: string;
  /** Server-suggested delay (Retry-After), ms. */
  readonly retryAfterMs?: number;
  /**
   * A configuration object this replica's store does not have, while it may still be on its way
   * (decide/config-sync.ts): not terminal; retried with backoff, at the latest this many ms from now.
   */
  readonly graceLeftMs?: number;

  constructor(
    code: ApplierErrorCode,
    message: string,
    o: {
      terminal: boolean;
      cause?: unknown;
      object?: { kind: string; name: string; namespace?: string };
      field?: string;
      retryAfterMs?: number;
      graceLeftMs?: number;
    },
  ) {
    super(message, o.cause === undefined ? undefined : { cause: o.cause });
    this.name = "ApplierError";
    this.code = code;
    this.terminal = o.terminal;
    this.object = o.object;
    this.field = o.field;
    this.retryAfterMs = o.retryAfterMs;
    this.graceLeftMs = o.graceLeftMs;
  }
}

/** Unknown throwables (bugs, network errors outside the client) are treated as transient. */
export function isTerminal(err: unknown): boolean {
  return err instanceof ApplierError && err.terminal;
}
