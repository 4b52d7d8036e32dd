import { decodeRecord, type EventEnvelope, encodeRecord } from "@evtrigger/bus";
import { encodeEnvelope, isoNow } from "../src/envelope.js";
import { normalizeMessage } from "../src/normalize/normalize.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

const event = {
  specversion: "1.0",
  type: "auth.example.com.login",
  source: "auth.example.com",
  id: "10001",
  subject: "mgianluc",
  data: { message: "User mgianluc login", ünï: '\u2028 "quoted" \\' },
};

/** Members in the order the gateway builds them (ingest.ts), which is the order encodeRecord writes. */
function envelope(over: Partial<EventEnvelope> = {}): EventEnvelope {
  const o = {
    v: 1 as const,
    cluster: { namespace: "ns", name: "c1", kind: "SveltosCluster" as const },
    natsSubject: "auth.login",
    subscription: "auth.>",
    transport: "nats" as const,
    receivedAt: "2026-11-25T12:00:00.000Z",
    event,
    ...over,
  };
  const { upstream, event: ev, ...head } = o;
  return { ...head, ...(upstream ? { upstream } : {}), event: ev };
}

describe("envelope", () => {
  test("envelope - the bytes are encodeRecord's, with and without an upstream position", () => {
    const upstream = { stream: "S", created: "2026-11-25T11:00:00.123456789Z", seq: 42, index: 0 };
    const cases = [
      envelope(),
      envelope({ transport: "jetstream", subscription: "S", upstream }),
      envelope({ natsSubject: 'odd."subject"\\ü' }),
    ];
    for (const env of cases) {
      const want = dec.decode(encodeRecord(env));
      expect(dec.decode(encodeEnvelope(env))).toBe(want);
      // The event's own JSON embedded as received gives the same text when it is the same serialisation.
      expect(dec.decode(encodeEnvelope(env, enc.encode(JSON.stringify(env.event))))).toBe(want);
    }
  });

  test("envelope - repeated subscriptions reuse their members only while they are the same", () => {
    const a = envelope();
    const b = envelope({ cluster: { namespace: "ns", name: "c2", kind: "Cluster" } });
    const c = envelope({ natsSubject: "auth.logout" });
    const d = envelope({ subscription: "other", transport: "jetstream" });
    for (const env of [a, a, b, a, c, c, d, a]) {
      expect(decodeRecord<EventEnvelope>(encodeEnvelope(env))).toEqual(env);
    }
  });

  test("envelope - an upstream body embedded as received decodes to the normalized event", () => {
    // Whitespace, escapes and member order as the publisher wrote them: only the value has to be the same.
    const body = enc.encode(
      `{ "data" : {"n": 1.50, "s": "\\u00e9\\n"}, "specversion":"1.0","id":"1","source":"s","type":"t" }\n`,
    );
    const n = normalizeMessage(body);
    expect(n.events[0]?.json).toBe(body);
    const env = envelope({ event: n.events[0]!.event });
    const out = decodeRecord<EventEnvelope>(encodeEnvelope(env, n.events[0]!.json));
    expect(out).toEqual(env);
    expect(out.event.data).toEqual({ n: 1.5, s: "é\n" });
  });

  test("envelope - a body that is not a faithful serialisation of the event is not embedded", () => {
    const base = { specversion: "1.0", id: "1", source: "s", type: "t" };
    // A dropped null attribute or null data, a BOM, leading whitespace, binary and batch modes: serialised anew.
    expect(normalizeMessage(enc.encode(JSON.stringify({ ...base, subject: null }))).events[0]?.json).toBeUndefined();
    expect(normalizeMessage(enc.encode(JSON.stringify({ ...base, data: null }))).events[0]?.json).toBeUndefined();
    expect(normalizeMessage(enc.encode(`\ufeff${JSON.stringify(base)}`)).events[0]?.json).toBeUndefined();
    expect(normalizeMessage(enc.encode(` ${JSON.stringify(base)}`)).events[0]?.json).toBeUndefined();
    const bom = normalizeMessage(enc.encode(`\ufeff${JSON.stringify(base)}`)).events[0]!;
    expect(decodeRecord<EventEnvelope>(encodeEnvelope(envelope({ event: bom.event }), bom.json)).event).toEqual(base);
    const batch = normalizeMessage(
      enc.encode(JSON.stringify([base])),
      new Map([["content-type", "application/cloudevents-batch+json"]]),
    );
    expect(batch.events[0]?.json).toBeUndefined();
    const binary = normalizeMessage(
      enc.encode("{}"),
      new Map([
        ["ce-specversion", "1.0"],
        ["ce-id", "1"],
        ["ce-source", "s"],
        ["ce-type", "t"],
        ["content-type", "application/json"],
      ]),
    );
    expect(binary.events[0]?.json).toBeUndefined();
  });

  test("envelope - isoNow is the current time in ISO 8601", () => {
    const before = Date.now();
    const t = Date.parse(isoNow());
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(Date.now());
    expect(isoNow()).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });
});
