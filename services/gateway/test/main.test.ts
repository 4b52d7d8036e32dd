// The production entry point as a real process (dist/main.js, built by `pnpm test`/`pnpm build`): settings from env,
// config from a directory (SveltosCluster + kubeconfig of a managed-cluster emulator), HTTP health, SIGTERM drain.
import { type ChildProcess, execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { type KubeEmulator, startKubeEmulator } from "@evtrigger/kube-emulator";
import { tempDir } from "@evtrigger/testkit";
import {
  type Harness,
  json,
  publisher,
  seedLogin,
  spawnGateway,
  startInternal,
  startNatsServer,
  waitFor,
  waitForEvents,
  writeClusterDir,
} from "./helpers.js";

const run = promisify(execFile);

describe("gateway main", () => {
  let h: Harness;
  let managed: KubeEmulator;
  let upstream: Awaited<ReturnType<typeof startNatsServer>>;
  let proc: ChildProcess | undefined;
  let lines: Record<string, unknown>[] = [];
  const work = tempDir("evt-gateway-main-");

  beforeAll(async () => {
    h = await startInternal();
    upstream = await startNatsServer({ jetstream: false, token: "t0ken-value" });
    managed = await startKubeEmulator({ clusterName: "managed" });
    const kubectl = (...args: string[]) =>
      run("kubectl", ["--kubeconfig", managed.kubeconfigPath, "--cache-dir", join(work, "cache"), ...args]);
    await kubectl("create", "namespace", "projectsveltos");
    writeFileSync(
      join(work, "nats.json"),
      JSON.stringify({
        nats: {
          configuration: { url: upstream.url, subjects: ["user-operation"], authorization: { token: "t0ken-value" } },
        },
      }),
    );
    await kubectl(
      ...["create", "secret", "generic", "sveltos-nats", "-n", "projectsveltos"],
      `--from-file=sveltos-nats=${join(work, "nats.json")}`,
    );
    const dir = join(work, "config");
    writeClusterDir(dir, "prod", managed.kubeconfigPath);
    ({ proc, lines } = spawnGateway({
      EVT_NATS_URL: h.internal.url,
      EVT_CONFIG_DIR: dir,
      EVT_HTTP_PORT: "0",
      EVT_LOG_LEVEL: "info",
    }));
  });

  afterAll(async () => {
    if (proc && proc.exitCode === null) proc.kill("SIGKILL");
    await managed?.stop();
    await upstream?.stop();
    await h?.stop();
  });

  test("main - listens, becomes ready, forwards events, reports clusters, follows NATS in readyz, exits on SIGTERM", async () => {
    const listening = await waitFor(() => lines.find((l) => l.msg === "listening"), {
      what: "listening",
      timeoutMs: 20_000,
    });
    const url = String(listening.url);
    await waitFor(() => lines.some((l) => l.msg === "ready"), { what: "ready" });
    await waitFor(async () => (await fetch(`${url}/readyz`)).status === 200, { what: "readyz 200" });
    await waitFor(
      async () => {
        const s = (await (await fetch(`${url}/clusters`)).json()) as {
          clusters: { cluster: string; connections: { state: string }[] }[];
        };
        return s.clusters[0]?.cluster === "default/prod" && s.clusters[0].connections[0]?.state === "connected";
      },
      { what: "cluster connected" },
    );
    const pub = await publisher({ servers: upstream.url, token: "t0ken-value" });
    pub.publish("user-operation", json({ ...seedLogin, id: "via-main" }));
    await pub.flush();
    await pub.close();
    await waitForEvents(h.bus.jsm, (e) => e.record.event.id === "via-main");
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(text).toMatch(/evtrigger_gateway_normalized_total\{[^}]*cluster="default\/prod"[^}]*\} 1/);
    expect(text).toMatch(/evtrigger_messages_normalized_total\{[^}]*cluster="default\/prod"[^}]*\} 1/);
    const all = JSON.stringify(lines);
    expect(all).not.toContain("t0ken-value");
    expect(all).not.toContain("User mgianluc login"); // bodies never at info
    // Readiness follows the internal NATS: red while it is down, green once it is back.
    await h.internal.stop();
    const red = await waitFor(
      async () => {
        const r = await fetch(`${url}/readyz`);
        return r.status === 503 ? r.text() : undefined;
      },
      { what: "readyz 503" },
    );
    expect(red).toContain("internal NATS");
    await h.internal.start();
    await waitFor(async () => (await fetch(`${url}/readyz`)).status === 200, { what: "readyz 200 again" });
    const exited = new Promise<number | null>((r) => proc!.once("exit", (code) => r(code)));
    proc!.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
