/**
 * Errors of the applier. `terminal` says whether retrying the same match can ever succeed: a bad template,
 * a missing ConfigMap or a 4xx validation error will not fix themselves (the match goes to the dead-letter
 * stream and a condition on the EventTrigger), a 429/5xx or a timeout will (the match is nak'ed with a delay).
 */
export type ApplierErrorCode =
  | "EVT_APPLIER_ACTION"
  | "EVT_APPLIER_TEMPLATE"
  | "EVT_APPLIER_POLICY_NOT_FOUND"
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
   * For failures that a configuration sync in flight can explain (a ConfigMap applied together with its
   * EventTrigger, not yet in this replica's store): retried this many deliveries before counting as terminal.
   */
  readonly graceDeliveries?: number;

  constructor(
    code: ApplierErrorCode,
    message: string,
    o: {
      terminal: boolean;
      cause?: unknown;
      object?: { kind: string; name: string; namespace?: string };
      field?: string;
      retryAfterMs?: number;
      graceDeliveries?: number;
    },
  ) {
    super(message, o.cause === undefined ? undefined : { cause: o.cause });
    this.name = "ApplierError";
    this.code = code;
    this.terminal = o.terminal;
    this.object = o.object;
    this.field = o.field;
    this.retryAfterMs = o.retryAfterMs;
    this.graceDeliveries = o.graceDeliveries;
  }
}

/** Deliveries a "not found" gets before it is terminal: ~4 s of backoff, far longer than a config sync. */
export const CONFIG_SYNC_GRACE_DELIVERIES = 5;

/**
 * Unknown throwables (bugs, network errors outside the client) are treated as transient. A terminal error with a
 * grace period is transient until the message has been delivered that many times.
 */
export function isTerminal(err: unknown, deliveryCount = Number.POSITIVE_INFINITY): boolean {
  return err instanceof ApplierError && err.terminal && deliveryCount >= (err.graceDeliveries ?? 0);
}
