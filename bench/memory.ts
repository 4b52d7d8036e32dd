// Scenario 5: resident memory of each service with 10,000 EventSources in the management cluster and 100,000
// inventory entries in the applier's KV bucket. Baseline: the same service idle, right after start.
import { BUCKETS } from "@evtrigger/bus";
import { KubeConfig, KubernetesObjectApi } from "@kubernetes/client-node";
import { Kvm } from "@nats-io/kv";
import { connect } from "@nats-io/transport-node";
import { metric, startBenchStack, until } from "./stack.js";
import type { BenchOptions, PartialResult } from "./types.js";

const MB = 1024 * 1024;

async function pool<T>(items: T[], width: number, fn: (t: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

export async function benchMemory(o: BenchOptions): Promise<PartialResult[]> {
  const sources = o.quick ? 2_000 : 10_000;
  const entries = o.quick ? 20_000 : 100_000;
  const stack = await startBenchStack();
  try {
    const svc = stack.env.services;
    const idle: Record<string, number> = {};
    for (const [name, url] of Object.entries(svc)) idle[name] = await metric(url, "process_resident_memory_bytes");

    const kc = new KubeConfig();
    kc.loadFromFile(stack.env.managementKubeconfig);
    const api = KubernetesObjectApi.makeApiClient(kc);
    const idx = Array.from({ length: sources }, (_, i) => i);
    await pool(idx, 32, (i) =>
      api.create({
        apiVersion: "lib.projectsveltos.io/v1beta1",
        kind: "EventSource",
        metadata: { name: `bench-source-${i}` },
        spec: {
          messagingMatchCriteria: [
            i % 2
              ? { subject: `team-${i}`, cloudEventSource: `^svc-${i}\\.example\\.com$` }
              : { cloudEventType: `com.example.t${i}` },
          ],
        },
      } as never),
    );
    await until(
      "the matcher to load every EventSource",
      async () => (await metric(svc.matcher, "evtrigger_matcher_eventsources")) >= sources,
      120_000,
    );

    // Inventory entries written straight into the applier's bucket, shaped like real ones.
    const nc = await connect({ servers: stack.env.natsUrl, user: stack.env.natsUser, pass: stack.env.natsPassword });
    const kv = await new Kvm(nc).open(BUCKETS.inventory);
    const enc = new TextEncoder();
    await pool(
      Array.from({ length: entries }, (_, i) => i),
      256,
      (i) =>
        kv.put(
          `manage-namespace.default.clusterapi-workload.bench${i}`,
          enc.encode(
            JSON.stringify({
              trigger: "manage-namespace",
              cluster: { namespace: "default", name: "clusterapi-workload" },
              event: { source: "auth.example.com", subject: `bench-user-${i}` },
              action: "Create",
              eventSeq: i + 1,
              objects: [{ apiVersion: "v1", kind: "Namespace", name: `bench-user-${i}`, resourceVersion: String(i) }],
              time: new Date().toISOString(),
            }),
          ),
        ),
    );
    await nc.close();
    // Let each service see the load (the applier lists its inventory for the status page and show addons).
    await fetch(`${svc.applier}/`).catch(() => undefined);

    const rows: PartialResult[] = [];
    for (const [name, url] of Object.entries(svc)) {
      const rss = await metric(url, "process_resident_memory_bytes");
      rows.push({
        name: `RSS ${name} @ ${sources} sources, ${entries} inventory entries`,
        value: rss / MB,
        unit: "MB",
        baseline: idle[name]! / MB,
        baselineName: "same service idle",
        lowerIsBetter: true,
        floor: 150,
        floorOn: "value",
        pass: rss / MB <= 150,
      });
    }
    return rows;
  } finally {
    await stack.stop();
  }
}
