// One managed cluster's NATS down for a period: the other cluster's events keep flowing, and once its NATS is back
// the gateway reconnects on its own and that cluster's events flow again. The second managed cluster (an emulator,
// its own nats-server, a SveltosCluster and kubeconfig Secret on the management cluster) is added by the test.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type KubeEmulator, startKubeEmulator } from "@evtrigger/kube-emulator";
import { type NatsServer, startNatsServer, waitFor } from "@evtrigger/testkit";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { anySubscribed, waitForConfig, waitForSubscribed } from "../src/config-sync.js";
import {
  ceJson,
  compare,
  type FaultStack,
  gatewaysSubscribed,
  namespaces,
  SCALE,
  scaled,
  seedConfig,
  settle,
  startFaultStack,
  userEvents,
} from "./kit.js";
import { recordRow } from "./table.js";

describe("faults - managed cluster NATS outage", () => {
  let s: FaultStack;
  let emu2: KubeEmulator;
  let nats2: NatsServer;
  let pub1: NatsConnection;
  const NAME2 = "second-workload";
  const KEY2 = `default/${NAME2}`;

  beforeAll(async () => {
    s = await startFaultStack();
    nats2 = await startNatsServer({ jetstream: false, user: "team2", password: "team2-password" });
    emu2 = await startKubeEmulator({ clusterName: NAME2, kubeconfigPath: join(s.dir, `${NAME2}.kubeconfig`) });
    const natsCfg = {
      nats: {
        configuration: {
          url: nats2.url,
          subjects: ["user-operation"],
          authorization: { user: { user: "team2", password: "team2-password" } },
        },
      },
    };
    await s.applyYaml(emu2.kubeconfigPath, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: projectsveltos\n");
    // Registered like Sveltos does: the kubeconfig in <name>-sveltos-kubeconfig, then the SveltosCluster. Every
    // service has it (and the gateway has looked for its sveltos-nats Secret) before the Secret is created.
    const kubeconfig = Buffer.from(readFileSync(emu2.kubeconfigPath)).toString("base64");
    await s.applyConfig(
      `apiVersion: v1
kind: Secret
metadata:
  name: ${NAME2}-sveltos-kubeconfig
  namespace: default
data:
  kubeconfig: ${kubeconfig}
---
apiVersion: lib.projectsveltos.io/v1beta1
kind: SveltosCluster
metadata:
  name: ${NAME2}
  namespace: default
  labels:
    env: production
spec: {}
---
${seedConfig()}`,
    );
    // Core NATS is at-most-once: both clusters' subscriptions are confirmed before anything is published.
    await waitForConfig(s.sync, {
      kubeconfig: emu2.kubeconfigPath,
      cluster: KEY2,
      yaml: `apiVersion: v1
kind: Secret
metadata:
  name: sveltos-nats
  namespace: projectsveltos
stringData:
  sveltos-nats: '${JSON.stringify(natsCfg)}'
`,
    });
    await gatewaysSubscribed(s);
    pub1 = s.bus.nc;
  }, 240_000);
  afterAll(async () => {
    await s?.stop();
    await emu2?.stop();
    await nats2?.stop();
  });

  test("faults - one cluster's NATS down: the other's events flow; its own resume after", async () => {
    const started = Date.now();
    const k1 = s.dev.env.clusters[0]!.kubeconfig;
    const k2 = emu2.kubeconfigPath;
    const outageMs = Math.max(8_000, 30_000 * SCALE);
    const n = scaled(1000, 60);
    const one = userEvents(n, scaled(100, 10), "co-", 5);
    const two = userEvents(n, scaled(100, 10), "ct-", 6);

    await nats2.stop();
    const downAt = Date.now();
    // The gateway noticed (its subscription for cluster two is no longer live).
    await waitFor(async () => !(await anySubscribed(s.sync, KEY2)), {
      timeoutMs: 30_000,
      intervalMs: 100,
      what: "the gateway to notice cluster two's NATS is down",
    });
    for (const e of one.events) pub1.publish("user-operation", ceJson(e));
    await pub1.flush();
    const flowed = await settle(
      async () => compare(one.expected, await namespaces(s, k1, "co-")).lost.length === 0,
      Math.max(outageMs, 60_000),
      "cluster one during the outage",
    );
    const flowedS = Math.round((Date.now() - downAt) / 1000);
    const stillDown = !nats2.running;
    // The rest of the outage: a bounded observation window (cluster one stays exact, nothing appears in two).
    await waitFor(() => Date.now() - downAt > outageMs, { timeoutMs: outageMs + 5000, intervalMs: 250 });

    await nats2.start();
    const upAt = Date.now();
    // Core NATS is at-most-once: publish once the gateway's subscription is confirmed again.
    await waitForSubscribed(s.sync, KEY2, 90_000);
    const resumedS = Math.round((Date.now() - upAt) / 1000);
    const pub2 = await connect({ servers: nats2.url, user: "team2", pass: "team2-password" });
    for (const e of two.events) pub2.publish("user-operation", ceJson(e));
    await pub2.flush();
    await pub2.close();
    const expected2 = two.expected;
    const settled = await settle(
      async () => {
        const a = compare(one.expected, await namespaces(s, k1, "co-"));
        const b = compare(expected2, await namespaces(s, k2, "ct-"));
        return a.lost.length + a.extra.length + b.lost.length + b.extra.length === 0;
      },
      120_000,
      "both clusters' final state",
    );
    const a = compare(one.expected, await namespaces(s, k1, "co-"));
    const b = compare(expected2, await namespaces(s, k2, "ct-"));
    // Nothing crosses over: cluster one's users never land in cluster two and vice versa.
    const crossed = (await namespaces(s, k2, "co-")).size + (await namespaces(s, k1, "ct-")).size;
    const expectedTotal = one.expected.size + expected2.size;
    recordRow({
      scenario: "one managed cluster's NATS down (2 clusters)",
      eventsSent: 2 * n,
      expected: expectedTotal,
      actual: expectedTotal - a.lost.length - b.lost.length + a.extra.length + b.extra.length,
      lost: a.lost.length + b.lost.length,
      duplicated: a.extra.length + b.extra.length + crossed,
      notes:
        `${Math.round(outageMs / 1000)} s outage; other cluster exact ${flowedS} s into it (${stillDown ? "while down" : "AFTER it was back"}); ` +
        `resubscribed ${resumedS} s after restart; ${Math.round((Date.now() - started) / 1000)} s`,
      ok: flowed && stillDown && settled && crossed === 0,
    });
    expect(flowed).toBe(true);
    expect(stillDown).toBe(true);
    expect({ a, b, crossed }).toEqual({ a: { lost: [], extra: [] }, b: { lost: [], extra: [] }, crossed: 0 });
  }, 420_000);
});
