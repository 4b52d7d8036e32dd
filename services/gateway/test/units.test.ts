import { makeSelfSignedTls } from "@evtrigger/testkit";
import { contentHash, coreMsgId, jetStreamMsgId, rejectMsgId } from "../src/msgid.js";
import { checkNames, parseNatsConfig, redactUrl, streamNameProblem, subjectProblem } from "../src/natsconfig.js";
import { headerMap } from "../src/normalize/normalize.js";
import { connectionOptions } from "../src/sources/auth.js";
import { childTraceparent, parseTraceparent } from "../src/trace.js";

const c = { namespace: "fleet", name: "prod", kind: "SveltosCluster" as const };
const enc = new TextEncoder();

describe("units", () => {
  test("msgid - JetStream ids are the stream position, batch members get their index", () => {
    expect(jetStreamMsgId(c, "USERS", 42)).toBe("js:fleet/prod:USERS:42");
    expect(jetStreamMsgId(c, "USERS", 42, 3)).toBe("js:fleet/prod:USERS:42:3");
  });

  test("msgid - core ids differ for the seed's login and logout that share source and id", () => {
    const login = enc.encode('{"id":"10001","type":"auth.example.com.login"}');
    const logout = enc.encode('{"id":"10001","type":"auth.example.com.logout"}');
    const ce = { source: "auth.example.com", id: "10001" };
    const a = coreMsgId(c, ce, contentHash(login));
    expect(a).toMatch(/^core:fleet\/prod:auth\.example\.com:10001:[0-9a-f]{32}$/);
    expect(a).not.toBe(coreMsgId(c, ce, contentHash(logout)));
    expect(a).toBe(coreMsgId(c, ce, contentHash(login)));
  });

  test("msgid - binary mode hashes the ce- and content-type headers too, not others", () => {
    const body = enc.encode("{}");
    const h1 = headerMap([
      ["ce-type", "login"],
      ["x-other", "1"],
    ]);
    const h2 = headerMap([
      ["ce-type", "logout"],
      ["x-other", "1"],
    ]);
    const h3 = headerMap([
      ["ce-type", "login"],
      ["x-other", "2"],
    ]);
    expect(contentHash(body, h1)).not.toBe(contentHash(body, h2));
    expect(contentHash(body, h1)).toBe(contentHash(body, h3));
  });

  test("msgid - huge CE sources are bounded, reject ids name their origin", () => {
    const id = coreMsgId(c, { source: "s".repeat(5000), id: "1" }, "ab");
    expect(id).toMatch(/^h:[0-9a-f]{64}$/);
    expect(rejectMsgId(c, { stream: "S", seq: 7 }, 1)).toBe("js:fleet/prod:S:7:1");
    expect(rejectMsgId(c, "abc")).toBe("core:fleet/prod:abc");
  });

  test("trace - a child keeps the CE's trace id, then the upstream header's, else starts a trace", () => {
    const ce = { specversion: "1.0", id: "1", source: "s", type: "t" };
    const tp = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const fromCe = childTraceparent({ ...ce, traceparent: tp }, new Map());
    expect(parseTraceparent(fromCe)?.traceId).toBe("0af7651916cd43dd8448eb211c80319c");
    expect(parseTraceparent(fromCe)?.spanId).not.toBe("b7ad6b7169203331");
    const fromHdr = childTraceparent(ce, new Map([["traceparent", tp]]));
    expect(parseTraceparent(fromHdr)?.traceId).toBe("0af7651916cd43dd8448eb211c80319c");
    const fresh = childTraceparent({ ...ce, traceparent: "garbage" }, new Map());
    expect(parseTraceparent(fresh)).toBeDefined();
    expect(parseTraceparent(`00-${"0".repeat(32)}-b7ad6b7169203331-01`)).toBeUndefined();
  });

  test("natsconfig - both Sveltos jetstream forms and the seed's nats form are accepted", () => {
    const seed = {
      nats: {
        configuration: {
          url: "nats://nats.nats.svc.cluster.local:4222",
          subjects: ["user-operation"],
          authorization: { user: { user: "admin", password: "my-password" } },
        },
      },
    };
    expect(parseNatsConfig(JSON.stringify(seed))).toEqual({ config: seed, problems: [] });
    expect(parseNatsConfig({ jetstream: { configuration: { url: "nats://x", subjects: ["S"] } } }).problems).toEqual(
      [],
    );
    expect(
      parseNatsConfig({
        jetstream: { configuration: { url: "nats://x", streams: [{ name: "S", subjects: ["a.>"] }] } },
      }).problems,
    ).toEqual([]);
  });

  test("natsconfig - problems name the field (libs/config schema)", () => {
    expect(parseNatsConfig("{nope").problems[0]?.path).toBe("data.sveltos-nats");
    const p = parseNatsConfig({ nats: { configuration: { url: "nats://x", subjects: "one" } } }).problems;
    expect(p.map((x) => x.path)).toEqual(["data.sveltos-nats.nats.configuration.subjects"]);
    expect(parseNatsConfig({ jetstream: { configuration: { url: "nats://x" } } }).problems.length).toBeGreaterThan(0);
    const auth = parseNatsConfig({
      nats: { configuration: { url: "u", subjects: ["a"], authorization: { usr: {} } } },
    });
    expect(auth.problems[0]?.path).toContain("authorization");
  });

  test("natsconfig - subjects and stream names are checked before connecting", () => {
    for (const ok of ["user-operation", "a.*.c", "a.>", ">", "*"])
      expect([ok, subjectProblem(ok)]).toEqual([ok, undefined]);
    for (const bad of ["", "a..b", "a b", "a.>.c", "a*", "x>"]) expect(subjectProblem(bad)).toBeDefined();
    expect(streamNameProblem("USERS")).toBeUndefined();
    expect(streamNameProblem("users.login")).toBeDefined();
    expect(() => checkNames({ nats: { configuration: { url: "u", subjects: ["ok", "not ok"] } } })).toThrow(
      expect.objectContaining({ code: "EVT_GATEWAY_CONFIG", field: "nats.configuration.subjects[1]" }),
    );
    expect(() => checkNames({ jetstream: { configuration: { url: "u", subjects: ["users.>"] } } })).toThrow(
      /code form: entries are stream names/,
    );
  });

  test("auth - every form maps to nats.js options, PEMs decoded from base64", () => {
    const tls = makeSelfSignedTls();
    const b64 = (s: string) => Buffer.from(s).toString("base64");
    const o = connectionOptions(
      {
        url: "nats://a:4222, nats://b:4222",
        authorization: {
          user: { user: "u", password: "p" },
          token: "t",
          rootCA: b64(tls.ca),
          clientCert: { certPem: b64(tls.clientCert), keyPem: tls.clientKey },
        },
      },
      "n",
      "nats.configuration",
    );
    expect(o.servers).toEqual(["nats://a:4222", "nats://b:4222"]);
    expect(o).toMatchObject({ user: "u", pass: "p", token: "t" });
    expect(o.tls).toEqual({ ca: tls.ca, cert: tls.clientCert, key: tls.clientKey });
    expect(connectionOptions({ url: "tls://x:4222" }, "n", "p").tls).toEqual({});
  });

  test("auth - bad material is a coded error naming the field", () => {
    expect(() =>
      connectionOptions({ url: "u", authorization: { rootCA: "bm90IGEgcGVt" } }, "n", "nats.configuration"),
    ).toThrow(expect.objectContaining({ code: "EVT_GATEWAY_AUTH_CONFIG", message: expect.stringContaining("rootCA") }));
    expect(() => connectionOptions({ url: "u", authorization: { nkey: { seed: "SAxxx" } } }, "n", "p")).toThrow(
      /p\.authorization\.nkey\.seed: must be a user nkey seed/,
    );
    expect(redactUrl("nats://admin:pw@host:4222")).toBe("nats://***@host:4222");
  });
});
