// The EventEnvelope bytes written on EVT_EVENTS: exactly what encodeRecord(envelope) writes (same members, same
// order), built for the hot path. The members one subscription repeats on every message are serialised once, and
// when the upstream body is itself a faithful serialisation of the event (NormalizedEvent.json) it is embedded as
// received instead of being stringified and encoded again.
import type { EventEnvelope } from "@evtrigger/bus";

/** The members a subscription repeats on every message. */
type StaticPart = Pick<EventEnvelope, "v" | "cluster" | "natsSubject" | "subscription" | "transport">;

// Every EventEnvelope member must be written below: a member added to the type fails to compile here until it is.
const _written = {
  v: 1,
  cluster: 1,
  natsSubject: 1,
  subscription: 1,
  transport: 1,
  receivedAt: 1,
  upstream: 1,
  event: 1,
} satisfies Record<keyof EventEnvelope, 1>;

// One entry: a gateway mostly sees long runs of messages from the same subscription and subject.
let memo: (StaticPart & { text: string }) | undefined;

function staticText(env: EventEnvelope): string {
  const m = memo;
  if (
    m &&
    m.cluster === env.cluster &&
    m.natsSubject === env.natsSubject &&
    m.subscription === env.subscription &&
    m.transport === env.transport &&
    m.v === env.v
  ) {
    return m.text;
  }
  const part: StaticPart = {
    v: env.v,
    cluster: env.cluster,
    natsSubject: env.natsSubject,
    subscription: env.subscription,
    transport: env.transport,
  };
  const text = JSON.stringify(part).slice(0, -1); // open: the per-message members follow
  // The cluster is compared by identity: a changed copy must not reuse a stale text.
  memo = { ...part, text };
  return text;
}

export function encodeEnvelope(env: EventEnvelope, eventJson?: Uint8Array): Uint8Array {
  let head = `${staticText(env)},"receivedAt":${JSON.stringify(env.receivedAt)}`;
  if (env.upstream !== undefined) head += `,"upstream":${JSON.stringify(env.upstream)}`;
  if (!eventJson) return Buffer.from(`${head},"event":${JSON.stringify(env.event)}}`);
  head += ',"event":';
  const n = Buffer.byteLength(head);
  const out = Buffer.allocUnsafe(n + eventJson.length + 1);
  out.write(head, 0);
  out.set(eventJson, n);
  out[n + eventJson.length] = 0x7d; // "}"
  return out;
}

let lastMs = 0;
let lastIso = "";

/** new Date().toISOString(), formatted once per millisecond. */
export function isoNow(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}
