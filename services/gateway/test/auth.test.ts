import { freePort, makeNkeyUser, makeSelfSignedTls } from "@evtrigger/testkit";
import {
  credsAuthenticator,
  type NatsConnection,
  type NodeConnectionOptions,
  nkeyAuthenticator,
} from "@nats-io/transport-node";
import { type Gateway, MemoryClusterSource, startGateway } from "../src/mod.js";
import {
  cluster,
  type Harness,
  json,
  publisher,
  seedLogin,
  startInternal,
  startNatsServer,
  TestMetrics,
  waitFor,
  waitForEvents,
} from "./helpers.js";
import { makeOperatorCreds } from "./jwt.js";

type Server = Awaited<ReturnType<typeof startNatsServer>>;
const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("gateway upstream authentication", () => {
  let h: Harness;
  let gw: Gateway;
  const servers: Server[] = [];
  const pubs: NatsConnection[] = [];
  const source = new MemoryClusterSource();
  const metrics = new TestMetrics();
  const tls = makeSelfSignedTls();
  const nkey = makeNkeyUser();
  const operator = makeOperatorCreds();
  const publishers: Record<string, NodeConnectionOptions> = {};

  beforeAll(async () => {
    h = await startInternal();
    const add = async (
      name: string,
      server: Parameters<typeof startNatsServer>[0],
      auth: Record<string, unknown>,
      pubOpts: Omit<NodeConnectionOptions, "servers">,
    ) => {
      const s = await startNatsServer({ jetstream: false, ...server });
      servers.push(s);
      source.set(cluster(name), { nats: { configuration: { url: s.url, subjects: ["events"], authorization: auth } } });
      publishers[name] = { servers: s.url, ...pubOpts };
    };
    await add("tls", { tls }, { rootCA: b64(tls.ca) }, { tls: { ca: tls.ca } });
    await add(
      "mtls",
      { tls: { ...tls, verify: true } },
      { rootCA: b64(tls.ca), clientCert: { certPem: b64(tls.clientCert), keyPem: b64(tls.clientKey) } },
      { tls: { ca: tls.ca, cert: tls.clientCert, key: tls.clientKey } },
    );
    await add("token", { token: "s3cr3t-token" }, { token: "s3cr3t-token" }, { token: "s3cr3t-token" });
    await add(
      "nkey",
      { nkeys: [nkey.publicKey] },
      { nkey: { seed: nkey.seed } },
      { authenticator: nkeyAuthenticator(new TextEncoder().encode(nkey.seed)) },
    );
    // .creds need decentralized auth (operator mode); the creds go in as base64, as a Secret value would.
    await add(
      "creds",
      { extraConfig: operator.serverConfig },
      { creds: b64(operator.creds) },
      { authenticator: credsAuthenticator(new TextEncoder().encode(operator.creds)) },
    );
    // Nothing listens there: this cluster must not disturb the others.
    source.set(cluster("down"), {
      nats: { configuration: { url: `nats://127.0.0.1:${await freePort()}`, subjects: ["events"] } },
    });
    gw = await startGateway({
      bus: h.bus,
      clusters: source,
      metrics,
      limits: { reconnect: { initialMs: 50, maxMs: 200 } },
    });
  });

  afterAll(async () => {
    await Promise.allSettled(pubs.map((p) => p.close()));
    await gw?.close();
    await Promise.allSettled(servers.map((s) => s.stop()));
    await h?.stop();
  });

  test.each(["tls", "mtls", "token", "nkey", "creds"])("auth - %s connection receives events", async (name) => {
    await waitFor(
      () => {
        const c = gw.status().clusters.find((x) => x.cluster === `default/${name}`)?.connections[0];
        return c?.state === "connected" && c.subscriptions[0]?.state === "active";
      },
      { what: `${name} connected` },
    );
    const pub = await publisher(publishers[name]!);
    pubs.push(pub);
    pub.publish("events", json({ ...seedLogin, id: `via-${name}` }));
    const [e] = await waitForEvents(h.bus.jsm, (x) => x.record.event.id === `via-${name}`);
    expect(e!.record.cluster.name).toBe(name);
    expect(metrics.get("evtrigger_gateway_upstream_connected", { cluster: `default/${name}`, transport: "nats" })).toBe(
      1,
    );
  });

  test("auth - the operator-mode server refuses a client without creds", async () => {
    await expect(publisher({ servers: publishers.creds!.servers })).rejects.toThrow(/auth/i);
  });

  test("auth - an unreachable cluster is reported and retried, the gateway stays ready", async () => {
    const down = await waitFor(() => {
      const c = gw.status().clusters.find((x) => x.cluster === "default/down");
      return c?.connections[0]?.state === "unreachable" ? c : undefined;
    });
    expect(down.state).toBe("active");
    expect(down.connections[0]!.error).toBeTruthy();
    expect(gw.ready()).toBe(true);
  });

  test("auth - wrong credentials are reported without leaking them", async () => {
    const s = servers.find((x) => x.url === publishers.token!.servers)!;
    source.set(cluster("badtoken"), {
      nats: { configuration: { url: s.url, subjects: ["events"], authorization: { token: "wrong-token" } } },
    });
    const c = await waitFor(() => {
      const x = gw.status().clusters.find((y) => y.cluster === "default/badtoken");
      return x?.connections[0]?.state === "unreachable" ? x : undefined;
    });
    expect(c.connections[0]!.error).toMatch(/auth/i);
    expect(JSON.stringify(gw.status())).not.toContain("wrong-token");
  });

  test("auth - an invalid Secret is reported with the field", async () => {
    source.set(cluster("invalid"), { nats: { configuration: { subjects: ["events"] } } });
    const c = await waitFor(() => {
      const x = gw.status().clusters.find((y) => y.cluster === "default/invalid");
      return x?.state === "invalid-config" ? x : undefined;
    });
    expect(c.problems).toEqual([
      { path: "data.sveltos-nats.nats.configuration.url", reason: "required field is missing" },
    ]);
    source.set(cluster("badsubject"), { nats: { configuration: { url: "nats://127.0.0.1:1", subjects: ["a b"] } } });
    const d = await waitFor(() => {
      const x = gw.status().clusters.find((y) => y.cluster === "default/badsubject");
      return x?.state === "invalid-config" ? x : undefined;
    });
    expect(d.problems[0]?.path).toBe("nats.configuration.subjects[0]");
    expect(d.connections).toEqual([]);
  });
});
