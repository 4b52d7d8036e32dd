// Decoding EVT_EVENTS messages. The gateway validated the CloudEvent already; this only guards the shape the
// matcher relies on, so a corrupt or foreign message becomes a dead letter with a precise reason.
import { decodeRecord, type EventEnvelope } from "@evtrigger/bus";
import { MatcherError } from "./errors.js";

const isStr = (v: unknown): v is string => typeof v === "string";

export function decodeEnvelope(data: Uint8Array): EventEnvelope {
  let env: EventEnvelope;
  try {
    env = decodeRecord<EventEnvelope>(data);
  } catch (err) {
    throw new MatcherError("EVT_MATCHER_BAD_ENVELOPE", "event envelope is not valid JSON", { cause: err });
  }
  const bad = (field: string, why: string) =>
    new MatcherError("EVT_MATCHER_BAD_ENVELOPE", `event envelope field ${field} ${why}`);
  if (!env || typeof env !== "object") throw bad("(root)", "must be an object");
  if (env.v !== 1) throw bad("v", `must be 1 (got ${JSON.stringify(env.v)})`);
  if (!env.cluster || !isStr(env.cluster.namespace) || !isStr(env.cluster.name)) {
    throw bad("cluster", "must have string namespace and name");
  }
  const ce = env.event;
  if (!ce || typeof ce !== "object") throw bad("event", "must be a CloudEvent object");
  for (const f of ["id", "source", "type"] as const) if (!isStr(ce[f])) throw bad(`event.${f}`, "must be a string");
  if (ce.subject !== undefined && !isStr(ce.subject)) throw bad("event.subject", "must be a string when present");
  if (env.natsSubject !== undefined && !isStr(env.natsSubject)) throw bad("natsSubject", "must be a string");
  if (env.subscription !== undefined && !isStr(env.subscription)) throw bad("subscription", "must be a string");
  return env;
}

/** The ordering key of an event: events with the same CE source and subject are handled one after the other. */
export function orderingKey(env: EventEnvelope): string {
  return `${env.event.source}\u0000${env.event.subject ?? ""}`;
}

/** The partition key of a match record: (trigger, CE source, CE subject). */
export function matchKey(trigger: string, env: EventEnvelope): string {
  return `${trigger}|${env.event.source}|${env.event.subject ?? ""}`;
}
