// Benchmark: ConfigMap creates per second through @kubernetes/client-node against the emulator.
// Plain .mjs over the built library (run `pnpm build` first) so the bench harness can import it directly;
// it lives in the lib so that @kubernetes/client-node (a devDependency here) resolves.
//
//   node libs/kube-emulator/bench/creates.mjs        → prints the JSON result
//   import { benchCreates } from ".../creates.mjs"   → await benchCreates() → {name, value, unit, baseline}
//
// `baseline` is GET /version through the same client in the same run: the transport's cost, so a ratio
// (value / baseline.value) says how much of a create is the emulator's own work.
import { pathToFileURL } from "node:url";
import * as k8s from "@kubernetes/client-node";
import { startKubeEmulator } from "../dist/mod.js";

async function rate(total, concurrency, op) {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await op(next++);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return total / seconds;
}

/** @returns {Promise<{name: string, value: number, unit: string, baseline: {name: string, value: number, unit: string}}>} */
export async function benchCreates({ total = 1000, concurrency = 8 } = {}) {
  const emu = await startKubeEmulator({ clusterName: "bench" });
  try {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(emu.kubeconfigPath);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const version = kc.makeApiClient(k8s.VersionApi);
    // Warm-up: TLS sessions and JIT.
    await rate(200, concurrency, () => version.getCode());
    await rate(200, concurrency, (i) =>
      core.createNamespacedConfigMap({
        namespace: "default",
        body: { metadata: { name: `warm-${i}` }, data: { i: String(i) } },
      }),
    );
    const baseline = await rate(total, concurrency, () => version.getCode());
    const creates = await rate(total, concurrency, (i) =>
      core.createNamespacedConfigMap({
        namespace: "default",
        body: { metadata: { name: `cm-${i}` }, data: { i: String(i) } },
      }),
    );
    return {
      name: "kube-emulator creates (client-node, ConfigMap)",
      value: Math.round(creates),
      unit: "creates/s",
      baseline: { name: "kube-emulator GET /version (client-node)", value: Math.round(baseline), unit: "requests/s" },
    };
  } finally {
    await emu.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  benchCreates().then((r) => process.stdout.write(`${JSON.stringify(r)}\n`));
}
