import { defineSettings, SERVICE_SETTINGS, SettingsError } from "@evtrigger/telemetry";

const settings = defineSettings({
  natsUrl: {
    env: "EVT_NATS_URL",
    flag: "nats-url",
    type: "string",
    default: "nats://127.0.0.1:4222",
    description: "Internal NATS URL.",
  },
  natsPassword: { env: "EVT_NATS_PASSWORD", type: "string", secret: true, description: "Internal NATS password." },
  httpPort: {
    env: "EVT_HTTP_PORT",
    flag: "http-port",
    type: "int",
    default: 8080,
    min: 0,
    max: 65535,
    description: "HTTP port.",
  },
  dryRun: { env: "EVT_DRY_RUN", flag: "dry-run", type: "bool", default: false, description: "Apply nothing." },
  clusters: { env: "EVT_CLUSTERS", type: "list", default: [], description: "Clusters to watch." },
  logLevel: {
    env: "EVT_LOG_LEVEL",
    type: "string",
    default: "info",
    choices: ["debug", "info", "warn", "error"],
    description: "Log level.",
  },
  stream: { env: "EVT_STREAM", type: "string", required: true, description: "Internal stream." },
});

describe("settings", () => {
  test("settings - defaults, env and flags with flag > env > default", () => {
    const v = settings.parse({ EVT_STREAM: "EVENTS", EVT_HTTP_PORT: "9000", EVT_CLUSTERS: " a/b, c/d ,," }, []);
    expect(v).toEqual({
      natsUrl: "nats://127.0.0.1:4222",
      httpPort: 9000,
      dryRun: false,
      clusters: ["a/b", "c/d"],
      logLevel: "info",
      stream: "EVENTS",
    });
    const port: number = v.httpPort;
    const pw: string | undefined = v.natsPassword;
    expect([port, pw]).toEqual([9000, undefined]);
    const f = settings.parse({ EVT_STREAM: "E", EVT_HTTP_PORT: "9000" }, [
      "--http-port",
      "9100",
      "--dry-run",
      "--nats-url=nats://x:1",
    ]);
    expect(f).toMatchObject({ httpPort: 9100, dryRun: true, natsUrl: "nats://x:1" });
    expect(settings.parse({ EVT_STREAM: "E", EVT_DRY_RUN: "yes" }, ["--dry-run", "false"]).dryRun).toBe(false);
  });

  test("settings - parse errors name every bad env var and flag at once", () => {
    let err: unknown;
    try {
      settings.parse({ EVT_HTTP_PORT: "eighty", EVT_DRY_RUN: "maybe", EVT_LOG_LEVEL: "loud" }, [
        "--bogus",
        "--nats-url",
      ]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SettingsError);
    const e = err as SettingsError;
    expect(e.code).toBe("EVT_TELEMETRY_SETTINGS");
    expect(e.message).toContain('EVT_HTTP_PORT: expected an integer, got "eighty"');
    expect(e.message).toContain('EVT_DRY_RUN: expected true or false, got "maybe"');
    expect(e.message).toContain('EVT_LOG_LEVEL: "loud" is not one of debug, info, warn, error');
    expect(e.message).toContain("EVT_STREAM: required but not set");
    expect(e.message).toContain("--bogus: unknown flag");
    expect(e.message).toContain("--nats-url: needs a value");
    expect(
      e.problems
        .map((p) => p.env)
        .filter(Boolean)
        .sort(),
    ).toEqual(["EVT_DRY_RUN", "EVT_HTTP_PORT", "EVT_LOG_LEVEL", "EVT_NATS_URL", "EVT_STREAM"].sort());
    expect(() => settings.parse({ EVT_STREAM: "E" }, ["--http-port", "70000"])).toThrow(
      "--http-port: must be at most 65535, got 70000",
    );
  });

  test("settings - describe and markdown document every setting, secrets hidden", () => {
    const rows = settings.describe();
    expect(rows.map((r) => r.env)).toEqual([
      "EVT_NATS_URL",
      "EVT_NATS_PASSWORD",
      "EVT_HTTP_PORT",
      "EVT_DRY_RUN",
      "EVT_CLUSTERS",
      "EVT_LOG_LEVEL",
      "EVT_STREAM",
    ]);
    expect(rows[2]).toEqual({
      name: "httpPort",
      env: "EVT_HTTP_PORT",
      flag: "--http-port",
      type: "int",
      default: "8080",
      required: false,
      secret: false,
      description: "HTTP port.",
    });
    expect(rows[1]).toMatchObject({ secret: true });
    const md = settings.markdown();
    expect(md).toContain("| `EVT_HTTP_PORT` | `--http-port` | int | `8080` | HTTP port. |");
    expect(md).toContain("| `EVT_STREAM` |  | string | *required* | Internal stream. |");
    const v = settings.parse({ EVT_STREAM: "E", EVT_NATS_PASSWORD: "s3cret" }, []);
    expect(JSON.stringify(settings.summary(v))).not.toContain("s3cret");
  });

  test("settings - schema mistakes are caught at definition", () => {
    const code = { code: "EVT_TELEMETRY_SETTINGS_SCHEMA" };
    expect(() =>
      defineSettings({ a: { env: "X", type: "int", default: "1" as unknown as number, description: "d" } }),
    ).toThrow(expect.objectContaining(code));
    expect(() =>
      defineSettings({
        a: { env: "X", type: "int", description: "d" },
        b: { env: "X", type: "int", description: "d" },
      }),
    ).toThrow(expect.objectContaining(code));
    expect(() => defineSettings({ a: { env: "lower", type: "int", description: "d" } })).toThrow(
      expect.objectContaining(code),
    );
  });

  test("settings - SERVICE_SETTINGS gives every service the same log, HTTP and shutdown settings", () => {
    const s = defineSettings({ ...SERVICE_SETTINGS, stream: { env: "EVT_STREAM", type: "string", description: "d" } });
    expect(s.parse({}, [])).toEqual({
      logLevel: "info",
      httpHost: "127.0.0.1",
      httpPort: 8080,
      shutdownTimeoutMs: 10000,
    });
    expect(s.parse({ EVT_HTTP_HOST: "0.0.0.0", EVT_HTTP_PORT: "0" }, ["--log-level", "debug"])).toMatchObject({
      logLevel: "debug",
      httpHost: "0.0.0.0",
      httpPort: 0,
    });
    expect(() => s.parse({ EVT_LOG_LEVEL: "trace" }, [])).toThrow("EVT_LOG_LEVEL");
    expect(s.describe().map((r) => r.env)).toEqual([
      "EVT_LOG_LEVEL",
      "EVT_HTTP_HOST",
      "EVT_HTTP_PORT",
      "EVT_SHUTDOWN_TIMEOUT_MS",
      "EVT_STREAM",
    ]);
  });
});
