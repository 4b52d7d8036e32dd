// A missing EventTrigger or policyRef right after a match: "not in this replica's config store yet" or "missing"?
// Objects applied together (`kubectl apply` of a trigger and its ConfigMap) reach the matcher's and the applier's
// watches moments apart, so the first match can be handled before the applier has them. Sveltos, level-based,
// deploys once it sees them; here the match is retried for a bounded grace after it was made, and dead-lettered
// (a policyRef) or dropped (a deleted trigger) only if the object is still missing then. A replayed dead letter
// keeps its old match time, so a replay's verdict is immediate.
import { ApplierError } from "../errors.js";

export const CONFIG_SYNC_GRACE_MS = 10_000;
/** Longest pause between tries during the grace: a lagging store is caught up within milliseconds, normally. */
export const CONFIG_SYNC_RETRY_MAX_MS = 1_000;
/** How long an object whose grace ran out counts as really missing (no grace for its next matches). */
export const CONFIRMED_MISSING_MS = 60_000;
const CONFIRMED_MISSING_MAX = 1_000;

/** ms left of the grace of a match made at `matchedAt` (ISO time); 0 when over or unknown. */
export function configSyncGraceLeftMs(matchedAt: string | undefined, now = Date.now()): number {
  const at = matchedAt ? Date.parse(matchedAt) : Number.NaN;
  if (!Number.isFinite(at)) return 0;
  // A matcher clock ahead of ours must not stretch the grace.
  return Math.min(CONFIG_SYNC_GRACE_MS, Math.max(0, at + CONFIG_SYNC_GRACE_MS - now));
}

// Objects whose grace ran out, by description, with the time it did. Without it, a policyRef with a typo under an
// event storm would hold every match for the whole grace, and with them the consumer's ack-pending slots that
// other triggers need; with it only the matches of the first grace period wait.
const confirmedMissing = new Map<string, number>();

function recentlyConfirmedMissing(what: string, now: number): boolean {
  const at = confirmedMissing.get(what);
  if (at === undefined) return false;
  if (now - at < CONFIRMED_MISSING_MS) return true;
  confirmedMissing.delete(what);
  return false;
}

function confirmMissing(what: string, now: number): void {
  confirmedMissing.delete(what); // re-inserted last: the map's order is oldest first
  confirmedMissing.set(what, now);
  if (confirmedMissing.size > CONFIRMED_MISSING_MAX) {
    confirmedMissing.delete(confirmedMissing.keys().next().value as string);
  }
}

/**
 * The error for a configuration object the match needs and the store lacks: retried (graceLeftMs) while the
 * match is young and the object was not just found missing by another match, else terminal. `missing` names
 * the object, e.g. "ConfigMap default/x".
 */
export function configObjectMissing(
  code: "EVT_APPLIER_POLICY_NOT_FOUND" | "EVT_APPLIER_TRIGGER_NOT_FOUND",
  message: string,
  o: {
    missing: string;
    matchedAt?: string;
    object: { kind: string; name: string; namespace?: string };
    field?: string;
    now?: number;
  },
): ApplierError {
  const now = o.now ?? Date.now();
  const left = recentlyConfirmedMissing(o.missing, now) ? 0 : configSyncGraceLeftMs(o.matchedAt, now);
  // A match retried through its grace (not an old replay) proves the object missing for a while.
  const age = now - Date.parse(o.matchedAt ?? "");
  if (left === 0 && age >= CONFIG_SYNC_GRACE_MS && age < 2 * CONFIG_SYNC_GRACE_MS) confirmMissing(o.missing, now);
  return new ApplierError(code, message, {
    terminal: left === 0,
    object: o.object,
    ...(o.field ? { field: o.field } : {}),
    ...(left > 0 ? { graceLeftMs: left } : {}),
  });
}
