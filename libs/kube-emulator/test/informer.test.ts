// Acceptance: a @kubernetes/client-node informer lists, watches, and recovers across stop()/restart().

import { waitFor } from "@evtrigger/testkit";
import * as k8s from "@kubernetes/client-node";
import { type KubeEmulator, startKubeEmulator } from "../src/mod.js";

let emu: KubeEmulator;
let core: k8s.CoreV1Api;
let kc: k8s.KubeConfig;

beforeAll(async () => {
  emu = await startKubeEmulator({ clusterName: "informer-test" });
  kc = new k8s.KubeConfig();
  kc.loadFromFile(emu.kubeconfigPath);
  core = kc.makeApiClient(k8s.CoreV1Api);
});
afterAll(() => emu.stop());

const cm = (name: string, v = "1"): k8s.V1ConfigMap => ({ metadata: { name }, data: { v } });

describe("informer", () => {
  test("informer - lists, watches adds/updates/deletes and recovers after stop()/restart()", async () => {
    await core.createNamespacedConfigMap({ namespace: "default", body: cm("before") });
    const seen: string[] = [];
    const errors: unknown[] = [];
    const informer = k8s.makeInformer(kc, "/api/v1/namespaces/default/configmaps", () =>
      core.listNamespacedConfigMap({ namespace: "default" }),
    );
    informer.on("add", (o) => seen.push(`add:${o.metadata?.name}`));
    informer.on("update", (o) => seen.push(`update:${o.metadata?.name}:${o.data?.v}`));
    informer.on("delete", (o) => seen.push(`delete:${o.metadata?.name}`));
    informer.on("error", (err) => errors.push(err));
    await informer.start();
    try {
      await waitFor(() => seen.includes("add:before"), { what: "listed object" });

      await core.createNamespacedConfigMap({ namespace: "default", body: cm("live") });
      await core.replaceNamespacedConfigMap({ name: "live", namespace: "default", body: cm("live", "2") });
      await core.deleteNamespacedConfigMap({ name: "before", namespace: "default" });
      await waitFor(
        () => seen.includes("add:live") && seen.includes("update:live:2") && seen.includes("delete:before"),
        {
          what: `watched events (${seen.join(",")})`,
        },
      );

      await emu.stop();
      await waitFor(() => errors.length > 0, { what: "informer noticing the outage" });
      await emu.restart();
      // The informer stops on a connection error; its owner restarts it (what our services do).
      await informer.start();
      await core.createNamespacedConfigMap({ namespace: "default", body: cm("after") });
      await waitFor(() => seen.includes("add:after"), { what: `event after restart (${seen.join(",")})` });
      expect(
        informer
          .list("default")
          .map((o) => o.metadata?.name)
          .sort(),
      ).toEqual(["after", "live"]);
    } finally {
      await informer.stop();
    }
  });

  test("informer - a client-node watch resumed from a compacted resourceVersion gets an ERROR event with code 410", async () => {
    const list = await core.listNamespacedConfigMap({ namespace: "default" });
    const oldRv = list.metadata?.resourceVersion ?? "";
    await core.createNamespacedConfigMap({ namespace: "default", body: cm("compacted") });
    emu.store.compact();
    const watch = new k8s.Watch(kc);
    const events: { type: string; code?: number }[] = [];
    let ended = false;
    const req = await watch.watch(
      "/api/v1/namespaces/default/configmaps",
      { resourceVersion: oldRv },
      (type, obj: { code?: number }) => events.push({ type, code: obj.code }),
      () => {
        ended = true;
      },
    );
    await waitFor(() => ended, { what: "watch stream to end" });
    req.abort();
    expect(events).toEqual([{ type: "ERROR", code: 410 }]);
  });
});
