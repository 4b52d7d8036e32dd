// A whole local system for the pipeline benchmarks: the same `dev up` the demo uses (real processes), plus
// the seed's configuration and a watch on the managed cluster's Namespaces.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "@evtrigger/testkit";
import { KubeConfig, type V1Namespace, Watch } from "@kubernetes/client-node";
import { type DevStack, devUp, repoRoot } from "../services/ctl/src/dev/devup.js";
import { applyObjects, objectApi, parseObjects } from "../services/ctl/src/dev/kube.js";

export async function startBenchStack(): Promise<DevStack> {
  const stack = await devUp({ dir: tempDir("evt-bench-"), clusterLabels: { env: "production" }, logLevel: "warn" });
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

/** Calls `on(type, name, atMs)` for every Namespace watch event in the managed cluster. */
export async function watchNamespaces(
  kubeconfig: string,
  on: (type: string, name: string, atMs: number) => void,
): Promise<{ stop(): void }> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const req = await new Watch(kc).watch(
    "/api/v1/namespaces",
    {},
    (type: string, obj: V1Namespace) => on(type, obj.metadata?.name ?? "", performance.now()),
    () => undefined,
  );
  return { stop: () => req.abort() };
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
