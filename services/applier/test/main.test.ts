// The production entry point (dist/main.js, built by `pnpm test`'s tsc -b) as a child process: settings from
// the environment, /readyz including Kubernetes reachability, clean exit on SIGTERM.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type KubeEmulator, startKubeEmulator } from "@evtrigger/kube-emulator";
import { type NatsServer, startNatsServer, waitFor } from "@evtrigger/testkit";
import { clusterYaml } from "./harness.js";

const main = join(dirname(fileURLToPath(import.meta.url)), "../dist/main.js");

describe("applier main", () => {
  let nats: NatsServer;
  let kube: KubeEmulator;
  let dir: string;
  let child: ChildProcess | undefined;
  let out = "";
  beforeAll(async () => {
    nats = await startNatsServer();
    kube = await startKubeEmulator({ clusterName: "main" });
    dir = mkdtempSync(join(tmpdir(), "evt-applier-main-"));
    writeFileSync(join(dir, "cluster.yaml"), clusterYaml(kube.kubeconfigPath));
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    await kube.stop();
    await nats.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("main - readiness reports Kubernetes reachability; SIGTERM exits 0", async () => {
    expect(existsSync(main)).toBe(true); // built by `pnpm test` (tsc -b) before jest runs
    child = spawn(process.execPath, [main], {
      env: { ...process.env, EVT_NATS_URL: nats.url, EVT_CONFIG_DIR: dir, EVT_HTTP_PORT: "0", EVT_LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr?.on("data", (d: Buffer) => {
      out += d.toString();
    });
    const url = await waitFor(() => /"msg":"listening","url":"([^"]+)"/.exec(out)?.[1], {
      timeoutMs: 20_000,
      what: "listening",
    });
    const ready = async () => {
      const r = await fetch(`${url}/readyz`);
      return {
        status: r.status,
        body: (await r.json()) as { checks: Record<string, { ok: boolean; reason?: string }> },
      };
    };
    const ok = await waitFor(async () => {
      const r = await ready();
      return r.status === 200 ? r : undefined;
    });
    expect(ok.body.checks.kubernetes?.ok).toBe(true);

    await kube.stop();
    const down = await waitFor(async () => {
      const r = await ready();
      return r.status === 503 ? r : undefined;
    });
    expect(down.body.checks.kubernetes?.ok).toBe(false);
    expect(JSON.stringify(down.body.checks.kubernetes)).toContain("default/clusterapi-workload");
    await kube.restart();
    await waitFor(async () => (await ready()).status === 200, { what: "ready again" });

    const exited = new Promise<number | null>((r) => child!.once("exit", (code) => r(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
