import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type ConfigChange, DirConfigStore, selectClusters } from "@evtrigger/config";
import { tempDir, waitFor } from "@evtrigger/testkit";

const seedDir = join(dirname(fileURLToPath(import.meta.url)), "fixtures/seed");

const CLUSTER = `apiVersion: lib.projectsveltos.io/v1beta1
kind: SveltosCluster
metadata:
  name: workload
  namespace: default
  labels: {env: production}
  annotations:
    evtrigger.io/kubeconfig-file: kube/workload.kubeconfig
spec: {}
`;

const KUBECONFIG = (server: string) => `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "${server}"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`;

describe("dirStore", () => {
  let dir: string;
  let store: DirConfigStore;
  let changes: ConfigChange[];

  beforeEach(async () => {
    dir = tempDir("evt-config-dir-");
    copyFileSync(join(seedDir, "05-end-to-end.yaml"), join(dir, "seed.yaml"));
    mkdirSync(join(dir, "kube"));
    writeFileSync(join(dir, "kube/workload.kubeconfig"), KUBECONFIG("https://one.example:6443"));
    writeFileSync(join(dir, "cluster.yml"), CLUSTER);
    store = new DirConfigStore({ dir, debounceMs: 20 });
    changes = [];
    store.onChange((c) => changes.push(c));
    await store.start();
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("dirStore - the initial scan loads every kind with CRD defaults", () => {
    const snap = store.snapshot();
    expect(store.ready).toBe(true);
    expect([...snap.eventSources.keys()]).toEqual(["user-operation"]);
    expect(snap.eventTriggers.get("manage-namespace")?.spec.tier).toBe(100);
    expect(snap.configMaps.has("default/namespace")).toBe(true);
    const cluster = snap.clusters.get("default/workload");
    expect(cluster?.kubeconfig).toContain("https://one.example:6443");
    expect(cluster?.kubeconfigPath).toBe(join(dir, "kube/workload.kubeconfig"));
    expect(selectClusters(snap, { clusterSelector: { matchLabels: { env: "production" } } }).map((c) => c.key)).toEqual(
      ["default/workload"],
    );
    expect(snap.invalid.size).toBe(0);
  });

  test("dirStore - editing a file updates the store and emits a change", async () => {
    writeFileSync(
      join(dir, "seed.yaml"),
      readFileSync(join(seedDir, "05-end-to-end.yaml"), "utf8").replace("ContinuousWithDriftDetection", "DryRun"),
    );
    await waitFor(() => store.snapshot().eventTriggers.get("manage-namespace")?.spec.syncMode === "DryRun", {
      timeoutMs: 5000,
      what: "syncMode DryRun",
    });
    expect(changes).toContainEqual(
      expect.objectContaining({ type: "modified", kind: "EventTrigger", key: "manage-namespace" }),
    );
  });

  test("dirStore - observed() holds each file's content hash once that content is in the snapshot", async () => {
    const first = store.observed();
    expect(first.source).toBe("directory");
    expect(Object.keys(first.files ?? {}).sort()).toEqual(["cluster.yml", "seed.yaml"]);
    const text = readFileSync(join(dir, "seed.yaml"), "utf8").replace("ContinuousWithDriftDetection", "DryRun");
    writeFileSync(join(dir, "seed.yaml"), text);
    const hash = createHash("sha256").update(text).digest("hex");
    await waitFor(() => store.observed().files?.["seed.yaml"] === hash, { timeoutMs: 5000, what: "new hash" });
    expect(store.snapshot().eventTriggers.get("manage-namespace")?.spec.syncMode).toBe("DryRun");
    expect(store.observed().scans).toBeGreaterThan(first.scans!);
  });

  test("dirStore - a broken file keeps its last good objects and reports the error, a fix clears it", async () => {
    writeFileSync(join(dir, "seed.yaml"), "apiVersion: v1\nkind: [unclosed\n");
    await waitFor(() => store.snapshot().invalid.get("File/seed.yaml"), {
      timeoutMs: 5000,
      what: "broken file reported",
    });
    const snap = store.snapshot();
    expect(snap.eventTriggers.has("manage-namespace")).toBe(true);
    expect(snap.invalid.get("File/seed.yaml")![0]).toMatchObject({ kind: "YAML", file: "seed.yaml", doc: 1 });
    expect(store.lastError?.message).toMatch(/broken YAML in seed.yaml/);
    copyFileSync(join(seedDir, "01-user-login-eventsource.yaml"), join(dir, "seed.yaml"));
    await waitFor(() => store.snapshot().eventSources.has("user-login"), {
      timeoutMs: 5000,
      what: "fixed file loaded",
    });
    expect(store.snapshot().eventTriggers.has("manage-namespace")).toBe(false);
    expect(store.snapshot().invalid.size).toBe(0);
    expect(store.lastError).toBeUndefined();
    expect(changes).toContainEqual(
      expect.objectContaining({ type: "deleted", kind: "EventTrigger", key: "manage-namespace" }),
    );
  });

  test("dirStore - an invalid object goes to invalid, not to the valid maps", async () => {
    writeFileSync(
      join(dir, "bad.yaml"),
      "apiVersion: lib.projectsveltos.io/v1beta1\nkind: EventSource\nmetadata: {name: bad}\nspec: {messagingMatchCriteria: [{subject: '(('}]}\n",
    );
    await waitFor(() => store.snapshot().invalid.get("EventSource/bad"), {
      timeoutMs: 5000,
      what: "invalid EventSource",
    });
    expect(store.snapshot().eventSources.has("bad")).toBe(false);
    expect(store.snapshot().invalid.get("EventSource/bad")![0]).toMatchObject({
      path: "spec.messagingMatchCriteria[0].subject",
      file: "bad.yaml",
      doc: 1,
    });
  });

  test("dirStore - a changed kubeconfig file or a deleted file is seen", async () => {
    writeFileSync(join(dir, "kube/workload.kubeconfig"), KUBECONFIG("https://two.example:6443"));
    writeFileSync(join(dir, "touch.yaml"), "# trigger a rescan even where the platform reports no event for kube/\n");
    await waitFor(() => store.snapshot().clusters.get("default/workload")?.kubeconfig?.includes("two.example"), {
      timeoutMs: 5000,
      what: "new kubeconfig",
    });
    expect(changes).toContainEqual(
      expect.objectContaining({ type: "modified", kind: "SveltosCluster", key: "default/workload" }),
    );
    rmSync(join(dir, "cluster.yml"));
    await waitFor(() => !store.snapshot().clusters.has("default/workload"), {
      timeoutMs: 5000,
      what: "cluster removed",
    });
  });
});
