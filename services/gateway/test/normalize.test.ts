import { CloudEvent } from "cloudevents";
import { headerMap, normalizeMessage } from "../src/normalize/normalize.js";
import { DEFAULT_LIMITS } from "../src/normalize/types.js";
import { depthExceeds, validateEvent } from "../src/normalize/validate.js";

const enc = new TextEncoder();
const bytes = (v: unknown) => enc.encode(typeof v === "string" ? v : JSON.stringify(v));
const hdrs = (h: Record<string, string>) => headerMap(Object.entries(h));

const login = {
  specversion: "1.0",
  type: "auth.example.com.login",
  source: "auth.example.com",
  id: "10001",
  subject: "mgianluc",
  datacontenttype: "application/json",
  data: { message: "User mgianluc login" },
};

describe("normalize", () => {
  test("structured - the seed's login event passes unchanged", () => {
    const body = bytes(login);
    const n = normalizeMessage(body);
    expect(n.rejections).toEqual([]);
    // Nothing dropped: the body itself is the event's JSON, embedded as received in the envelope.
    expect(n.events).toEqual([{ event: login, json: body, mode: "structured" }]);
  });

  test("structured - application/cloudevents+json content type and extensions", () => {
    const ev = { ...login, traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", count: 3, ok: true };
    const n = normalizeMessage(bytes(ev), hdrs({ "Content-Type": "application/cloudevents+json" }));
    expect(n.events[0]?.event).toEqual(ev);
  });

  test("structured - more liberal than Sveltos: text data and no datacontenttype are accepted", () => {
    const { datacontenttype: _, ...noCt } = login;
    expect(normalizeMessage(bytes(noCt)).events).toHaveLength(1);
    const text = { ...login, datacontenttype: "text/plain", data: "hello" };
    expect(normalizeMessage(bytes(text)).events[0]?.event.data).toBe("hello");
  });

  test("structured - null optional attributes are treated as absent", () => {
    const n = normalizeMessage(bytes({ ...login, subject: null, data: null }));
    expect(n.events[0]?.event).not.toHaveProperty("subject");
    expect(n.events[0]?.event).not.toHaveProperty("data");
  });

  test("structured - data_base64 is kept", () => {
    const n = normalizeMessage(bytes({ ...login, data: undefined, data_base64: "aGVsbG8=" }));
    expect(n.events[0]?.event.data_base64).toBe("aGVsbG8=");
  });

  test("structured - malformed JSON is rejected as not JSON", () => {
    const n = normalizeMessage(bytes('{"specversion": "1.0",'));
    expect(n.rejections[0]).toMatchObject({ code: "EVT_GATEWAY_NOT_JSON", field: "body" });
  });

  test("structured - invalid UTF-8 is rejected as not JSON", () => {
    const n = normalizeMessage(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]));
    expect(n.rejections[0]).toMatchObject({ code: "EVT_GATEWAY_NOT_JSON", reason: "body: not valid UTF-8" });
  });

  test("structured - JSON without specversion is not a CloudEvent", () => {
    const n = normalizeMessage(bytes({ hello: "world" }));
    expect(n.rejections[0]).toMatchObject({ code: "EVT_GATEWAY_NOT_CLOUDEVENT", field: "specversion" });
    expect(normalizeMessage(bytes("42")).rejections[0]?.code).toBe("EVT_GATEWAY_NOT_CLOUDEVENT");
    expect(normalizeMessage(bytes([login])).rejections[0]?.reason).toMatch(/cloudevents-batch\+json/);
  });

  test.each(["id", "source", "type"])("structured - missing %s names the attribute", (attr) => {
    const ev: Record<string, unknown> = { ...login };
    delete ev[attr];
    const r = normalizeMessage(bytes(ev)).rejections[0];
    expect(r).toMatchObject({ code: "EVT_GATEWAY_MISSING_ATTRIBUTE", field: attr });
    expect(r?.reason).toContain(`"${attr}"`);
  });

  test("structured - wrong attribute types, names and values are named precisely", () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ ...login, specversion: "2.0" }, "EVT_GATEWAY_INVALID_ATTRIBUTE", "specversion"],
      [{ ...login, id: 10001 }, "EVT_GATEWAY_INVALID_ATTRIBUTE", "id"],
      [{ ...login, source: "" }, "EVT_GATEWAY_INVALID_ATTRIBUTE", "source"],
      [{ ...login, time: "yesterday" }, "EVT_GATEWAY_INVALID_ATTRIBUTE", "time"],
      [{ ...login, Foo: "x" }, "EVT_GATEWAY_INVALID_ATTRIBUTE", "Foo"],
      [{ ...login, ext: { a: 1 } }, "EVT_GATEWAY_INVALID_ATTRIBUTE", "ext"],
      [{ ...login, ratio: 1.5 }, "EVT_GATEWAY_INVALID_ATTRIBUTE", "ratio"],
      [{ ...login, data: undefined, data_base64: "not base64!" }, "EVT_GATEWAY_BAD_DATA", "data_base64"],
      [{ ...login, data_base64: "aGk=" }, "EVT_GATEWAY_INVALID_ATTRIBUTE", "data_base64"],
    ];
    for (const [ev, code, field] of cases) {
      expect(normalizeMessage(bytes(ev)).rejections[0]).toMatchObject({ code, field });
    }
  });

  test.each(["id", "source", "type", "subject"])("structured - a control character in %s is rejected", (attr) => {
    const r = normalizeMessage(bytes({ ...login, [attr]: "evil\nkind: ClusterRoleBinding" })).rejections[0];
    expect(r).toMatchObject({ code: "EVT_GATEWAY_CONTROL_CHARACTER", field: attr });
    expect(r?.reason).toContain("U+000A");
  });

  test("structured - C1 controls and DEL are control characters too", () => {
    for (const c of ["\u007f", "\u0085", "\u0000"]) {
      expect(normalizeMessage(bytes({ ...login, subject: `a${c}b` })).rejections[0]?.code).toBe(
        "EVT_GATEWAY_CONTROL_CHARACTER",
      );
    }
  });

  test("structured - oversized messages are rejected before parsing", () => {
    const big = bytes({ ...login, data: { pad: "x".repeat(2000) } });
    const r = normalizeMessage(big, undefined, { ...DEFAULT_LIMITS, maxBytes: 1000 }).rejections[0];
    expect(r).toMatchObject({ code: "EVT_GATEWAY_TOO_LARGE" });
    expect(r?.reason).toContain("1000");
  });

  test("structured - deeply nested data is rejected", () => {
    const deep = `{"specversion":"1.0","id":"1","source":"s","type":"t","data":${"[".repeat(500)}${"]".repeat(500)}}`;
    expect(normalizeMessage(bytes(deep)).rejections[0]).toMatchObject({ code: "EVT_GATEWAY_TOO_DEEP", field: "data" });
  });

  test("binary - ce- headers and a JSON body become a structured event", () => {
    const h = hdrs({
      "ce-specversion": "1.0",
      "Ce-Id": "42",
      "ce-source": "auth.example.com",
      "ce-type": "auth.example.com.login",
      "ce-subject": "alice",
      "ce-myext": "v",
      "content-type": "application/json; charset=utf-8",
    });
    const n = normalizeMessage(bytes({ organization: "acme" }), h);
    expect(n.mode).toBe("binary");
    expect(n.events[0]?.event).toEqual({
      specversion: "1.0",
      id: "42",
      source: "auth.example.com",
      type: "auth.example.com.login",
      subject: "alice",
      myext: "v",
      datacontenttype: "application/json; charset=utf-8",
      data: { organization: "acme" },
    });
  });

  test("binary - text stays a string, bytes become data_base64, no body means no data", () => {
    const base = { "ce-specversion": "1.0", "ce-id": "1", "ce-source": "s", "ce-type": "t" };
    expect(normalizeMessage(bytes("hi"), hdrs({ ...base, "content-type": "text/plain" })).events[0]?.event.data).toBe(
      "hi",
    );
    const bin = normalizeMessage(new Uint8Array([0, 1, 2, 255]), hdrs({ ...base, "content-type": "image/png" }));
    expect(bin.events[0]?.event.data_base64).toBe(Buffer.from([0, 1, 2, 255]).toString("base64"));
    expect(normalizeMessage(new Uint8Array(), hdrs(base)).events[0]?.event).not.toHaveProperty("data");
  });

  test("binary - a missing attribute names the header, bad JSON data names data", () => {
    const h = hdrs({ "ce-specversion": "1.0", "ce-id": "1", "ce-type": "t" });
    expect(normalizeMessage(bytes("{}"), h).rejections[0]).toMatchObject({
      code: "EVT_GATEWAY_MISSING_ATTRIBUTE",
      field: "ce-source",
    });
    const h2 = hdrs({
      "ce-specversion": "1.0",
      "ce-id": "1",
      "ce-source": "s",
      "ce-type": "t",
      "content-type": "application/json",
    });
    expect(normalizeMessage(bytes("{nope"), h2).rejections[0]).toMatchObject({
      code: "EVT_GATEWAY_BAD_DATA",
      field: "data",
    });
  });

  test("structured - a __proto__ key is an invalid attribute name, not a prototype", () => {
    const body = '{"specversion":"1.0","__proto__":{"id":"1","source":"s","type":"t"}}';
    expect(normalizeMessage(bytes(body)).rejections[0]).toMatchObject({
      code: "EVT_GATEWAY_INVALID_ATTRIBUTE",
      field: "__proto__",
    });
    const h = hdrs({ "ce-specversion": "1.0", "ce-id": "1", "ce-source": "s", "ce-type": "t", "ce-__proto__": "x" });
    expect(normalizeMessage(bytes("{}"), h).rejections[0]?.field).toBe("ce-__proto__");
  });

  test("structured - an enumerable property on Object.prototype never becomes an attribute", () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = "x";
    try {
      const n = normalizeMessage(bytes(login));
      expect(n.events).toHaveLength(1);
      expect(Object.keys(n.events[0]!.event)).not.toContain("polluted");
    } finally {
      delete proto.polluted;
    }
  });

  test("binary - garbage header names are rejected", () => {
    const h = hdrs({ "ce-specversion": "1.0", "ce-id": "1", "ce-source": "s", "ce-type": "t", "ce-bad_name": "x" });
    expect(normalizeMessage(bytes("{}"), h).rejections[0]).toMatchObject({ code: "EVT_GATEWAY_INVALID_ATTRIBUTE" });
  });

  test("batch - one event each, invalid members rejected by index", () => {
    const logout = { ...login, type: "auth.example.com.logout" };
    const h = hdrs({ "content-type": "application/cloudevents-batch+json" });
    const n = normalizeMessage(bytes([login, { ...login, source: undefined }, logout]), h);
    expect(n.mode).toBe("batch");
    expect(n.events.map((e) => [e.index, e.event.type])).toEqual([
      [0, "auth.example.com.login"],
      [2, "auth.example.com.logout"],
    ]);
    expect(n.rejections).toEqual([
      expect.objectContaining({ code: "EVT_GATEWAY_MISSING_ATTRIBUTE", field: "[1].source", index: 1 }),
    ]);
  });

  test("batch - a body that is not an array, not JSON, or too long is a bad batch", () => {
    const h = hdrs({ "content-type": "application/cloudevents-batch+json" });
    expect(normalizeMessage(bytes(login), h).rejections[0]?.code).toBe("EVT_GATEWAY_BAD_BATCH");
    expect(normalizeMessage(bytes("[{"), h).rejections[0]?.code).toBe("EVT_GATEWAY_BAD_BATCH");
    const many = normalizeMessage(bytes([login, login, login]), h, { ...DEFAULT_LIMITS, maxBatch: 2 });
    expect(many.rejections[0]?.reason).toContain("limit of 2");
    expect(normalizeMessage(bytes([]), h)).toEqual({ mode: "batch", events: [], rejections: [] });
  });

  test("validate - source follows Go's url.Parse (what Sveltos accepts), not the stricter RFC 3986 reading", () => {
    // Verdicts of Go 1.x net/url.Parse, which sdk-go uses for source.
    const accepted = ["auth.example.com", "my source", "ünicode/x", "{x}", "a|b", "a^b", "not a uri", "urn:a:b"];
    const refused = ["a%zz", "http://[bad", "http://exa mple.com/", "http://host:port/", ":x", "http://%4/"];
    for (const source of accepted)
      expect([source, normalizeMessage(bytes({ ...login, source })).events.length]).toEqual([source, 1]);
    for (const source of refused) {
      expect([source, normalizeMessage(bytes({ ...login, source })).rejections[0]?.field]).toEqual([source, "source"]);
    }
  });

  test("validate - the SDK's verdict on 1.0 attributes is kept (calendar time, dataschema, schemaurl)", () => {
    // The SDK runs only for dataschema; the calendar check on time and the schemaurl refusal are ours: all must agree.
    const sdkAccepts = (ev: Record<string, unknown>) => {
      try {
        new CloudEvent({ ...ev, source: "evtrigger:checked" }, true);
        return true;
      } catch {
        return false;
      }
    };
    const times = [
      "2026-11-25T12:00:00Z",
      "2026-11-25t12:00:00.123456z",
      "2026-11-25T12:00:00+05:30",
      "2026-11-25T12:00:00-99:99",
      "2024-02-29T00:00:00Z",
      "2023-02-29T00:00:00Z",
      "1900-02-29T00:00:00Z",
      "2000-02-29T00:00:00Z",
      "2026-04-31T00:00:00Z",
      "2026-12-31T23:59:60Z",
      "2026-12-31T23:59:60.5+01:00",
      "2026-12-31T22:59:60Z",
      "2026-00-10T00:00:00Z",
      "2026-13-10T00:00:00Z",
      "2026-01-00T00:00:00Z",
      "2026-01-32T00:00:00Z",
      "2026-01-01T24:00:00Z",
      "2026-01-01T23:60:00Z",
      "2026-01-01T23:00:61Z",
    ];
    const schemas = [undefined, "https://example.com/s.json", "not a uri", "urn:x", "/relative"];
    let compared = 0;
    for (const time of times) {
      for (const dataschema of schemas) {
        for (const schemaurl of [undefined, "https://example.com/s.json"]) {
          const ev = { ...login, time, ...(dataschema ? { dataschema } : {}), ...(schemaurl ? { schemaurl } : {}) };
          const ours = normalizeMessage(bytes(ev));
          const label = JSON.stringify(ev);
          expect([label, ours.events.length === 1]).toEqual([label, sdkAccepts(ev)]);
          if (ours.rejections[0]) expect(ours.rejections[0].field).toMatch(/^(time|dataschema|schemaurl)$/);
          compared++;
        }
      }
    }
    expect(compared).toBe(times.length * schemas.length * 2);
    const r = normalizeMessage(bytes({ ...login, time: "2026-02-30T00:00:00Z" })).rejections[0];
    expect(r).toEqual({
      code: "EVT_GATEWAY_INVALID_ATTRIBUTE",
      field: "time",
      reason: 'time: must match format "date-time"',
    });
    // 0.3 events are not checked by the JS SDK (sdk-go takes them): an impossible date passes as before.
    expect(normalizeMessage(bytes({ ...login, specversion: "0.3", time: "2026-02-30T00:00:00Z" })).events).toHaveLength(
      1,
    );
  });

  test("validate - depthExceeds counts nesting iteratively", () => {
    expect(depthExceeds({ a: { b: 1 } }, 2)).toBe(false);
    expect(depthExceeds({ a: { b: {} } }, 2)).toBe(true);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(depthExceeds(deep, 64)).toBe(true);
  });

  test("validate - a batch member prefix names the field", () => {
    const v = validateEvent({ specversion: "1.0", id: "1", source: "s" }, DEFAULT_LIMITS, "[7].");
    expect(v).toEqual({ rejection: expect.objectContaining({ field: "[7].type" }) });
  });

  test("structured - JSON error reasons never quote the body", () => {
    const r = normalizeMessage(bytes("top secret payload")).rejections[0];
    expect(r?.reason).not.toContain("secret");
  });

  test("fuzz - random garbage and mutated events never throw and always explain a rejection", () => {
    // Deterministic PRNG so a failure reproduces.
    let seed = 42;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const base = JSON.stringify(login);
    const contentTypes = [undefined, "application/json", "application/cloudevents-batch+json", "text/plain"];
    for (let i = 0; i < 3000; i++) {
      let body: Uint8Array;
      const kind = i % 4;
      if (kind === 0) body = Uint8Array.from({ length: Math.floor(rnd() * 64) }, () => Math.floor(rnd() * 256));
      else if (kind === 1) {
        const chars = base.split("");
        for (let k = 0; k < 3; k++)
          chars[Math.floor(rnd() * chars.length)] = pick(["{", "}", '"', "\n", ":", "[", "\u0001", "9"]);
        body = bytes(chars.join(""));
      } else if (kind === 2) {
        const ev: Record<string, unknown> = { ...login };
        ev[pick(["id", "source", "type", "specversion", "subject", "time", "x"])] = pick([
          null,
          1.5,
          "",
          [],
          {},
          "a\u0007b",
          true,
          "2026-13-45T99:00:00Z",
        ]);
        body = bytes(pick([ev, [ev, ev], [ev, 1, "x"]]));
      } else body = bytes(pick(['"str"', "null", "[]", "[[[]]]", "1e999", "{}", '{"specversion":null}']));
      const ct = pick(contentTypes);
      const h = ct ? hdrs({ "content-type": ct }) : undefined;
      const n = normalizeMessage(body, h);
      expect(n.events.length + n.rejections.length + (n.mode === "batch" ? 1 : 0)).toBeGreaterThan(0);
      for (const r of n.rejections) {
        expect(r.code).toMatch(/^EVT_GATEWAY_[A-Z_]+$/);
        expect(r.reason.length).toBeGreaterThan(3);
      }
      for (const e of n.events) {
        for (const a of ["id", "source", "type"] as const) expect(typeof e.event[a]).toBe("string");
      }
    }
  });
});
