import type { JetStreamClient, PubAck } from "@nats-io/jetstream";
import { type MsgHdrs, headers as natsHeaders } from "@nats-io/transport-node";
import { BusError } from "./errors.js";

export interface DurablePublishOptions {
  /** Nats-Msg-Id: the stream drops a second message with the same id inside the duplicate window. */
  msgId: string;
  headers?: Record<string, string>;
  /** Keep retrying transient failures (no responders, timeouts) for this long, ms. Default 10 s. */
  retryForMs?: number;
  /** Per-attempt wait for the stream's acknowledgement, ms. Default 5 s. */
  timeoutMs?: number;
}

export function toMsgHdrs(h: Record<string, string> | undefined): MsgHdrs | undefined {
  if (!h) return undefined;
  const out = natsHeaders();
  for (const [k, v] of Object.entries(h)) out.set(k, v);
  return out;
}

export function hdrsToRecord(h: MsgHdrs | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!h) return out;
  for (const k of h.keys()) out[k] = h.values(k);
  return out;
}

/**
 * Publishes to JetStream and resolves only once the stream has stored the message (or recognised it as a
 * duplicate), so a caller may then ack its own input. Transient failures are retried with backoff.
 */
export async function publishDurable(
  js: JetStreamClient,
  subject: string,
  data: Uint8Array,
  o: DurablePublishOptions,
): Promise<PubAck> {
  const deadline = Date.now() + (o.retryForMs ?? 10_000);
  let delay = 50;
  for (;;) {
    try {
      return await js.publish(subject, data, {
        msgID: o.msgId,
        headers: toMsgHdrs(o.headers),
        timeout: o.timeoutMs ?? 5000,
      });
    } catch (err) {
      if (Date.now() + delay > deadline) {
        throw new BusError("EVT_BUS_PUBLISH", `publish to ${subject} (msg id ${o.msgId}) was not acknowledged`, {
          cause: err,
        });
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 1000);
    }
  }
}
