// kill -9 of the gateway process in the middle of a JetStream stream: after a restart every upstream message is on
// EVT_EVENTS exactly once (unacked ones are redelivered, the stored-but-unacked ones deduplicated by Nats-Msg-Id).
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { STREAMS } from "@evtrigger/bus";
import { type KubeEmulator, startKubeEmulator } from "@evtrigger/kube-emulator";
import { tempDir } from "@evtrigger/testkit";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { UPSTREAM_DURABLE } from "../src/mod.js";
import {
  type Harness,
  json,
  publisher,
  readEvents,
  seedLogin,
  spawnGateway,
  startInternal,
  startNatsServer,
  waitFor,
  writeClusterDir,
} from "./helpers.js";

const run = promisify(execFile);

describe("gateway crash", () => {
  let h: Harness;
  let managed: KubeEmulator;
  let upstream: Awaited<ReturnType<typeof startNatsServer>>;
  const procs: ReturnType<typeof spawnGateway>["proc"][] = [];
  const work = tempDir("evt-gateway-crash-");

  beforeAll(async () => {
    h = await startInternal();
    upstream = await startNatsServer();
    managed = await startKubeEmulator({ clusterName: "managed" });
    const kubectl = (...args: string[]) =>
      run("kubectl", ["--kubeconfig", managed.kubeconfigPath, "--cache-dir", join(work, "cache"), ...args]);
    await kubectl("create", "namespace", "projectsveltos");
    writeFileSync(
      join(work, "nats.json"),
      JSON.stringify({
        jetstream: { configuration: { url: upstream.url, streams: [{ name: "OPS", subjects: ["ops.>"] }] } },
      }),
    );
    await kubectl(
      ...["create", "secret", "generic", "sveltos-nats", "-n", "projectsveltos"],
      `--from-file=sveltos-nats=${join(work, "nats.json")}`,
    );
    writeClusterDir(join(work, "config"), "edge", managed.kubeconfigPath);
  });

  afterAll(async () => {
    for (const p of procs) if (p.exitCode === null) p.kill("SIGKILL");
    await managed?.stop();
    await upstream?.stop();
    await h?.stop();
  });

  const start = () => {
    const g = spawnGateway({
      EVT_NATS_URL: h.internal.url,
      EVT_CONFIG_DIR: join(work, "config"),
      EVT_HTTP_PORT: "0",
      EVT_LOG_LEVEL: "warn",
      // Messages the killed process held come back after AckWait: keep the test short.
      EVT_GATEWAY_ACK_WAIT_MS: "2000",
    });
    procs.push(g.proc);
    return g.proc;
  };

  test("crash - kill -9 mid-stream, restart: every message stored exactly once and acked upstream", async () => {
    const n = 2000;
    const pub = await publisher({ servers: upstream.url });
    const jsm = await jetstreamManager(pub);
    await jsm.streams.add({ name: "OPS", subjects: ["ops.>"] });
    const js = jetstream(pub);
    const first = start();
    const eventCount = async () => (await h.bus.jsm.streams.info(STREAMS.events.name)).state.messages;
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < n; i++) sends.push(js.publish("ops.user", json({ ...seedLogin, id: `crash-${i}` })));
    await Promise.all(sends);
    await waitFor(async () => (await eventCount()) >= n / 10, { what: "some events through", timeoutMs: 20_000 });
    const died = new Promise((r) => first.once("exit", r));
    first.kill("SIGKILL");
    await died;
    const before = await eventCount();
    start();
    await waitFor(async () => (await jsm.consumers.info("OPS", UPSTREAM_DURABLE)).ack_floor.stream_seq >= n, {
      what: "every upstream message acked after the restart",
      timeoutMs: 40_000,
    });
    const events = (await readEvents(h.bus.jsm)).filter((e) => e.record.event.id.startsWith("crash-"));
    expect(new Set(events.map((e) => e.record.event.id)).size).toBe(n);
    expect(events.length).toBe(n);
    expect(before).toBeLessThanOrEqual(n);
    await pub.close();
  });
});
