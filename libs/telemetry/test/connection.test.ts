import { connectionCheck } from "@evtrigger/telemetry";
import { type NatsServer, startNatsServer, waitFor } from "@evtrigger/testkit";
import { connect, type NatsConnection } from "@nats-io/transport-node";

describe("connection", () => {
  let ns: NatsServer;
  let nc: NatsConnection | undefined;
  beforeAll(async () => {
    ns = await startNatsServer({ jetstream: false });
  });
  afterAll(async () => {
    await nc?.close();
    await ns?.stop();
  });

  test("connection - readiness turns red when the NATS server stops and green when it returns", async () => {
    nc = await connect({ servers: ns.url, maxReconnectAttempts: -1, reconnectTimeWait: 50 });
    const c = connectionCheck(nc, "internal NATS");
    expect(c.check()).toBe(true);
    await ns.stop();
    await waitFor(() => c.check() !== true, { what: "check to fail" });
    expect(c.check()).toMatch(/^internal NATS disconnected since \d{4}-\d\d-\d\dT/);
    expect(c.connected).toBe(false);
    expect(nc.isClosed()).toBe(false);
    await ns.start();
    await waitFor(() => c.check() === true, { what: "check to recover", timeoutMs: 20_000 });
    expect(c.connected).toBe(true);
    await nc.close();
    expect(c.check()).toBe("internal NATS connection closed");
  });
});
