// ConfigMap creates per second through @kubernetes/client-node against the emulator, next to GET /version
// through the same client in the same run (the transport's cost: client-node opens a TLS connection per
// request), so `value / baseline` says how much of a create is the emulator's own work.
// Run alone: `node --import tsx libs/kube-emulator/bench/creates.ts`.
import { pathToFileURL } from "node:url";
import * as k8s from "@kubernetes/client-node";
import { startKubeEmulator } from "../src/internal.js";

export interface CreatesBenchRow {
  name: string;
  value: number;
  unit: string;
  baseline: number;
  baselineName: string;
  floor: number | null;
  note?: string;
}

async function rate(total: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await op(next++);
    }),
  );
  return total / (Number(process.hrtime.bigint() - started) / 1e9);
}

export async function benchCreates(o: { quick?: boolean } = {}): Promise<CreatesBenchRow> {
  const total = o.quick ? 300 : 1000;
  const concurrency = 8;
  const emu = await startKubeEmulator({ clusterName: "bench" });
  try {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(emu.kubeconfigPath);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const version = kc.makeApiClient(k8s.VersionApi);
    const create = (prefix: string) => (i: number) =>
      core.createNamespacedConfigMap({
        namespace: "default",
        body: { metadata: { name: `${prefix}-${i}` }, data: { i: String(i) } },
      });
    // Warm-up: JIT and the first TLS handshakes.
    await rate(100, concurrency, () => version.getCode());
    await rate(100, concurrency, create("warm"));
    const baseline = await rate(total, concurrency, () => version.getCode());
    const value = await rate(total, concurrency, create("cm"));
    return {
      name: "kube-emulator creates (client-node, ConfigMap)",
      value: Math.round(value),
      unit: "creates/s",
      baseline: Math.round(baseline),
      baselineName: "GET /version, same client",
      floor: null,
      note: `${total} creates, ${concurrency} in flight`,
    };
  } finally {
    await emu.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  benchCreates({ quick: process.argv.includes("--quick") }).then((r) => process.stdout.write(`${JSON.stringify(r)}\n`));
}
