// The one place where a match's outcome becomes ack, nak (with delay) or term, controller-runtime style:
// success → ack; terminal error → reported, then ack; anything else → nak with backoff or Retry-After.
import { ack, backoffMs, type Decision, nak } from "@evtrigger/bus";
import { ApplierError, isTerminal } from "../errors.js";
import { CONFIG_SYNC_RETRY_MAX_MS } from "./config-sync.js";

export type Outcome = { ok: true } | { ok: false; error: unknown; reported: boolean };

/** Longest delay a Retry-After can impose on a match; the server's hint is honoured up to this. */
export const MAX_RETRY_AFTER_MS = 60_000;

export function decide(o: Outcome, deliveryCount: number): Decision {
  if (o.ok) return ack();
  // A terminal failure is done once it sits in the dead-letter stream; if reporting failed, try again later.
  if (isTerminal(o.error)) return o.reported ? ack() : nak(backoffMs(deliveryCount));
  // A configuration object not in the store yet (config-sync.ts): short backoff, and a last try when the grace ends.
  const graceLeft = o.error instanceof ApplierError ? o.error.graceLeftMs : undefined;
  if (graceLeft !== undefined) {
    return nak(Math.max(100, Math.min(backoffMs(deliveryCount), CONFIG_SYNC_RETRY_MAX_MS, graceLeft + 50)));
  }
  const hinted = o.error instanceof ApplierError ? o.error.retryAfterMs : undefined;
  return nak(hinted !== undefined ? Math.min(Math.max(hinted, 100), MAX_RETRY_AFTER_MS) : backoffMs(deliveryCount));
}
