import { readFileSync } from "node:fs";
import { makeNkeyUser, makeSelfSignedTls, type NatsServer, startNatsServer } from "@evtrigger/testkit";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, nkeyAuthenticator } from "@nats-io/transport-node";

describe("testkit nats-server", () => {
  let srv: NatsServer | undefined;
  afterEach(async () => {
    await srv?.stop();
    srv = undefined;
  });

  test("testkit - JetStream publish/consume survives a restart with the same store", async () => {
    srv = await startNatsServer();
    expect(srv.port).not.toBe(4222);
    let nc = await connect({ servers: srv.url });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: "KIT", subjects: ["kit.>"] });
    const js = jetstream(nc);
    for (let i = 0; i < 5; i++) await js.publish("kit.a", `m${i}`);
    await nc.close();

    await srv.restart();
    nc = await connect({ servers: srv.url });
    const c = await jetstream(nc).consumers.get("KIT");
    const seen: string[] = [];
    const iter = await c.fetch({ max_messages: 5, expires: 5000 });
    for await (const m of iter) {
      seen.push(m.string());
      m.ack();
    }
    expect(seen).toEqual(["m0", "m1", "m2", "m3", "m4"]);
    await nc.close();
  });

  test("testkit - user/password auth rejects a wrong password", async () => {
    srv = await startNatsServer({ user: "admin", password: "my-password" });
    const ok = await connect({ servers: srv.url, user: "admin", pass: "my-password" });
    await ok.close();
    await expect(connect({ servers: srv.url, user: "admin", pass: "wrong" })).rejects.toThrow(/auth/i);
  });

  test("testkit - goMaxProcs reaches the server's environment, and the pid is the running server's", async () => {
    srv = await startNatsServer({ goMaxProcs: 1 });
    const environ = readFileSync(`/proc/${srv.pid}/environ`, "utf8").split("\0");
    expect(environ).toContain("GOMAXPROCS=1");
    await srv.stop();
    expect(srv.pid).toBeUndefined();
  });

  test("testkit - token auth rejects a wrong token", async () => {
    srv = await startNatsServer({ token: "s3cret" });
    const ok = await connect({ servers: srv.url, token: "s3cret" });
    await ok.close();
    await expect(connect({ servers: srv.url, token: "nope" })).rejects.toThrow(/auth/i);
  });

  test("testkit - nkey auth accepts the seed and rejects another key", async () => {
    const good = makeNkeyUser();
    const other = makeNkeyUser();
    srv = await startNatsServer({ nkeys: [good.publicKey] });
    const ok = await connect({
      servers: srv.url,
      authenticator: nkeyAuthenticator(new TextEncoder().encode(good.seed)),
    });
    await ok.close();
    await expect(
      connect({ servers: srv.url, authenticator: nkeyAuthenticator(new TextEncoder().encode(other.seed)) }),
    ).rejects.toThrow(/auth/i);
  });

  test("testkit - TLS with a custom CA, and mTLS requiring a client certificate", async () => {
    const tls = makeSelfSignedTls();
    srv = await startNatsServer({ tls: { ...tls, verify: true } });
    const ok = await connect({
      servers: srv.url,
      tls: { ca: tls.ca, cert: tls.clientCert, key: tls.clientKey },
    });
    await ok.flush();
    await ok.close();
    await expect(connect({ servers: srv.url, tls: { ca: tls.ca }, timeout: 2000, reconnect: false })).rejects.toThrow();
  });

  test("testkit - a missing binary is reported with the install command", async () => {
    const { findNatsServer } = await import("@evtrigger/testkit");
    const saved = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      expect(() => findNatsServer([])).toThrow(/apt-get install -y nats-server/);
    } finally {
      process.env.PATH = saved;
    }
  });
});
