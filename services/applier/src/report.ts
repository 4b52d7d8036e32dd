// Reporting terminal failures where users look: the dead-letter stream, a condition and a Kubernetes Event on
// the EventTrigger. Success after a failure clears the condition (only then: one status write per recovery,
// not per event).
import { type Bus, deadLetter, type MatchRecord, STREAMS, truncateBody } from "@evtrigger/bus";
import type { LoggerLike, TriggerStatusSink } from "./deps.js";
import { ApplierError } from "./errors.js";

export const CONDITION_TYPE = "EventsApplied";

export interface Reporter {
  failed(match: MatchRecord, err: unknown, origin?: { seq: number; subject: string }, body?: Uint8Array): Promise<void>;
  succeeded(trigger: string): void;
}

/** Per trigger, repeated failures with the same reason write status at most this often (an event storm must
 * not become a Kubernetes API storm); every failure still gets its dead letter. */
export const STATUS_MIN_INTERVAL_MS = 10_000;

export function reporter(
  bus: Bus,
  status: TriggerStatusSink | undefined,
  logger: LoggerLike,
  now: () => number = Date.now,
): Reporter {
  const failing = new Set<string>();
  const lastWrite = new Map<string, { code: string; at: number }>();
  return {
    async failed(match, err, origin, body) {
      const e = err instanceof ApplierError ? err : undefined;
      const code = e?.code ?? "EVT_APPLIER_UNEXPECTED";
      const reason = err instanceof Error ? err.message : String(err);
      await deadLetter(
        bus.js,
        {
          stage: "applier",
          code,
          reason,
          cluster: match.cluster,
          natsSubject: match.natsSubject,
          object: e?.object ?? { kind: "EventTrigger", name: match.eventTrigger },
          ...(e?.field ? { field: e.field } : {}),
          ...(origin ? { origin: { stream: STREAMS.matches.name, ...origin } } : {}),
          ...(body ? truncateBody(body) : {}),
        },
        // The match's stream sequence too: a redelivery dedups, an `evtctl dlq replay` that fails again is a new letter.
        `${match.eventTrigger}:${match.eventMsgId}${origin ? `:${origin.seq}` : ""}`,
      );
      logger.warn("match failed permanently; dead-lettered", {
        trigger: match.eventTrigger,
        cluster: `${match.cluster.namespace}/${match.cluster.name}`,
        eventId: match.event.id,
        code,
        reason,
      });
      failing.add(match.eventTrigger);
      if (!status) return;
      const name = match.eventTrigger;
      const last = lastWrite.get(name);
      if (last && last.code === code && now() - last.at < STATUS_MIN_INTERVAL_MS) return;
      lastWrite.set(name, { code, at: now() });
      // Status is best effort: the dead letter is the durable record.
      await Promise.allSettled([
        status.setCondition("EventTrigger", name, {
          type: CONDITION_TYPE,
          status: "False",
          reason: reasonOf(code),
          message: reason,
          lastTransitionTime: new Date().toISOString(),
        }),
        status.recordEvent(triggerRef(name), reasonOf(code), reason, "Warning"),
      ]).then((r) => {
        for (const x of r)
          if (x.status === "rejected")
            logger.warn("cannot report on EventTrigger", { trigger: name, error: String(x.reason) });
      });
    },
    succeeded(trigger) {
      if (!failing.delete(trigger) || !status) return;
      lastWrite.delete(trigger);
      status
        .setCondition("EventTrigger", trigger, {
          type: CONDITION_TYPE,
          status: "True",
          reason: "Applied",
          message: "the latest events were applied",
          lastTransitionTime: new Date().toISOString(),
        })
        .catch((err: unknown) => logger.warn("cannot report on EventTrigger", { trigger, error: String(err) }));
    },
  };
}

function triggerRef(name: string) {
  return { apiVersion: "lib.projectsveltos.io/v1beta1", kind: "EventTrigger", metadata: { name } };
}

/** EVT_APPLIER_ACTION → ActionInvalid-style CamelCase reason for conditions and Events. */
export function reasonOf(code: string): string {
  return code
    .replace(/^EVT_APPLIER_/, "")
    .toLowerCase()
    .split("_")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");
}
