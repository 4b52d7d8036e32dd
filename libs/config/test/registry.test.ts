import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import {
  ClusterRegistry,
  KubeConfigStore,
  MemoryConfigStore,
  type NatsConfigResult,
  type NatsConfigWatch,
} from "@evtrigger/config";
import { type KubeEmulator, startKubeEmulator } from "@evtrigger/kube-emulator";
import { tempDir, waitFor } from "@evtrigger/testkit";

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const natsJson = join(here, "fixtures/seed/06-nats-secret.json");
const crds = join(here, "../../../k8s/crds");

describe("registry", () => {
  let mgmt: KubeEmulator;
  let managed: KubeEmulator;
  let store: KubeConfigStore;
  let registry: ClusterRegistry;
  let work: string;
  let watch: NatsConfigWatch | undefined;

  const kubectl = async (emu: KubeEmulator, ...args: string[]) =>
    (await run("kubectl", ["--kubeconfig", emu.kubeconfigPath, "--cache-dir", join(work, "cache"), ...args])).stdout;

  beforeAll(async () => {
    work = tempDir("evt-config-registry-");
    [mgmt, managed] = [
      await startKubeEmulator({ clusterName: "mgmt" }),
      await startKubeEmulator({ clusterName: "managed" }),
    ];
    await kubectl(mgmt, "apply", "-f", crds);
    await kubectl(
      mgmt,
      "create",
      "secret",
      "generic",
      "prod-kubeconfig",
      "-n",
      "default",
      `--from-file=value=${managed.kubeconfigPath}`,
    );
    writeFileSync(
      join(work, "cluster.yaml"),
      "apiVersion: lib.projectsveltos.io/v1beta1\nkind: SveltosCluster\nmetadata: {name: prod, namespace: default, labels: {env: production}}\nspec: {kubeconfigName: prod-kubeconfig}\n",
    );
    await kubectl(mgmt, "apply", "-f", join(work, "cluster.yaml"));
    store = new KubeConfigStore({ kubeconfigPath: mgmt.kubeconfigPath });
    await store.start();
    registry = new ClusterRegistry(store);
    await kubectl(managed, "create", "namespace", "projectsveltos");
  });

  afterAll(async () => {
    await watch?.close();
    await store?.close();
    await Promise.all([mgmt?.stop(), managed?.stop()]);
  });

  test("registry - resolves a cluster to labels and a KubeConfig (spec.kubeconfigName, any key)", () => {
    expect(registry.clusters().map((c) => c.key)).toEqual(["default/prod"]);
    expect(registry.get("default/prod")?.labels).toEqual({ env: "production" });
    expect(registry.kubeConfigFor("default/prod").getCurrentCluster()?.server).toBe(managed.url);
    expect(() => registry.kubeConfigFor("default/nope")).toThrow(
      expect.objectContaining({ code: "EVT_CONFIG_NOT_FOUND" }),
    );
  });

  test("registry - natsConfigFor reads the managed cluster's sveltos-nats Secret", async () => {
    expect(await registry.natsConfigFor("default/prod")).toEqual({ problems: [], hash: "" });
    await kubectl(
      managed,
      "create",
      "secret",
      "generic",
      "sveltos-nats",
      "-n",
      "projectsveltos",
      `--from-file=sveltos-nats=${natsJson}`,
    );
    const r = await registry.natsConfigFor("default/prod");
    expect(r.problems).toEqual([]);
    expect(r.config?.nats?.configuration).toMatchObject({
      url: "nats://nats.nats.svc.cluster.local:4222",
      subjects: ["user-operation"],
    });
  });

  test("registry - watchNatsConfig reports the current config, then changes, bad JSON and deletion", async () => {
    const seen: NatsConfigResult[] = [];
    watch = registry.watchNatsConfig("default/prod", (r) => seen.push(r));
    await waitFor(() => seen.length === 1, { what: "initial config" });
    expect(seen[0]!.config?.nats?.configuration.subjects).toEqual(["user-operation"]);

    const changed = readFileSync(natsJson, "utf8").replace('"user-operation"', '"user-operation", "billing"');
    writeFileSync(join(work, "nats.json"), changed);
    const apply = async (file: string) => {
      const manifest = await kubectl(
        managed,
        "create",
        "secret",
        "generic",
        "sveltos-nats",
        "-n",
        "projectsveltos",
        `--from-file=sveltos-nats=${file}`,
        "--dry-run=client",
        "-o",
        "yaml",
      );
      writeFileSync(join(work, "secret.yaml"), manifest);
      await kubectl(managed, "apply", "-f", join(work, "secret.yaml"));
    };
    await apply(join(work, "nats.json"));
    await waitFor(() => seen.length === 2, { what: "changed config" });
    expect(seen[1]!.config?.nats?.configuration.subjects).toEqual(["user-operation", "billing"]);
    expect(seen[1]!.hash).not.toBe(seen[0]!.hash);

    writeFileSync(join(work, "bad.json"), '{"nats": {"configuration": {"url": "nats://x:4222", "subjects": "one"}}}');
    await apply(join(work, "bad.json"));
    await waitFor(() => seen.length === 3, { what: "invalid config" });
    expect(seen[2]!.config).toBeUndefined();
    expect(seen[2]!.problems[0]).toMatchObject({ path: "data.sveltos-nats.nats.configuration.subjects" });
    expect(seen[2]!.problems[0]!.reason).toMatch(/cluster default\/prod: must be array/);

    await kubectl(managed, "delete", "secret", "sveltos-nats", "-n", "projectsveltos");
    await waitFor(() => seen.length === 4, { what: "deleted config" });
    expect(seen[3]).toEqual({ problems: [], hash: "" });
  });
});

