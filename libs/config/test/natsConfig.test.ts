import { decodeNatsAuthorization, parseNatsConfig } from "@evtrigger/config";

const PEM = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n";
const KEY = "-----BEGIN EC PRIVATE KEY-----\nMHcfake\n-----END EC PRIVATE KEY-----\n";
const b64 = (s: string) => Buffer.from(s).toString("base64");
const CREDS =
  "-----BEGIN NATS USER JWT-----\neyJ0eXAi\n------END NATS USER JWT------\n\n-----BEGIN USER NKEY SEED-----\nSUAM\n------END USER NKEY SEED------\n";
const SEED = `SU${"A".repeat(56)}`;

describe("natsConfig", () => {
  test("natsConfig - Go []byte fields are base64 PEM; raw PEM is accepted too", () => {
    const { decoded, problems } = decodeNatsAuthorization({
      clientCert: { certPem: b64(PEM), keyPem: KEY },
      rootCA: b64(PEM),
      token: "t",
      user: { user: "admin", password: "my-password" },
    });
    expect(problems).toEqual([]);
    expect(decoded).toEqual({
      clientCert: { certPem: PEM, keyPem: KEY },
      rootCA: PEM,
      token: "t",
      user: { user: "admin", password: "my-password" },
    });
  });

  test("natsConfig - nkey seeds and .creds (text or base64) are our extensions", () => {
    expect(decodeNatsAuthorization({ nkey: { seed: SEED }, creds: b64(CREDS) }).decoded).toEqual({
      nkeySeed: SEED,
      creds: CREDS,
    });
    expect(decodeNatsAuthorization({ creds: CREDS }).decoded.creds).toBe(CREDS);
    const bad = decodeNatsAuthorization({ nkey: { seed: "UABC" }, creds: "nope", rootCA: "not pem" });
    expect(bad.problems.map((p) => p.path).sort()).toEqual(["creds", "nkey.seed", "rootCA"]);
  });

  test("natsConfig - both jetstream forms validate: subjects (stream names) and streams", () => {
    const code = parseNatsConfig(
      JSON.stringify({ jetstream: { configuration: { url: "nats://h:4222", subjects: ["EVENTS"] } } }),
    );
    expect(code.problems).toEqual([]);
    const docs = parseNatsConfig(
      JSON.stringify({
        jetstream: { configuration: { url: "nats://h:4222", streams: [{ name: "EVENTS", subjects: ["ev.>"] }] } },
      }),
    );
    expect(docs.config?.jetstream?.configuration.streams?.[0]?.name).toBe("EVENTS");
    const neither = parseNatsConfig(JSON.stringify({ jetstream: { configuration: { url: "nats://h:4222" } } }));
    expect(neither.problems[0]).toMatchObject({
      path: "data.sveltos-nats.jetstream.configuration",
      reason: expect.stringMatching(/subjects.*streams/),
    });
  });

  test("natsConfig - problems never quote Secret material", () => {
    const text =
      '{"nats": {"configuration": {"url": "u", "subjects": ["s"], "authorization": {"user": {"user": "a", "password": 12345678}}}}}';
    const typed = parseNatsConfig(text);
    expect(typed.problems[0]).toMatchObject({
      path: "data.sveltos-nats.nats.configuration.authorization.user.password",
    });
    expect(JSON.stringify(typed.problems)).not.toContain("12345678");
    const broken = parseNatsConfig('{"token": "s3cr3t-value" oops}');
    expect(broken.problems[0]!.reason).toMatch(/^not valid JSON/);
    expect(JSON.stringify(broken.problems)).not.toContain("s3cr3t");
  });

  test("natsConfig - bad JSON, unknown fields and bad PEM are problems with paths; the hash follows the text", () => {
    expect(parseNatsConfig("{").problems[0]).toMatchObject({
      path: "data.sveltos-nats",
      reason: expect.stringMatching(/not valid JSON/),
    });
    const unknown = parseNatsConfig(JSON.stringify({ nats: { configuration: { url: "u", subjects: [], tls: true } } }));
    expect(unknown.problems[0]).toMatchObject({
      path: "data.sveltos-nats.nats.configuration.tls",
      reason: "unknown field",
    });
    const pem = parseNatsConfig(
      JSON.stringify({ nats: { configuration: { url: "u", subjects: ["s"], authorization: { rootCA: "xyz" } } } }),
    );
    expect(pem.config).toBeUndefined();
    expect(pem.problems[0]!.path).toBe("data.sveltos-nats.nats.configuration.authorization.rootCA");
    expect(parseNatsConfig("{}").hash).not.toBe(parseNatsConfig("{ }").hash);
  });
});
