// The gateway fed by the real config path: SveltosCluster in a management emulator, the sveltos-nats Secret in the
// managed cluster's emulator, a real nats-server as that cluster's NATS. Objects are created with real kubectl.
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { ClusterRegistry, KubeConfigStore } from "@evtrigger/config";
import { type KubeEmulator, startKubeEmulator } from "@evtrigger/kube-emulator";
import { tempDir } from "@evtrigger/testkit";
import type { NatsConnection } from "@nats-io/transport-node";
import { type Gateway, registrySource, startGateway } from "../src/mod.js";
import {
  type Harness,
  json,
  publisher,
  seedLogin,
  startInternal,
  startNatsServer,
  waitFor,
  waitForEvents,
} from "./helpers.js";

const run = promisify(execFile);
const crds = join(dirname(fileURLToPath(import.meta.url)), "../../../k8s/crds");

describe("gateway with the cluster registry", () => {
  let h: Harness;
  let mgmt: KubeEmulator;
  let managed: KubeEmulator;
  let store: KubeConfigStore;
  let upstream: Awaited<ReturnType<typeof startNatsServer>>;
  let pub: NatsConnection;
  let gw: Gateway;
  const work = tempDir("evt-gateway-registry-");
  const kubectl = async (emu: KubeEmulator, ...args: string[]) =>
    (await run("kubectl", ["--kubeconfig", emu.kubeconfigPath, "--cache-dir", join(work, "cache"), ...args])).stdout;
  const setSecret = async (value: unknown) => {
    writeFileSync(join(work, "nats.json"), JSON.stringify(value));
    const manifest = await kubectl(
      managed,
      ...["create", "secret", "generic", "sveltos-nats", "-n", "projectsveltos"],
      `--from-file=sveltos-nats=${join(work, "nats.json")}`,
      ...["--dry-run=client", "-o", "yaml"],
    );
    writeFileSync(join(work, "secret.yaml"), manifest);
    await kubectl(managed, "apply", "-f", join(work, "secret.yaml"));
  };

  beforeAll(async () => {
    h = await startInternal();
    upstream = await startNatsServer({ jetstream: false, user: "admin", password: "my-password" });
    mgmt = await startKubeEmulator({ clusterName: "mgmt" });
    managed = await startKubeEmulator({ clusterName: "managed" });
    await kubectl(mgmt, "apply", "-f", crds);
    await kubectl(
      mgmt,
      "create",
      "secret",
      "generic",
      "prod-kubeconfig",
      `--from-file=value=${managed.kubeconfigPath}`,
    );
    writeFileSync(
      join(work, "cluster.yaml"),
      "apiVersion: lib.projectsveltos.io/v1beta1\nkind: SveltosCluster\nmetadata: {name: prod, namespace: default, labels: {env: production}}\nspec: {kubeconfigName: prod-kubeconfig}\n",
    );
    await kubectl(mgmt, "apply", "-f", join(work, "cluster.yaml"));
    await kubectl(managed, "create", "namespace", "projectsveltos");
    await setSecret({
      nats: {
        configuration: {
          url: upstream.url,
          subjects: ["user-operation"],
          authorization: { user: { user: "admin", password: "my-password" } },
        },
      },
    });
    store = new KubeConfigStore({ kubeconfigPath: mgmt.kubeconfigPath });
    await store.start();
    gw = await startGateway({ bus: h.bus, clusters: registrySource(new ClusterRegistry(store), store) });
    pub = await publisher({ servers: upstream.url, user: "admin", pass: "my-password" });
  });

  afterAll(async () => {
    await pub?.close();
    await gw?.close();
    await store?.close();
    await Promise.all([mgmt?.stop(), managed?.stop()]);
    await upstream?.stop();
    await h?.stop();
  });

  const subscribedTo = (subject: string) =>
    waitFor(
      () => {
        const c = gw.status().clusters.find((x) => x.cluster === "default/prod")?.connections[0];
        return c?.state === "connected" && c.subscriptions.length === 1 && c.subscriptions[0]!.name === subject
          ? c.subscriptions[0]!.state === "active"
          : false;
      },
      { what: `subscribed to ${subject}`, timeoutMs: 15_000 },
    );

  test("registry - the Secret in the managed cluster drives the subscription, and a change applies live", async () => {
    await subscribedTo("user-operation");
    pub.publish("user-operation", json({ ...seedLogin, id: "via-registry" }));
    const [e] = await waitForEvents(h.bus.jsm, (x) => x.record.event.id === "via-registry");
    expect(e!.record.cluster).toEqual({ namespace: "default", name: "prod", kind: "SveltosCluster" });

    await setSecret({
      nats: {
        configuration: {
          url: upstream.url,
          subjects: ["user-operation-v2"],
          authorization: { user: { user: "admin", password: "my-password" } },
        },
      },
    });
    await subscribedTo("user-operation-v2");
    pub.publish("user-operation-v2", json({ ...seedLogin, id: "after-change" }));
    await waitForEvents(h.bus.jsm, (x) => x.record.event.id === "after-change");
  });

  test("registry - status names the Secret's resourceVersion and says once its subscriptions are confirmed", async () => {
    const cfg = (subject: string) => ({
      nats: {
        configuration: {
          url: upstream.url,
          subjects: [subject],
          authorization: { user: { user: "admin", password: "my-password" } },
        },
      },
    });
    const apply = async (value: unknown, labels: Record<string, string> = {}) => {
      const secret = {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "sveltos-nats", namespace: "projectsveltos", labels },
        stringData: { "sveltos-nats": JSON.stringify(value) },
      };
      writeFileSync(join(work, "rv-secret.json"), JSON.stringify(secret));
      const out = await kubectl(managed, "apply", "-f", join(work, "rv-secret.json"), "-o", "json");
      return (JSON.parse(out) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    };
    const prod = () => gw.status().clusters.find((x) => x.cluster === "default/prod")!;
    const rv1 = await apply(cfg("user-operation-v3"));
    await waitFor(() => prod().resourceVersion === rv1 && prod().subscribed, { what: `live at ${rv1}` });
    // Subscribed means confirmed by the server: one publish, no retry, arrives.
    pub.publish("user-operation-v3", json({ ...seedLogin, id: "after-subscribed" }));
    await waitForEvents(h.bus.jsm, (x) => x.record.event.id === "after-subscribed");
    // Same payload, new resourceVersion: the version is reported, the link is kept.
    const hash = prod().configHash;
    const rv2 = await apply(cfg("user-operation-v3"), { touched: "yes" });
    expect(rv2).not.toBe(rv1);
    await waitFor(() => prod().resourceVersion === rv2, { what: `status at ${rv2}` });
    expect(prod()).toMatchObject({ configHash: hash, subscribed: true });
  });

  test("registry - a deleted Secret stops messaging for the cluster", async () => {
    await kubectl(managed, "delete", "secret", "sveltos-nats", "-n", "projectsveltos");
    await waitFor(() => gw.status().clusters.find((x) => x.cluster === "default/prod")?.state === "no-config", {
      what: "no-config",
    });
    expect(gw.status().clusters[0]!.connections).toEqual([]);
  });
});