describe("registry - following the cluster", () => {
  test("registry - watchNatsConfig follows a kubeconfig change to another API server and a cluster removal", async () => {
    const work = tempDir("evt-config-registry-follow-");
    const [a, b] = [await startKubeEmulator({ clusterName: "a" }), await startKubeEmulator({ clusterName: "b" })];
    const store = new MemoryConfigStore();
    const seen: NatsConfigResult[] = [];
    let watch: NatsConfigWatch | undefined;
    try {
      for (const [emu, subject] of [
        [a, "from-a"],
        [b, "from-b"],
      ] as const) {
        const kubectl = (...args: string[]) =>
          run("kubectl", ["--kubeconfig", emu.kubeconfigPath, "--cache-dir", join(work, "cache"), ...args]);
        await kubectl("create", "namespace", "projectsveltos");
        writeFileSync(
          join(work, `${subject}.json`),
          JSON.stringify({ nats: { configuration: { url: "nats://h:4222", subjects: [subject] } } }),
        );
        await kubectl(
          "create",
          "secret",
          "generic",
          "sveltos-nats",
          "-n",
          "projectsveltos",
          `--from-file=sveltos-nats=${join(work, `${subject}.json`)}`,
        );
      }
      store.kubeconfigs.set("ns/c", readFileSync(a.kubeconfigPath, "utf8"));
      store.apply({
        apiVersion: "lib.projectsveltos.io/v1beta1",
        kind: "SveltosCluster",
        metadata: { name: "c", namespace: "ns" },
        spec: {},
      });
      watch = new ClusterRegistry(store).watchNatsConfig("ns/c", (r) => seen.push(r));
      await waitFor(() => seen.length === 1, { what: "config from a" });
      expect(seen[0]!.config?.nats?.configuration.subjects).toEqual(["from-a"]);
      store.kubeconfigs.set("ns/c", readFileSync(b.kubeconfigPath, "utf8"));
      store.refresh();
      await waitFor(() => seen.length === 2, { what: "config from b" });
      expect(seen[1]!.config?.nats?.configuration.subjects).toEqual(["from-b"]);
      store.delete("SveltosCluster", "ns/c");
      await waitFor(() => seen.length === 3, { what: "cluster gone" });
      expect(seen[2]!.config).toBeUndefined();
      expect(seen[2]!.problems[0]!.reason).toMatch(/not registered/);
    } finally {
      await watch?.close();
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
