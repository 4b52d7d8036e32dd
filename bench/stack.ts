// A whole local system for the pipeline benchmarks: the same `dev up` the demo uses (real processes), plus
// the seed's configuration and a client for the managed cluster's Namespaces (and its commit log).
import { readFileSync } from "node:fs";
import type https from "node:https";
import { join } from "node:path";
import { tempDir } from "@evtrigger/testkit";
import { KubeConfig } from "@kubernetes/client-node";
import { Pool } from "undici";
import type { Commit } from "../libs/kube-emulator/src/store/commits.js";
import { type DevStack, devUp, repoRoot } from "../services/ctl/src/dev/devup.js";
import { applyObjects, objectApi, parseObjects } from "../services/ctl/src/dev/kube.js";

export { monotonicMs } from "../libs/kube-emulator/src/store/commits.js";

export async function startBenchStack(): Promise<DevStack> {
  // EVT_BENCH_CPU_PROF=DIR: every service and emulator runs under `node --cpu-prof` and writes its profile there
  // when the stack stops (open them in Chrome DevTools, or summarise them by self time).
  const profDir = process.env.EVT_BENCH_CPU_PROF;
  const stack = await devUp({
    dir: tempDir("evt-bench-"),
    clusterLabels: { env: "production" },
    logLevel: "warn",
    echo: process.env.EVT_BENCH_ECHO ? (l: string) => process.stderr.write(`${Date.now()} ${l}\n`) : undefined,
    nodeArgs: [
      ...(profDir ? ["--cpu-prof", `--cpu-prof-dir=${profDir}`] : []),
      ...(process.env.EVT_BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
    ],
  });
  const seed = join(repoRoot, "e2e/seed/05-end-to-end.yaml");
  // The seed's trigger without drift detection: this measures the event path, not the drift watcher.
  const text = readFileSync(seed, "utf8").replace("syncMode: ContinuousWithDriftDetection", "syncMode: Continuous");
  await applyObjects(objectApi(stack.env.managementKubeconfig), parseObjects(text, seed));
  return stack;
}

export async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  return line ? Number(line.split(" ").pop()) : Number.NaN;
}

export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await Promise.resolve(check()).catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** One Namespace change as the emulator committed it; `atMs` is on the host's monotonic clock (monotonicMs). */
export type NamespaceCommit = Pick<Commit, "type" | "name" | "atMs">;

export interface NamespaceClient {
  create(name: string): Promise<void>;
  delete(name: string): Promise<void>;
  /**
   * Starts the emulator's commit log of Namespaces (a new one each call); the function it returns reads the
   * commits recorded since its last call.
   */
  recordCommits(): Promise<() => Promise<NamespaceCommit[]>>;
  close(): Promise<void>;
}

/**
 * Namespaces in an emulated cluster the way the applier talks to it: an undici pool with keep-alive (32
 * connections) and the credentials client-node's KubeConfig reads. Changes are observed through the emulator's
 * commit log, read after the fact, not through a watch: on two cores the measuring side must not take the CPU the
 * measured pipeline needs (a watch cost the emulator and the benchmark ~150 µs per event at 1,000/s).
 */
export async function namespaceClient(kubeconfig: string): Promise<NamespaceClient> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const tls: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(tls);
  const pool = new Pool(kc.getCurrentCluster()!.server, {
    connections: 32,
    keepAliveTimeout: 60_000,
    connect: { ca: tls.ca, cert: tls.cert, key: tls.key },
  });
  const headers = {
    ...(tls.headers as Record<string, string>),
    accept: "application/json",
    "content-type": "application/json",
  };
  return {
    async create(name) {
      const res = await pool.request({
        method: "POST",
        path: "/api/v1/namespaces",
        headers,
        body: JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name } }),
      });
      await res.body.dump();
      if (res.statusCode !== 201) throw new Error(`create namespace ${name}: HTTP ${res.statusCode}`);
    },
    async delete(name) {
      const res = await pool.request({ method: "DELETE", path: `/api/v1/namespaces/${name}`, headers, reset: false });
      await res.body.dump();
      if (res.statusCode !== 200 && res.statusCode !== 202 && res.statusCode !== 404) {
        throw new Error(`delete namespace ${name}: HTTP ${res.statusCode}`);
      }
    },
    async recordCommits() {
      const res = await pool.request({
        method: "POST",
        path: "/_emulator/commits",
        headers,
        body: JSON.stringify({ resources: ["namespaces"], max: 1_000_000 }),
      });
      await res.body.dump();
      if (res.statusCode !== 201) throw new Error(`start the commit log: HTTP ${res.statusCode}`);
      let next = 0;
      return async () => {
        const r = await pool.request({ method: "GET", path: `/_emulator/commits?after=${next}`, headers });
        if (r.statusCode !== 200) {
          await r.body.dump();
          throw new Error(`read the commit log: HTTP ${r.statusCode}`);
        }
        const page = (await r.body.json()) as { commits: NamespaceCommit[]; next: number; full: boolean };
        if (page.full) throw new Error("the emulator's commit log is full");
        next = page.next;
        return page.commits;
      };
    },
    close: () => pool.destroy(),
  };
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** CPU time (user + system, ms) of each process of the stack, by name, read from /proc (Linux). */
export function stackCpuMs(stack: DevStack): Map<string, number> {
  const out = new Map<string, number>();
  const pids: [string, number | undefined][] = [
    ["nats-server", stack.nats.pid],
    ...Object.entries(stack.children).map(([name, c]) => [name, c.proc.pid] as [string, number | undefined]),
    ["benchmark", process.pid],
  ];
  for (const [name, pid] of pids) {
    if (pid === undefined) continue;
    try {
      // Fields after "(comm)": state is the 1st, utime the 12th and stime the 13th, in clock ticks (100/s).
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      out.set(name, (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // Not Linux, or the process is gone: that row is left out.
    }
  }
  return out;
}

/** "applier 463, nats-server 422, …" in µs per event between two stackCpuMs readings, largest first. */
export function cpuPerEvent(before: Map<string, number>, after: Map<string, number>, events: number): string {
  const rows = [...after]
    .map(([name, ms]) => [name, ((ms - (before.get(name) ?? ms)) * 1000) / events] as const)
    .filter(([, us]) => us >= 1)
    .sort((a, b) => b[1] - a[1]);
  const total = rows.reduce((n, [, us]) => n + us, 0);
  return `CPU µs/event ${Math.round(total)}: ${rows.map(([n, us]) => `${n} ${Math.round(us)}`).join(", ")}`;
}
