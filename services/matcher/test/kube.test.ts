// Live configuration from the Kubernetes emulator: `kubectl apply/delete` of EventSources and EventTriggers
// changes matching of the next event, without restarting the matcher.
import { execFile } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type Bus, connectBus, ensureTopology } from "@evtrigger/bus";
import { KubeConfigStore } from "@evtrigger/config";
import { type KubeEmulator, startKubeEmulator } from "@evtrigger/kube-emulator";
import { createLogger, createMetrics } from "@evtrigger/telemetry";
import { type NatsServer, startNatsServer, tempDir, waitFor } from "@evtrigger/testkit";
import { type Matcher, startMatcher } from "../src/service.js";
import {
  CLUSTER_YAML,
  drained,
  envelope,
  eventSourceYaml,
  eventTriggerYaml,
  publishEvent,
  readMatches,
  SEED_YAML,
} from "./helpers.js";

const run = promisify(execFile);
const crds = join(dirname(fileURLToPath(import.meta.url)), "../../../k8s/crds");

describe("kube - live configuration from the management cluster", () => {
  let emu: KubeEmulator;
  let server: NatsServer;
  let bus: Bus;
  let store: KubeConfigStore;
  let matcher: Matcher;
  let work: string;

  const kubectl = async (...args: string[]) =>
    (await run("kubectl", ["--kubeconfig", emu.kubeconfigPath, "--cache-dir", join(work, "cache"), ...args])).stdout;
  const apply = async (name: string, yaml: string) => {
    const f = join(work, name);
    writeFileSync(f, yaml);
    await kubectl("apply", "-f", f);
  };

  beforeAll(async () => {
    work = tempDir("evt-matcher-kube-");
    emu = await startKubeEmulator();
    await kubectl("apply", "-f", crds);
    await apply("cluster.yaml", CLUSTER_YAML);
    server = await startNatsServer();
    bus = await connectBus({ servers: server.url, name: "matcher-kube-test" });
    await ensureTopology(bus.jsm, bus.kvm);
    store = new KubeConfigStore({ kubeconfigPath: emu.kubeconfigPath });
    await store.start();
    await waitFor(() => store.snapshot().clusters.has("default/workload"), { what: "cluster in the store" });
    matcher = await startMatcher({
      bus,
      store,
      logger: createLogger({ service: "matcher", stream: { write: () => true } }),
      metrics: createMetrics({ service: "matcher", defaultMetrics: false }),
    });
  });

  afterAll(async () => {
    await matcher?.close();
    await store?.close();
    await bus?.close();
    await server?.stop();
    await emu?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  async function fire(ce: Parameters<typeof envelope>[0]): Promise<string[]> {
    const { seq } = await publishEvent(bus, envelope(ce));
    await waitFor(() => drained(bus), { what: `event ${seq} handled` });
    return (await readMatches(bus))
      .filter((m) => m.rec.eventSeq === seq)
      .map((m) => m.rec.eventTrigger)
      .sort();
  }

  /** Waits until the matcher's view has `n` triggers and `m` valid sources (the store's watch is asynchronous). */
  const settled = (triggers: number, sources: number) =>
    waitFor(
      () => {
        const st = matcher.state();
        return st.selector.triggerCount === triggers && st.index.stats.sources === sources;
      },
      { what: `${triggers} triggers and ${sources} sources` },
    );

  test("kube - kubectl apply, change and delete take effect on the next event", async () => {
    expect(await fire({})).toEqual([]);

    await apply("seed.yaml", SEED_YAML);
    await settled(1, 1);
    expect(await fire({ type: "auth.example.com.login" })).toEqual(["manage-namespace"]);

    await apply("es.yaml", eventSourceYaml("user-operation", [{ cloudEventType: "logout$" }]));
    await waitFor(
      () =>
        store.snapshot().eventSources.get("user-operation")?.spec.messagingMatchCriteria?.[0]?.cloudEventType ===
        "logout$",
    );
    expect(await fire({ type: "auth.example.com.login" })).toEqual([]);
    expect(await fire({ type: "auth.example.com.logout" })).toEqual(["manage-namespace"]);

    await apply("et.yaml", eventTriggerYaml("second", "user-operation"));
    await settled(2, 1);
    expect(await fire({ type: "auth.example.com.logout" })).toEqual(["manage-namespace", "second"]);

    await kubectl("delete", "eventtrigger", "manage-namespace");
    await settled(1, 1);
    expect(await fire({ type: "auth.example.com.logout" })).toEqual(["second"]);

    await kubectl("delete", "eventsource", "user-operation");
    await settled(1, 0);
    expect(await fire({ type: "auth.example.com.logout" })).toEqual([]);
  });
});
