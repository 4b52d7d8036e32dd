import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type ConfigChange, KubeConfigStore, type KubeObject, selectClusters } from "@evtrigger/config";
import { type KubeEmulator, startKubeEmulator } from "@evtrigger/kube-emulator";
import { tempDir, waitFor } from "@evtrigger/testkit";
import { StatusWriter } from "../src/statusWriter.js";

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const seed = join(here, "fixtures/seed");
const fixtures = join(here, "fixtures/kube");
const crds = join(here, "../../../k8s/crds");

describe("kubeStore", () => {
  let emu: KubeEmulator;
  let store: KubeConfigStore;
  let work: string;
  const changes: ConfigChange[] = [];

  const kubectl = async (...args: string[]): Promise<string> => {
    const r = await run("kubectl", ["--kubeconfig", emu.kubeconfigPath, "--cache-dir", join(work, "cache"), ...args]);
    return r.stdout;
  };

  beforeAll(async () => {
    work = tempDir("evt-config-kube-");
    emu = await startKubeEmulator();
    await kubectl("apply", "-f", crds);
    store = new KubeConfigStore({ kubeconfigPath: emu.kubeconfigPath });
    store.onChange((c) => changes.push(c));
    await store.start();
  });

  afterAll(async () => {
    await store?.close();
    await emu?.stop();
  });

  test("kubeStore - objects applied with kubectl appear with CRD defaults", async () => {
    expect(store.ready).toBe(true);
    await kubectl("apply", "-f", join(seed, "05-end-to-end.yaml"));
    const et = await waitFor(() => store.snapshot().eventTriggers.get("manage-namespace"), {
      timeoutMs: 1000,
      what: "trigger",
    });
    expect(et.spec).toMatchObject({
      syncMode: "ContinuousWithDriftDetection",
      tier: 100,
      stopMatchingBehavior: "WithdrawPolicies",
    });
    await waitFor(
      () => store.snapshot().configMaps.get("default/namespace") && store.snapshot().eventSources.get("user-operation"),
      {
        timeoutMs: 1000,
        what: "ConfigMap and EventSource",
      },
    );
    const valid = await waitFor(
      async () =>
        (await kubectl(
          "get",
          "eventtrigger",
          "manage-namespace",
          "-o",
          'jsonpath={.status.conditions[?(@.type=="Valid")].status}',
        )) === "True",
      { timeoutMs: 3000, what: "Valid=True condition" },
    );
    expect(valid).toBe(true);
  });

  test("kubeStore - changes and deletes are seen within 1 s", async () => {
    await kubectl("patch", "eventtrigger", "manage-namespace", "--type=merge", "-p", '{"spec":{"syncMode":"DryRun"}}');
    await waitFor(() => store.snapshot().eventTriggers.get("manage-namespace")?.spec.syncMode === "DryRun", {
      timeoutMs: 1000,
      what: "modified",
    });
    expect(changes).toContainEqual(
      expect.objectContaining({ type: "modified", kind: "EventTrigger", key: "manage-namespace" }),
    );
    await kubectl("delete", "eventsource", "user-operation");
    await waitFor(() => !store.snapshot().eventSources.has("user-operation"), { timeoutMs: 1000, what: "deleted" });
    expect(changes).toContainEqual(
      expect.objectContaining({ type: "deleted", kind: "EventSource", key: "user-operation" }),
    );
  });

  test("kubeStore - a rejected object gets a Valid=False condition readable with kubectl", async () => {
    await kubectl("apply", "-f", join(fixtures, "bad-template-trigger.yaml"));
    await waitFor(() => store.snapshot().invalid.get("EventTrigger/quoted"), {
      timeoutMs: 1000,
      what: "invalid trigger",
    });
    expect(store.snapshot().eventTriggers.has("quoted")).toBe(false);
    const jsonpath = (f: string) => `jsonpath={.status.conditions[?(@.type=="Valid")].${f}}`;
    await waitFor(async () => (await kubectl("get", "eventtrigger", "quoted", "-o", jsonpath("status"))) === "False", {
      timeoutMs: 3000,
      what: "Valid=False",
    });
    expect(await kubectl("get", "eventtrigger", "quoted", "-o", jsonpath("reason"))).toBe("InvalidSpec");
    expect(await kubectl("get", "eventtrigger", "quoted", "-o", jsonpath("message"))).toMatch(
      /^spec\.cloudEventAction: single-quoted string 'auth\.example\.com\.logout'.*use double quotes/,
    );
    // Fixing the spec flips the condition.
    await kubectl("patch", "eventtrigger", "quoted", "--type=merge", "-p", '{"spec":{"cloudEventAction":"Create"}}');
    await waitFor(async () => (await kubectl("get", "eventtrigger", "quoted", "-o", jsonpath("status"))) === "True", {
      timeoutMs: 3000,
      what: "Valid=True after the fix",
    });
    expect(store.snapshot().eventTriggers.has("quoted")).toBe(true);
  });

  test("kubeStore - observed() names per kind the resourceVersion whose changes the snapshot holds", async () => {
    const before = store.observed().kinds!;
    expect(Object.keys(before).sort()).toEqual(
      ["ClusterSet", "ConfigMap", "EventSource", "EventTrigger", "Secret", "SveltosCluster"].sort(),
    );
    const file = join(work, "observed-cm.json");
    const cm = (v: string) =>
      JSON.stringify({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "observed", namespace: "default" },
        data: { v },
      });
    for (const v of ["1", "2", "3"]) {
      writeFileSync(file, cm(v));
      const rv = (JSON.parse(await kubectl("apply", "-f", file, "-o", "json")) as KubeObject).metadata.resourceVersion!;
      // Once the kind's observed resourceVersion reaches the object's, the snapshot has that very version.
      await waitFor(() => BigInt(store.observed().kinds!.ConfigMap || "0") >= BigInt(rv), {
        timeoutMs: 3000,
        what: `ConfigMap observed at ${rv}`,
      });
      expect(store.snapshot().configMaps.get("default/observed")?.data).toEqual({ v });
    }
    expect(store.observed()).toMatchObject({ source: "kubernetes", version: store.snapshot().version });
  });

  test("kubeStore - a condition written from a stale copy of the object re-reads it and keeps newer conditions", async () => {
    const file = join(work, "stale-es.json");
    writeFileSync(
      file,
      JSON.stringify({
        apiVersion: "lib.projectsveltos.io/v1beta1",
        kind: "EventSource",
        metadata: { name: "stale-copy" },
        spec: { messagingMatchCriteria: [{ subject: "x" }] },
      }),
    );
    await kubectl("apply", "-f", file);
    const path = "/apis/lib.projectsveltos.io/v1beta1/eventsources";
    const stale = await store.http.request<KubeObject>("GET", `${path}/stale-copy`);
    const writer = new StatusWriter(store.http, (err) => {
      throw err;
    });
    const cond = (type: string) => ({ type, status: "True" as const, reason: "Test", message: type });
    await writer.setCondition(path, "stale-copy", cond("Other"));
    // `stale` misses "Other" and has an old resourceVersion: the write must not drop "Other".
    await writer.setCondition(path, "stale-copy", cond("FromStale"), stale);
    const types = await kubectl("get", "eventsource", "stale-copy", "-o", "jsonpath={.status.conditions[*].type}");
    expect(types.split(" ")).toEqual(expect.arrayContaining(["Other", "FromStale"]));
  });

  test("kubeStore - a SveltosCluster gets its kubeconfig from <name>-sveltos-kubeconfig and is selectable", async () => {
    const kubeconfig = "apiVersion: v1\nkind: Config\nclusters: []\n";
    writeFileSync(join(work, "kc"), kubeconfig);
    await kubectl(
      "create",
      "secret",
      "generic",
      "workload-sveltos-kubeconfig",
      "-n",
      "default",
      `--from-file=kubeconfig=${join(work, "kc")}`,
    );
    await kubectl("apply", "-f", join(fixtures, "cluster.yaml"));
    const c = await waitFor(() => store.snapshot().clusters.get("default/workload")?.kubeconfig, {
      timeoutMs: 1000,
      what: "cluster kubeconfig",
    });
    expect(c).toBe(kubeconfig);
    const snap = store.snapshot();
    expect(selectClusters(snap, { clusterSelector: { matchLabels: { env: "production" } } }).map((x) => x.key)).toEqual(
      ["default/workload"],
    );
  });

  test("kubeStore - an API restart is survived by resuming the watches", async () => {
    const before = store.lastError;
    await emu.stop();
    await waitFor(() => store.lastError !== before, { timeoutMs: 5000, what: "the outage to be noticed" });
    await emu.restart();
    await kubectl("apply", "-f", join(seed, "01-user-login-eventsource.yaml"));
    await waitFor(() => store.snapshot().eventSources.has("user-login"), {
      timeoutMs: 3000,
      what: "object after restart",
    });
    await kubectl("delete", "eventtrigger", "quoted");
    await waitFor(() => !store.snapshot().eventTriggers.has("quoted"), {
      timeoutMs: 1000,
      what: "delete after restart",
    });
  });

  test("kubeStore - a watch resuming from a compacted resourceVersion gets 410 Gone and relists", async () => {
    // Hold the resumed watch in the server while a delete happens and the history is compacted: the only way
    // to learn of the delete is the 410 Gone on resume, then a relist.
    emu.faults.inject({ match: { verb: "watch", resource: "eventsources" }, count: 1, action: { delayMs: 3000 } });
    await emu.stop();
    await emu.restart();
    await kubectl("delete", "eventsource", "user-login", "--wait=false");
    emu.store.compact();
    await waitFor(() => !store.snapshot().eventSources.has("user-login"), {
      timeoutMs: 10_000,
      what: "delete seen by relist",
    });
    expect(store.lastError?.message).toMatch(/410|too old|Expired/i);
  });

  test("kubeStore - recordEvent creates a core/v1 Event", async () => {
    const et = store.snapshot().eventTriggers.get("manage-namespace")!;
    await store.recordEvent(et, "ApplyFailed", "namespace mgianluc: forbidden", "Warning");
    const out = await kubectl(
      "get",
      "events",
      "-n",
      "default",
      "-o",
      'jsonpath={range .items[*]}{.involvedObject.name}/{.reason}/{.type}{"\\n"}{end}',
    );
    expect(out.split("\n")).toContain("manage-namespace/ApplyFailed/Warning");
  });
});

describe("kubeStore - CRDs installed after start", () => {
  test("kubeStore - start resolves without the CRDs and their objects appear once installed", async () => {
    const work = tempDir("evt-config-kube-late-");
    const emu = await startKubeEmulator();
    const store = new KubeConfigStore({ kubeconfigPath: emu.kubeconfigPath, writeStatus: false });
    try {
      await store.start();
      expect(store.ready).toBe(true);
      expect(store.snapshot().eventSources.size).toBe(0);
      const kubectl = (...args: string[]) =>
        run("kubectl", ["--kubeconfig", emu.kubeconfigPath, "--cache-dir", join(work, "cache"), ...args]);
      await kubectl("apply", "-f", crds);
      await kubectl("apply", "-f", join(seed, "03-user-operation-eventsource.yaml"));
      await waitFor(() => store.snapshot().eventSources.has("user-operation"), {
        timeoutMs: 10_000,
        what: "EventSource after CRD install",
      });
    } finally {
      await store.close();
      await emu.stop();
    }
  });
});
