import { createLogger, createMetrics, type ServiceHttp, startServiceHttp } from "@evtrigger/telemetry";

const lines: string[] = [];
const logger = createLogger({ service: "test", level: "debug", stream: { write: (l: string) => lines.push(l) } });

describe("http", () => {
  let http: ServiceHttp | undefined;
  afterEach(async () => {
    await http?.close();
    http = undefined;
  });

  test("http - healthz answers ok and metrics serve Prometheus text", async () => {
    const metrics = createMetrics({ service: "gateway" });
    metrics.counter("evtrigger_messages_received_total", "received").inc(5);
    http = await startServiceHttp({ service: "gateway", logger, metrics, checks: {} });
    expect(http.port).toBeGreaterThan(0);
    expect(http.url).toBe(`http://127.0.0.1:${http.port}`);
    const h = await fetch(`${http.url}/healthz`);
    expect(h.status).toBe(200);
    expect(await h.json()).toEqual({ status: "ok" });
    const m = await fetch(`${http.url}/metrics`);
    expect(m.status).toBe(200);
    expect(m.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await m.text();
    expect(text).toContain('evtrigger_messages_received_total{service="gateway"} 5');
    expect(text).toContain(
      'evtrigger_http_requests_total{route="/healthz",method="GET",status="200",service="gateway"} 1',
    );
  });

  test("http - readyz turns 503 naming the failing check and why, then back to 200", async () => {
    let nats: true | string = true;
    const checks: Record<string, () => Promise<true | string> | true | string> = {};
    http = await startServiceHttp({
      service: "matcher",
      logger,
      metrics: createMetrics({ service: "matcher", defaultMetrics: false }),
      checks: Object.assign(checks, {
        nats: () => nats,
        streams: async () => true,
        kube: async () => {
          if (nats !== true) throw new Error("kube API unreachable at https://admin:s3cret@10.0.0.1");
          return true;
        },
      }),
    });
    const ok = await fetch(`${http.url}/readyz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({
      status: "ready",
      checks: { nats: { ok: true }, streams: { ok: true }, kube: { ok: true } },
    });
    nats = "NATS disconnected";
    const bad = await fetch(`${http.url}/readyz`);
    expect(bad.status).toBe(503);
    expect(await bad.json()).toEqual({
      status: "not ready",
      checks: {
        nats: { ok: false, reason: "NATS disconnected" },
        streams: { ok: true },
        kube: { ok: false, reason: "kube API unreachable at https://admin:[REDACTED]@10.0.0.1" },
      },
    });
    nats = true;
    expect((await fetch(`${http.url}/readyz`)).status).toBe(200);
    checks["cluster default/c1"] = () => "connecting";
    const added = await fetch(`${http.url}/readyz`);
    expect(added.status).toBe(503);
    expect(await added.json()).toMatchObject({ checks: { "cluster default/c1": { ok: false, reason: "connecting" } } });
  });

  test("http - a check that hangs fails with a timeout instead of hanging readyz", async () => {
    http = await startServiceHttp({
      service: "applier",
      logger,
      metrics: createMetrics({ service: "applier", defaultMetrics: false }),
      checkTimeoutMs: 50,
      checks: { stuck: () => new Promise<true>(() => {}) },
    });
    const r = await fetch(`${http.url}/readyz`);
    expect(r.status).toBe(503);
    expect(await r.json()).toMatchObject({ checks: { stuck: { ok: false, reason: "timed out after 50 ms" } } });
  });

  test("http - only GET and HEAD are allowed", async () => {
    http = await startServiceHttp({
      service: "gateway",
      logger,
      metrics: createMetrics({ service: "gateway", defaultMetrics: false }),
      checks: {},
    });
    for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
      for (const path of ["/healthz", "/metrics", "/readyz", "/nope"]) {
        const r = await fetch(`${http.url}${path}`, { method });
        expect([method, path, r.status]).toEqual([method, path, 405]);
        expect(r.headers.get("allow")).toBe("GET, HEAD");
      }
    }
    const head = await fetch(`${http.url}/healthz`, { method: "HEAD" });
    expect(head.status).toBe(200);
    const missing = await fetch(`${http.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "no route GET /nope" });
  });

  test("http - extra routes need a response schema and must be read-only", async () => {
    const metrics = createMetrics({ service: "applier", defaultMetrics: false });
    await expect(
      startServiceHttp({
        service: "applier",
        logger,
        metrics,
        checks: {},
        routes: (app) => {
          app.get("/x", async () => "x");
        },
      }),
    ).rejects.toMatchObject({ code: "EVT_TELEMETRY_ROUTE_SCHEMA" });
    await expect(
      startServiceHttp({
        service: "applier",
        logger,
        metrics,
        checks: {},
        routes: (app) => {
          app.post("/x", { schema: { response: { 200: { type: "string" } } } }, async () => "x");
        },
      }),
    ).rejects.toMatchObject({ code: "EVT_TELEMETRY_ROUTE_SCHEMA" });
    http = await startServiceHttp({
      service: "applier",
      logger,
      metrics,
      checks: {},
      routes: (app) => {
        app.get("/", { schema: { response: { 200: { type: "string" } } } }, async (_req, reply) =>
          reply.type("text/html").send("<h1>status</h1>"),
        );
      },
    });
    const r = await fetch(`${http.url}/`);
    expect(r.status).toBe(200);
    expect(await r.text()).toBe("<h1>status</h1>");
  });

  test("http - a failing route answers 500 without details and is logged", async () => {
    lines.length = 0;
    http = await startServiceHttp({
      service: "applier",
      logger,
      metrics: createMetrics({ service: "applier", defaultMetrics: false }),
      checks: {},
      routes: (app) => {
        app.get("/boom", { schema: { response: { 200: { type: "string" } } } }, async () => {
          throw new Error("secret internals");
        });
      },
    });
    const r = await fetch(`${http.url}/boom`);
    expect(r.status).toBe(500);
    expect(JSON.stringify(await r.json())).not.toContain("secret internals");
    expect(lines.some((l) => l.includes("http handler failed") && l.includes("secret internals"))).toBe(true);
  });

  test("http - close stops listening and is idempotent", async () => {
    const h = await startServiceHttp({
      service: "gateway",
      logger,
      metrics: createMetrics({ service: "gateway", defaultMetrics: false }),
      checks: {},
    });
    await Promise.all([h.close(), h.close()]);
    await expect(fetch(`${h.url}/healthz`)).rejects.toThrow();
  });

  test("http - a taken port fails with a clear error naming the address", async () => {
    const metrics = createMetrics({ service: "gateway", defaultMetrics: false });
    http = await startServiceHttp({ service: "gateway", logger, metrics, checks: {} });
    await expect(
      startServiceHttp({ service: "matcher", port: http.port, logger, metrics, checks: {} }),
    ).rejects.toMatchObject({
      code: "EVT_TELEMETRY_HTTP_LISTEN",
      message: `matcher http: cannot listen on 127.0.0.1:${http.port}: address in use`,
    });
  });

  test("http - invalid port is rejected with a clear error", async () => {
    await expect(
      startServiceHttp({
        service: "gateway",
        port: 70000,
        logger,
        metrics: createMetrics({ service: "gateway", defaultMetrics: false }),
        checks: {},
      }),
    ).rejects.toMatchObject({ code: "EVT_TELEMETRY_HTTP_OPTIONS" });
  });
});
