import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type CommonValues,
  type ConfigStatus,
  commonSettings,
  openBus,
  openConfig,
  RuntimeError,
  type Service,
  serve,
} from "@evtrigger/runtime";
import { createLogger, createMetrics, defineSettings, initTracing, ServiceLifecycle } from "@evtrigger/telemetry";
import { type NatsServer, startNatsServer, tempDir } from "@evtrigger/testkit";

const settings = defineSettings(commonSettings({ dir: "EventSources", cluster: "EventSources" }));

function service(env: Record<string, string>): Service<CommonValues> {
  const cfg = settings.parse(env, []) as CommonValues;
  const lifecycle = new ServiceLifecycle({ timeoutMs: 1000, exit: () => undefined });
  return {
    name: "runtime-test",
    cfg,
    logger: createLogger({ service: "runtime-test", level: "error" }),
    metrics: createMetrics({ service: "runtime-test", defaultMetrics: false }),
    tracing: initTracing({ service: "runtime-test", env: {} }),
    lifecycle,
  };
}

describe("runtime", () => {
  let srv: NatsServer | undefined;
  afterAll(async () => srv?.stop());

  test("runtime - common settings parse the bus and config source from the environment", () => {
    const s = service({ EVT_NATS_URL: "nats://a:1,nats://b:2", EVT_CONFIG_DIR: "/cfg", EVT_NATS_PASSWORD: "pw" });
    expect(s.cfg.natsUrl).toEqual(["nats://a:1", "nats://b:2"]);
    expect(s.cfg.configDir).toBe("/cfg");
    expect(settings.describe().map((r) => r.env)).toEqual(
      expect.arrayContaining(["EVT_NATS_URL", "EVT_CONFIG_DIR", "EVT_MANAGEMENT_KUBECONFIG", "EVT_HTTP_PORT"]),
    );
    expect(JSON.stringify(settings.summary(s.cfg as never))).not.toContain("pw");
  });

  test("runtime - no config source is a clear start-up error", async () => {
    await expect(openConfig(service({}), { writeStatus: false })).rejects.toThrow(
      /set EVT_CONFIG_DIR or EVT_MANAGEMENT_KUBECONFIG/,
    );
    await expect(openConfig(service({}), { writeStatus: false })).rejects.toBeInstanceOf(RuntimeError);
  });

  test("runtime - the bus check is green while connected and the config check once synced", async () => {
    srv = await startNatsServer({ user: "u", password: "p" });
    const s = service({ EVT_NATS_URL: srv.url, EVT_NATS_USER: "u", EVT_NATS_PASSWORD: "p", EVT_CONFIG_DIR: tempDir() });
    const { bus, check } = await openBus(s);
    expect(await check()).toBe(true);
    const { check: config } = await openConfig(s, { writeStatus: false });
    expect(await config()).toBe(true);
    await s.lifecycle.shutdown();
    expect(bus.nc.isClosed()).toBe(true);
  });

  test("runtime - a service with a config store serves GET /status/config (what its store has observed)", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: default}\n");
    const s = service({ EVT_CONFIG_DIR: dir, EVT_HTTP_PORT: "0" });
    await openConfig(s, { writeStatus: false });
    const { url } = await serve(s, { checks: {} });
    try {
      const r = await fetch(`${url}/status/config`);
      expect(r.status).toBe(200);
      const body = (await r.json()) as ConfigStatus;
      expect(body).toMatchObject({ service: "runtime-test", ready: true, source: "directory", scans: 1 });
      expect(Object.keys(body.files ?? {})).toEqual(["a.yaml"]);
      expect(body.files?.["a.yaml"]).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await s.lifecycle.shutdown();
    }
  });
});
