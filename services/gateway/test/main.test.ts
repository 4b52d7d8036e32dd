// The production entry point as a real process (dist/main.js, built by `pnpm test`/`pnpm build`): settings from env,
// config from a directory (SveltosCluster + kubeconfig of a managed-cluster emulator), HTTP health, SIGTERM drain.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type KubeEmulator, startKubeEmulator } from "@evtrigger/kube-emulator";
import { tempDir } from "@evtrigger/testkit";
import {
  type Harness,
  json,
  publisher,
  seedLogin,
  startInternal,
  startNatsServer,
  waitFor,
  waitForEvents,
} from "./helpers.js";

const run = promisify(execFile);
const main = join(dirname(fileURLToPath(import.meta.url)), "../dist/main.js");

describe("gateway main", () => {
  let h: Harness;
  let managed: KubeEmulator;
  let upstream: Awaited<ReturnType<typeof startNatsServer>>;
  let proc: ChildProcess | undefined;
  const lines: Record<string, unknown>[] = [];
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
    await run("mkdir", ["-p", dir]);
    writeFileSync(
      join(dir, "cluster.yaml"),
      `apiVersion: lib.projectsveltos.io/v1beta1\nkind: SveltosCluster\nmetadata:\n  name: prod\n  namespace: default\n  annotations: {evtrigger.io/kubeconfig-file: ${JSON.stringify(managed.kubeconfigPath)}}\nspec: {}\n`,
    );
    proc = spawn(process.execPath, [main], {
      env: {
        ...process.env,
        EVT_NATS_URL: h.internal.url,
        EVT_CONFIG_DIR: dir,
        EVT_HTTP_PORT: "0",
        EVT_LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let buf = "";
    proc.stdout!.on("data", (d: Buffer) => {
      buf += d.toString();
      for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        try {
          lines.push(JSON.parse(line));
        } catch {
          lines.push({ raw: line });
        }
      }
    });
  });

  afterAll(async () => {
    if (proc && proc.exitCode === null) proc.kill("SIGKILL");
    await managed?.stop();
    await upstream?.stop();
    await h?.stop();
  });

  test("main - listens, becomes ready, forwards events, reports clusters, exits cleanly on SIGTERM", async () => {
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
    const exited = new Promise<number | null>((r) => proc!.once("exit", (code) => r(code)));
    proc!.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
