import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type KubeEmulator, startKubeEmulator } from "@evtrigger/kube-emulator";
import { createMetrics } from "@evtrigger/telemetry";
import { inventoryFilter } from "../src/mod.js";
import {
  clusterYaml,
  dlqLetters,
  drained,
  type Harness,
  loginEvent,
  NS_DOC,
  startHarness,
  triggerYaml,
  waitFor,
} from "./harness.js";

const run = promisify(execFile);

describe("applier destinations and metrics", () => {
  let h: Harness;
  let other: KubeEmulator;
  let cacheDir: string;
  const metrics = createMetrics({ service: "applier", defaultMetrics: false });
  beforeAll(async () => {
    h = await startHarness();
    other = await startKubeEmulator({ clusterName: "other" });
    cacheDir = mkdtempSync(join(tmpdir(), "evt-kubectl-cache-"));
    await h.startApplier({ metrics });
  });
  afterAll(async () => {
    await h?.close();
    await other?.stop();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  const inOther = async (ns: string) => {
    try {
      await run("kubectl", ["--kubeconfig", other.kubeconfigPath, "--cache-dir", cacheDir, "get", "namespace", ns]);
      return true;
    } catch {
      return false;
    }
  };
  const otherCluster = (env: string) => clusterYaml(other.kubeconfigPath, { env }, "other");

  test("destinations - destinationClusterSelector deploys to matching clusters, follows label changes", async () => {
    await h.writeConfig("other.yaml", otherCluster("staging"), (x) => x.store.snapshot().clusters.has("default/other"));
    const yaml = triggerYaml({ name: "to-prod", cm: "to-prod", docs: NS_DOC }).replace(
      "  eventSourceName:",
      "  destinationClusterSelector:\n    matchLabels:\n      env: prod\n  eventSourceName:",
    );
    await h.writeConfig("to-prod.yaml", yaml, (x) => x.store.snapshot().eventTriggers.has("to-prod"));
    await h.publishMatch({ eventTrigger: "to-prod", eventSeq: 5001, event: loginEvent("kim") });
    await waitFor(() => drained(h));
    // No cluster is labelled env=prod yet: nothing anywhere.
    expect(await inOther("kim")).toBe(false);
    expect((await h.kubectl("get", "namespace", "kim")).code).not.toBe(0);

    // The event is remembered: a cluster that starts matching later gets it (like a ClusterProfile's selector).
    await h.writeConfig(
      "other.yaml",
      otherCluster("prod"),
      (x) => x.store.snapshot().clusters.get("default/other")?.labels.env === "prod",
    );
    await waitFor(() => inOther("kim"), { what: "kim in the prod cluster" });
    expect((await h.kubectl("get", "namespace", "kim")).code).not.toBe(0); // not in the source cluster

    await h.writeConfig(
      "other.yaml",
      otherCluster("staging"),
      (x) => x.store.snapshot().clusters.get("default/other")?.labels.env === "staging",
    );
    await waitFor(async () => !(await inOther("kim")), { what: "withdrawn when the cluster stops matching" });
    await waitFor(
      async () => (await h.appliers[0]!.inventory.list(inventoryFilter("applied", "to-prod"))).length === 0,
    );

    // A cluster starting to match catches up with the source cluster's Create events of the trigger.
    const both = triggerYaml({ name: "fanout", cm: "fanout", docs: NS_DOC }).replace(
      "  eventSourceName:",
      '  destinationClusterSelector:\n    matchLabels:\n      fanout: "yes"\n  eventSourceName:',
    );
    await h.writeConfig(
      "other.yaml",
      clusterYaml(other.kubeconfigPath, { env: "staging", fanout: "yes" }, "other"),
      (x) => x.store.snapshot().clusters.get("default/other")?.labels.fanout === "yes",
    );
    await h.writeConfig("fanout.yaml", both, (x) => x.store.snapshot().eventTriggers.has("fanout"));
    // The new trigger's Continuous check first: it would otherwise race the event for lee's entry (either may
    // write it; the other then counts "stale"), and the metrics test below counts this event's success.
    await h.appliers[0]!.idle();
    await h.publishMatch({ eventTrigger: "fanout", eventSeq: 5003, event: loginEvent("lee") });
    await waitFor(() => inOther("lee"));
    await h.writeConfig(
      "cluster.yaml",
      clusterYaml(h.kube.kubeconfigPath, { env: "fv", fanout: "yes" }),
      (x) => x.store.snapshot().clusters.get("default/clusterapi-workload")?.labels.fanout === "yes",
    );
    await waitFor(async () => (await h.kubectl("get", "namespace", "lee")).code === 0, {
      what: "new destination caught up",
    });
  });

  test("destinations - a templated destinationCluster naming an unknown cluster is dead-lettered", async () => {
    const yaml = triggerYaml({ name: "to-nowhere", cm: "to-nowhere", docs: NS_DOC }).replace(
      "  eventSourceName:",
      "  destinationCluster:\n    namespace: default\n    name: '{{ .CloudEvent.subject }}-cluster'\n  eventSourceName:",
    );
    await h.writeConfig("to-nowhere.yaml", yaml, (x) => x.store.snapshot().eventTriggers.has("to-nowhere"));
    await h.publishMatch({ eventTrigger: "to-nowhere", eventSeq: 5101, event: loginEvent("max") });
    const letter = await waitFor(async () => (await dlqLetters(h)).find((l) => l.object?.name === "to-nowhere"));
    expect(letter).toMatchObject({ code: "EVT_APPLIER_DESTINATION", field: "spec.destinationCluster" });
    expect(letter.reason).toContain("default/max-cluster, which is not a registered cluster");
  });

  test("metrics - applies, deletes and dead letters are counted by result", async () => {
    const text = await metrics.text();
    expect(text).toMatch(/evtrigger_applies_total\{[^}]*result="success"[^}]*\} [1-9]/);
    expect(text).toMatch(/evtrigger_dead_letters_total\{[^}]*code="EVT_APPLIER_DESTINATION"[^}]*\} 1/);
    expect(text).toMatch(/evtrigger_end_to_end_seconds_count\{[^}]*action="create"[^}]*\} [1-9]/);
    expect(text).toMatch(/evtrigger_render_seconds_count\{[^}]*trigger="to-prod"[^}]*\} [1-9]/);
  });
});
