import { createLogger, isSecretKey, type Logger, redact, redactString, TelemetryError } from "@evtrigger/telemetry";

function capture(level?: "debug" | "info" | "warn" | "error", env: Record<string, string> = {}) {
  const lines: string[] = [];
  const logger = createLogger({
    service: "gateway",
    level,
    env,
    stream: { write: (l: string) => lines.push(l) },
    now: () => new Date("2026-01-02T03:04:05.000Z"),
  });
  const entries = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines, entries };
}

describe("logger", () => {
  test("logger - writes one JSON line with time, level, service, msg and fields", () => {
    const { logger, lines, entries } = capture("info");
    logger.info("connected", { cluster: "default/c1", attempt: 2 });
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith("\n")).toBe(true);
    expect(entries()[0]).toEqual({
      time: "2026-01-02T03:04:05.000Z",
      level: "info",
      service: "gateway",
      msg: "connected",
      cluster: "default/c1",
      attempt: 2,
    });
  });

  test("logger - a password never appears, at any depth, in any casing or container", () => {
    const { logger, lines } = capture("debug");
    const secret = "hunter2-very-secret";
    logger.debug("cfg", {
      password: secret,
      nats: { conn: { user: "admin", natsPassword: secret }, auth: { user: "admin", method: secret } },
      list: [{ deep: { deeper: { DB_PASSWORD: secret } } }],
      map: new Map([["pass", secret]]),
      url: `nats://admin:${secret}@localhost:4222`,
      err: new Error(`connect nats://admin:${secret}@host:1 failed`),
    });
    logger.child({ token: secret }).info("child");
    const out = lines.join("");
    expect(out).not.toContain(secret);
    expect(out).toContain("[REDACTED]");
    expect(out).toContain('"user":"admin"');
  });

  test("logger - secret-looking keys are redacted, look-alikes are not", () => {
    for (const k of [
      "password",
      "pass",
      "token",
      "secret",
      "seed",
      "key",
      "creds",
      "authorization",
      "certPem",
      "keyPem",
      "rootCA",
      "nkeySeed",
      "x-api-key",
      "client_secret",
    ]) {
      expect([k, isSecretKey(k)]).toEqual([k, true]);
    }
    for (const k of ["cluster", "monkey", "keyboard", "subject", "passive", "tokenizer", "eventKey", "caching"]) {
      expect([k, isSecretKey(k)]).toEqual([k, false]);
    }
  });

  test("logger - allowKeys lets a service keep its non-secret look-alikes, nothing else", () => {
    const lines: string[] = [];
    const logger = createLogger({
      service: "matcher",
      level: "info",
      allowKeys: ["report_key"],
      stream: { write: (l: string) => lines.push(l) },
    });
    logger.child({ reportKey: "default/c1/source" }).info("x", { key: "k1", apiKey: "sk-1", cacheKey: "c" });
    const e = JSON.parse(lines[0]);
    expect(e).toMatchObject({ reportKey: "default/c1/source", key: "[REDACTED]", apiKey: "[REDACTED]", cacheKey: "c" });
  });

  test("logger - PEM blocks and NATS seeds are masked wherever they are", () => {
    const seed = `SUA${"A".repeat(55)}`;
    expect(redactString(`seed is ${seed}`)).toBe("[REDACTED]");
    expect(redactString("-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----")).toBe("[REDACTED]");
    expect(redact({ note: ["-----BEGIN CERTIFICATE-----x"] })).toEqual({ note: ["[REDACTED]"] });
    expect(redactString("plain text")).toBe("plain text");
    expect(redactString("GET /x?token=abc123&user=me failed: password=hunter2, db_password=p2")).toBe(
      "GET /x?token=[REDACTED]&user=me failed: password=[REDACTED], db_password=[REDACTED]",
    );
    expect(redactString("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.x.y")).toBe("Authorization: Bearer [REDACTED]");
    expect(redactString("a=1 b=2 Basic facts")).toBe("a=1 b=2 Basic facts");
  });

  test("logger - body, payload and data are dropped at info and kept at debug", () => {
    const { logger, entries } = capture("debug");
    const fields = { id: "1", body: "raw", payload: { a: 1 }, event: { type: "t", data: { organization: "x" } } };
    logger.debug("d", fields);
    logger.info("i", fields);
    logger.warn("w", fields);
    const [d, i, w] = entries();
    expect(d.body).toBe("raw");
    expect((d.event as Record<string, unknown>).data).toEqual({ organization: "x" });
    for (const e of [i, w]) {
      expect(e.id).toBe("1");
      expect(e).not.toHaveProperty("body");
      expect(e).not.toHaveProperty("payload");
      expect(e.event).toEqual({ type: "t" });
    }
  });

  test("logger - level filters entries and comes from EVT_LOG_LEVEL", () => {
    const a = capture(undefined, { EVT_LOG_LEVEL: "warn" });
    a.logger.info("no");
    a.logger.warn("yes");
    a.logger.error("yes too");
    expect(a.entries().map((e) => e.level)).toEqual(["warn", "error"]);
    expect(a.logger.isLevelEnabled("debug")).toBe(false);
    const b = capture();
    expect(b.logger.level).toBe("info");
    expect(() => capture(undefined, { EVT_LOG_LEVEL: "verbose" })).toThrow(
      expect.objectContaining({ code: "EVT_TELEMETRY_LOG_LEVEL", message: expect.stringContaining("EVT_LOG_LEVEL") }),
    );
  });

  test("logger - child adds fields, cannot overwrite the envelope, and errors are serialized", () => {
    const { logger, entries } = capture("info");
    const child: Logger = logger.child({ cluster: "ns/c", trigger: "t1" });
    const cause = new Error("inner");
    child.error("apply failed", {
      msg: "shadow",
      level: "x",
      err: new TelemetryError("EVT_TELEMETRY_SETTINGS", "boom", { cause }),
    });
    const [e] = entries();
    expect(e).toMatchObject({
      level: "error",
      msg: "apply failed",
      cluster: "ns/c",
      trigger: "t1",
      msg_: "shadow",
      level_: "x",
    });
    expect(e.err).toMatchObject({
      name: "TelemetryError",
      message: "boom",
      code: "EVT_TELEMETRY_SETTINGS",
      cause: { message: "inner" },
    });
  });

  test("logger - cycles and odd values do not break a line", () => {
    const { logger, entries } = capture("info");
    const a: Record<string, unknown> = { name: "a" };
    a.self = a;
    logger.info("odd", { a, n: 10n, nan: Number.NaN, when: new Date(0), bytes: new Uint8Array(3), fn: () => 1 });
    expect(entries()[0]).toMatchObject({
      a: { name: "a", self: "[Circular]" },
      n: "10",
      nan: "NaN",
      when: "1970-01-01T00:00:00.000Z",
      bytes: "[3 bytes]",
    });
  });
});
