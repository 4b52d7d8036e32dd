import type { JetStreamClient, PubAck } from "@nats-io/jetstream";
import { publishDurable } from "./publish.js";
import { type DeadLetter, encodeRecord } from "./records.js";
import { dlqSubject } from "./topology.js";

/** How much of an offending body a dead letter keeps: enough to diagnose, never a whole 10 MB payload. */
export const DLQ_BODY_LIMIT = 4096;

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Truncates a body for a dead letter, as text when it is valid UTF-8, else base64. */
export function truncateBody(
  data: Uint8Array,
  limit = DLQ_BODY_LIMIT,
): Pick<DeadLetter, "body" | "bodyEncoding" | "bodyBytes"> {
  const head = data.subarray(0, limit);
  try {
    // A cut in the middle of a multi-byte character is not an encoding error of the message: retry shorter.
    for (let cut = 0; cut < 4 && cut < head.length; cut++) {
      try {
        return {
          body: strictUtf8.decode(head.subarray(0, head.length - cut)),
          bodyEncoding: "utf8",
          bodyBytes: data.length,
        };
      } catch {
        if (head.length === data.length) break;
      }
    }
    throw new Error("not utf-8");
  } catch {
    return { body: Buffer.from(head).toString("base64"), bodyEncoding: "base64", bodyBytes: data.length };
  }
}

/** Writes a dead letter durably. `msgId` makes a redelivered failure land once. */
export function deadLetter(js: JetStreamClient, letter: Omit<DeadLetter, "v" | "at">, msgId: string): Promise<PubAck> {
  const rec: DeadLetter = { v: 1, at: new Date().toISOString(), ...letter };
  return publishDurable(js, dlqSubject(letter.stage), encodeRecord(rec), { msgId: `dlq:${letter.stage}:${msgId}` });
}
