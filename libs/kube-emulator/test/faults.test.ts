// Fault injection: 429 + Retry-After, 500, delay, dropped connection; the HTTP fault API; authentication.
import { FaultInjector, type KubeEmulator, startKubeEmulator } from "../src/mod.js";
import { api, kubectlFor } from "./helpers.js";

let emu: KubeEmulator;

beforeAll(async () => {
  emu = await startKubeEmulator({ clusterName: "faults-test" });
});
afterEach(() => emu.faults.clear());
afterAll(() => emu.stop());

describe("faults", () => {
  test("faults - requests without the token get a 401 Status", async () => {
    const r = await api(emu, "GET", "/api/v1/namespaces", undefined, { token: null });
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ kind: "Status", status: "Failure", reason: "Unauthorized", code: 401 });
    expect((await api(emu, "GET", "/api/v1/namespaces", undefined, { token: "wrong" })).status).toBe(401);
  });

  test("faults - 429 with Retry-After hits exactly the next N matching requests", async () => {
    emu.faults.inject({
      match: { verb: "list", resource: "configmaps" },
      count: 2,
      action: { status: 429, retryAfterSeconds: 7 },
    });
    expect((await api(emu, "GET", "/api/v1/namespaces")).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const r = await api(emu, "GET", "/api/v1/namespaces/default/configmaps");
      expect(r.status).toBe(429);
      expect(r.headers["retry-after"]).toBe("7");
      expect(r.body).toMatchObject({
        kind: "Status",
        reason: "TooManyRequests",
        code: 429,
        details: { retryAfterSeconds: 7 },
      });
    }
    expect((await api(emu, "GET", "/api/v1/namespaces/default/configmaps")).status).toBe(200);
  });

  test("faults - kubectl retries through a 429 with Retry-After", async () => {
    const kubectl = kubectlFor(emu);
    expect((await kubectl(["get", "ns", "default"])).code).toBe(0);
    emu.faults.inject({
      match: { verb: "get", resource: "namespaces", name: "default" },
      action: { status: 429, retryAfterSeconds: 1 },
    });
    const r = await kubectl(["get", "ns", "default", "-o", "name"]);
    expect(r.stdout).toBe("namespace/default\n");
    expect(emu.faults.list()).toEqual([]);
  });

  test("faults - 500 returns an InternalError Status", async () => {
    emu.faults.inject({ match: { verb: "create" }, action: { status: 500 } });
    const r = await api(emu, "POST", "/api/v1/namespaces/default/configmaps", { metadata: { name: "x500" } });
    expect(r.status).toBe(500);
    expect(r.body).toMatchObject({ kind: "Status", reason: "InternalError", code: 500 });
    expect((await api(emu, "GET", "/api/v1/namespaces/default/configmaps/x500")).status).toBe(404);
  });

  test("faults - a delayed request completes after a later undelayed one, and still succeeds", async () => {
    expect((await api(emu, "POST", "/api/v1/namespaces", { metadata: { name: "slow" } })).status).toBe(201);
    emu.faults.inject({ match: { verb: "get", name: "slow" }, action: { delayMs: 1000 } });
    const order: string[] = [];
    const slow = api(emu, "GET", "/api/v1/namespaces/slow").then((r) => {
      order.push("slow");
      return r;
    });
    const fast = await api(emu, "GET", "/api/v1/namespaces/default");
    order.push("fast");
    expect(fast.status).toBe(200);
    expect((await slow).status).toBe(200);
    expect(order).toEqual(["fast", "slow"]);
  });

  test("faults - drop closes the connection without an answer", async () => {
    emu.faults.inject({ match: { pathPrefix: "/api/v1/namespaces/default/secrets" }, action: { drop: true } });
    await expect(api(emu, "GET", "/api/v1/namespaces/default/secrets")).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await api(emu, "GET", "/api/v1/namespaces/default/secrets")).status).toBe(200);
  });

  test("faults - the HTTP fault API arms, lists and clears faults and needs the token", async () => {
    const spec = { match: { verb: "get", resource: "namespaces" }, count: 1, action: { status: 500 } };
    expect((await api(emu, "POST", "/_emulator/faults", spec, { token: null })).status).toBe(401);
    const armed = await api(emu, "POST", "/_emulator/faults", spec);
    expect(armed.status).toBe(201);
    expect(armed.body.id).toEqual(expect.any(String));
    const listed = await api(emu, "GET", "/_emulator/faults");
    expect(listed.body.faults).toEqual([{ id: armed.body.id, spec, remaining: 1 }]);
    expect((await api(emu, "GET", "/api/v1/namespaces/default")).status).toBe(500);
    expect((await api(emu, "GET", "/api/v1/namespaces/default")).status).toBe(200);
    await api(emu, "POST", "/_emulator/faults", spec);
    expect((await api(emu, "DELETE", "/_emulator/faults")).status).toBe(200);
    expect((await api(emu, "GET", "/api/v1/namespaces/default")).status).toBe(200);
    const bad = await api(emu, "POST", "/_emulator/faults", { action: { status: 418 } });
    expect(bad.status).toBe(400);
    expect(String(bad.body.message)).toContain("invalid fault spec");
  });

  test("faults - matching is by every given field; count is consumed; remove and clear disarm", () => {
    const f = new FaultInjector();
    const id = f.inject({
      match: { verb: "get", resource: "secrets", namespace: "a" },
      count: 2,
      action: { status: 500 },
    });
    const req = { verb: "get", resource: "secrets", namespace: "a", name: "x", path: "/api/v1/namespaces/a/secrets/x" };
    expect(f.take({ ...req, namespace: "b" })).toBeUndefined();
    expect(f.take({ ...req, verb: "list" })).toBeUndefined();
    expect(f.take(req)).toEqual({ status: 500 });
    expect(f.list()).toEqual([expect.objectContaining({ id, remaining: 1 })]);
    expect(f.take(req)).toEqual({ status: 500 });
    expect(f.take(req)).toBeUndefined();
    const a = f.inject({ action: { drop: true } });
    expect(f.remove(a)).toBe(true);
    expect(f.remove(a)).toBe(false);
    f.inject({ probability: 1, action: { delayMs: 5 } });
    expect(f.take(req)).toEqual({ delayMs: 5 });
    expect(f.take(req)).toEqual({ delayMs: 5 });
    f.clear();
    expect(f.take(req)).toBeUndefined();
  });

  test("faults - malformed specs are refused with EVT_KUBEEMU_FAULT", () => {
    const f = new FaultInjector();
    for (const bad of [
      {},
      { action: { status: 404 } },
      { action: { drop: true }, count: 0 },
      { action: { status: 500 }, probability: 2 },
    ]) {
      expect(() => f.inject(bad as never)).toThrow(expect.objectContaining({ code: "EVT_KUBEEMU_FAULT" }));
    }
  });
});
