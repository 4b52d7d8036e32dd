import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Bus, CONSUMERS, connectBus, ensureDurable, ensureTopology, eventSubject } from "@evtrigger/bus";
import { createLogger, createMetrics, type ServiceHttp, startServiceHttp } from "@evtrigger/telemetry";
import { type NatsServer, startNatsServer } from "@evtrigger/testkit";
import { jest } from "@jest/globals";
import { status } from "../src/commands/status.js";
import { collectStatus } from "../src/status/collect.js";
import { formatStatus } from "../src/status/format.js";

const logger = createLogger({ service: "test", level: "error", stream: { write: () => true } });

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const spyOut = jest.spyOn(process.stdout, "write").mockImplementation((c: string | Uint8Array) => {
    out += String(c);
    return true;
  });
  const spyErr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    return { code: await status.run(argv), out };
  } finally {
    spyOut.mockRestore();
    spyErr.mockRestore();
  }
}

describe("status", () => {
  let ns: NatsServer;
  let bus: Bus;
  const endpoints: ServiceHttp[] = [];
  let applierNats: true | string = true;
  let dir: string;

  beforeAll(async () => {
    ns = await startNatsServer();
    bus = await connectBus({ servers: ns.url, name: "status-test" });
    await ensureTopology(bus.jsm, bus.kvm);
    await ensureDurable(bus.jsm, { stream: CONSUMERS.matcher.stream, durable: CONSUMERS.matcher.durable });
    await ensureDurable(bus.jsm, { stream: CONSUMERS.applier.stream, durable: CONSUMERS.applier.durable });
    for (let i = 0; i < 3; i++) {
      await bus.js.publish(eventSubject({ namespace: "default", name: "c1" }), `{"n":${i}}`);
    }
    await bus.js.publish("evt.dlq.gateway", "{}");
    const start = (service: string, checks: Record<string, () => true | string>) =>
      startServiceHttp({ service, logger, metrics: createMetrics({ service, defaultMetrics: false }), checks });
    endpoints.push(await start("gateway", { nats: () => true }));
    endpoints.push(await start("matcher", { nats: () => true }));
    endpoints.push(await start("applier", { nats: () => applierNats, kube: () => true }));
    dir = mkdtempSync(join(tmpdir(), "evt-status-"));
    writeFileSync(
      join(dir, "env.json"),
      JSON.stringify({
        natsUrl: ns.url,
        services: { gateway: endpoints[0].url, matcher: endpoints[1].url, applier: endpoints[2].url },
      }),
    );
  });

  afterAll(async () => {
    for (const e of endpoints) await e.close();
    await bus?.close();
    await ns?.stop();
  });

  test("status - every service ready shows stream lag per consumer and exits 0", async () => {
    applierNats = true;
    const r = await run(["--env-file", join(dir, "env.json")]);
    expect(r.code).toBe(0);
    const lines = r.out.split("\n");
    expect(lines[0]).toMatch(/^SERVICE\s+READY\s+STREAM\s+CONSUMERS\s+PENDING\s+ACK PENDING\s+PROBLEMS$/);
    expect(lines[1]).toMatch(/^gateway\s+yes\s+-\s+-\s+-\s+-\s+-$/);
    expect(lines[2]).toMatch(/^matcher\s+yes\s+EVT_EVENTS\s+1\s+3\s+0\s+-$/);
    expect(lines[3]).toMatch(/^applier\s+yes\s+EVT_MATCHES\s+1\s+0\s+0\s+-$/);
    expect(r.out).toContain("dead letters: 1");
  });

  test("status - a failing check names the service and reason and exits 1", async () => {
    applierNats = "NATS disconnected";
    const r = await run(["--env-file", join(dir, "env.json"), "-o", "json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(report.ok).toBe(false);
    expect(report.services[2]).toMatchObject({
      service: "applier",
      ready: "no",
      problems: ["nats: NATS disconnected"],
    });
    applierNats = true;
  });

  test("status - an unreachable service and an unreachable NATS are reported, not thrown", async () => {
    const gone = await startServiceHttp({
      service: "gone",
      logger,
      metrics: createMetrics({ service: "gone", defaultMetrics: false }),
      checks: {},
    });
    await gone.close();
    const report = await collectStatus({
      services: { matcher: gone.url },
      nats: { servers: "nats://127.0.0.1:1" },
      timeoutMs: 1000,
    });
    expect(report.ok).toBe(false);
    expect(report.services[0]).toMatchObject({ service: "matcher", ready: "unreachable" });
    expect(report.natsError).toMatch(/^cannot read streams from nats:\/\/127\.0\.0\.1:1/);
    const text = formatStatus(report);
    expect(text).toMatch(/^matcher\s+unreachable\s+-/m);
    expect(text).toContain("streams: cannot read streams from nats://127.0.0.1:1");
  });

  test("status - without services it explains what to pass", async () => {
    expect((await run([])).code).toBe(2);
  });
});
