// The k8s/ manifests and the compose init script against the Kubernetes emulator with the real kubectl.
import { execFile } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { type KubeEmulator, startKubeEmulator } from "@evtrigger/kube-emulator";
import { tempDir } from "@evtrigger/testkit";
import { kubectl, repoRoot, yamlDocs } from "./deploy-kit.js";

const run = promisify(execFile);

describe("deploy kube", () => {
  let emu: KubeEmulator;
  let dir: string;
  const k = (...args: string[]) => kubectl(emu.kubeconfigPath, join(dir, "cache"), args);

  beforeEach(async () => {
    dir = tempDir("evt-deploy-kube-");
    emu = await startKubeEmulator({ clusterName: "deploy", kubeconfigPath: join(dir, "kubeconfig") });
  });
  afterEach(() => emu.stop());

  test("deploy - every manifest in k8s/ is accepted by kubectl apply --dry-run=server, then applied for real", async () => {
    await k("apply", "-f", "k8s/crds");
    await k("apply", "-f", "k8s/namespace.yaml");
    const dry = (await k("apply", "-k", "k8s", "--dry-run=server")).stdout;
    const expected = readdirSync(join(repoRoot, "k8s"))
      .filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml")
      .flatMap((f) => yamlDocs(`k8s/${f}`))
      .filter((d) => d.kind !== "Namespace");
    for (const d of expected) {
      const name = (d.metadata as { name: string }).name;
      expect(dry).toMatch(new RegExp(`/${name} created \\(server dry run\\)`));
    }
    // Nothing was stored by the dry run.
    expect((await k("get", "deployments,services,serviceaccounts,pdb", "-n", "evtrigger", "-o", "name")).stdout).toBe(
      "",
    );
    await k("apply", "-k", "k8s");
    const names = (
      await k("get", "deployments,services,serviceaccounts,pdb,configmaps", "-n", "evtrigger", "-o", "name")
    ).stdout
      .trim()
      .split("\n");
    expect(names).toEqual(
      expect.arrayContaining([
        "deployment.apps/evtrigger-gateway",
        "deployment.apps/evtrigger-matcher",
        "deployment.apps/evtrigger-applier",
        "service/evtrigger-applier-metrics",
        "serviceaccount/evtrigger-matcher",
        "poddisruptionbudget.policy/evtrigger-gateway",
        "configmap/evtrigger-kubeconfig",
        "configmap/evtrigger-nats-config",
      ]),
    );
    const roles = (await k("get", "clusterroles,clusterrolebindings", "-o", "name")).stdout;
    for (const svc of ["gateway", "matcher", "applier"])
      expect(roles).toContain(`clusterrolebinding.rbac.authorization.k8s.io/evtrigger-${svc}`);
    // The stored Deployment keeps the restricted security context (no field was pruned as unknown).
    const dep = JSON.parse((await k("get", "deployment", "evtrigger-applier", "-n", "evtrigger", "-o", "json")).stdout);
    expect(dep.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
  });

  test("deploy - the compose init script installs the CRDs, registers the cluster, writes sveltos-nats and applies the config dir", async () => {
    const kubeDir = join(dir, "kube");
    const configDir = join(dir, "config");
    mkdirSync(configDir);
    writeFileSync(
      join(configDir, "example.yaml"),
      readFileSync(join(repoRoot, "deploy/compose/config/user-login.yaml")),
    );
    const env = {
      PATH: process.env.PATH,
      HOME: dir, // kubectl's cache
      K3S_KUBECONFIG: emu.kubeconfigPath,
      K3S_SERVER: "", // the emulator's own address stays
      KUBE_DIR: kubeDir,
      CRD_DIR: join(repoRoot, "k8s/crds"),
      CONFIG_DIR: configDir,
      CLUSTER_NAME: "k3s",
      CLUSTER_LABELS: "env=production,tier=dev",
      SVELTOS_NATS_URL: "nats://nats:4222",
      SVELTOS_NATS_SUBJECTS: "user-login,user-logout",
      SVELTOS_NATS_PASSWORD: "pw with spaces",
      WAIT_SECONDS: "10",
    };
    const script = join(repoRoot, "deploy/compose/k8s-init.sh");
    const first = await run("sh", [script], { env, timeout: 60_000 });
    expect(first.stdout).toMatch(/k8s-init: done/);
    await run("sh", [script], { env, timeout: 60_000 }); // idempotent: a compose restart runs it again

    const kubeconfig = join(kubeDir, "management.kubeconfig");
    const kk = (...args: string[]) => kubectl(kubeconfig, join(dir, "cache2"), args);
    const cluster = JSON.parse((await kk("get", "sveltoscluster", "k3s", "-n", "default", "-o", "json")).stdout);
    expect(cluster.metadata.labels).toEqual({ env: "production", tier: "dev" });
    const secret = JSON.parse(
      (await kk("get", "secret", "k3s-sveltos-kubeconfig", "-n", "default", "-o", "json")).stdout,
    );
    expect(Buffer.from(secret.data.kubeconfig, "base64").toString()).toBe(readFileSync(kubeconfig, "utf8"));
    const nats = JSON.parse((await kk("get", "secret", "sveltos-nats", "-n", "projectsveltos", "-o", "json")).stdout);
    expect(JSON.parse(Buffer.from(nats.data["sveltos-nats"], "base64").toString())).toEqual({
      nats: {
        configuration: {
          url: "nats://nats:4222",
          subjects: ["user-login", "user-logout"],
          authorization: { user: { user: "sveltos", password: "pw with spaces" } },
        },
      },
    });
    expect((await kk("get", "eventsources,eventtriggers", "-o", "name")).stdout.trim().split("\n")).toEqual([
      "eventsource.lib.projectsveltos.io/user-login",
      "eventtrigger.lib.projectsveltos.io/create-namespace",
    ]);
    // The services (uid 1000) must be able to read the kubeconfig.
    expect(statSync(kubeconfig).mode & 0o444).toBe(0o444);
    expect(readFileSync(kubeconfig, "utf8")).toContain(emu.url);
  });
});
