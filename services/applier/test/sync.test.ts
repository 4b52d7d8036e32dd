import { rmSync } from "node:fs";
import { join } from "node:path";
import { inventoryFilter } from "../src/mod.js";
import {
  dlqLetters,
  drained,
  type Harness,
  loginEvent,
  logoutEvent,
  NS_DOC,
  recordingStatus,
  startHarness,
  triggerYaml,
  waitFor,
} from "./harness.js";

// The seed's `deploy-sveltos-nats-secret` payload, verbatim.
const SEED_SECRET_B64 =
  "YXBpVmVyc2lvbjogdjEKZGF0YToKICBzdmVsdG9zLW5hdHM6IGV3b2dJQ0p1WVhSeklqb0tJQ0FnZXdvZ0lDQWdJQ0pqYjI1bWFXZDFjbUYwYVc5dUlqb0tDWHNLQ1NBZ0lDQWlkWEpzSWpvZ0ltNWhkSE02THk5dVlYUnpMbTVoZEhNdWMzWmpMbU5zZFhOMFpYSXViRzlqWVd3Nk5ESXlNaUlzQ2drZ0lDQWdJbk4xWW1wbFkzUnpJam9nV3dvSkNTSjFjMlZ5TFc5d1pYSmhkR2x2YmlJS0NTQWdJQ0JkTEFvSklDQWdJQ0poZFhSb2IzSnBlbUYwYVc5dUlqb2dld29KQ1NKMWMyVnlJam9nZXdvSkNTQWdJQ0FpZFhObGNpSTZJQ0poWkcxcGJpSXNDZ2tKSUNBZ0lDSndZWE56ZDI5eVpDSTZJQ0p0ZVMxd1lYTnpkMjl5WkNJS0NRbDlDZ2tnSUNBZ2ZRb0pmUW9nSUNCOUNuMEsKa2luZDogU2VjcmV0Cm1ldGFkYXRhOgogIG5hbWU6IHN2ZWx0b3MtbmF0cwogIG5hbWVzcGFjZTogcHJvamVjdHN2ZWx0b3MKdHlwZTogT3BhcXVlCg==";

describe("applier sync modes, errors and withdrawal", () => {
  let h: Harness;
  const status = recordingStatus();
  let seq = 100;
  const next = () => ++seq;
  beforeAll(async () => {
    h = await startHarness();
    await h.startApplier({ status });
  });
  afterAll(async () => {
    await h?.close();
  });

  const exists = async (...args: string[]) => (await h.kubectl("get", ...args)).code === 0;
  const hasTrigger = (n: string) => (x: Harness) => x.store.snapshot().eventTriggers.has(n);

  test("drift - a deleted or edited Namespace comes back within 5 s; after logout it stays gone", async () => {
    await h.writeConfig(
      "drift.yaml",
      triggerYaml({ name: "drift", cm: "drift", syncMode: "ContinuousWithDriftDetection", docs: NS_DOC }),
      hasTrigger("drift"),
    );
    await h.publishMatch({ eventTrigger: "drift", eventSeq: next(), event: loginEvent("carol") });
    await waitFor(() => exists("namespace", "carol"), { what: "carol created" });
    const uid = async () => (await h.kubectl("get", "namespace", "carol", "-o", "jsonpath={.metadata.uid}")).stdout;
    const first = await uid();
    expect(first).not.toBe("");
    expect((await h.kubectl("delete", "namespace", "carol", "--wait=false")).code).toBe(0);
    // Back as a new object (new uid): it really was deleted and re-created by the applier.
    await waitFor(async () => !["", first].includes(await uid()), {
      timeoutMs: 5000,
      what: "carol restored after delete",
    });
    expect(
      (
        await h.kubectl(
          "label",
          "namespace",
          "carol",
          "eventtrigger.lib.projectsveltos.io/cesubject=hacked",
          "--overwrite",
        )
      ).code,
    ).toBe(0);
    await waitFor(
      async () => {
        const r = await h.kubectl(
          "get",
          "namespace",
          "carol",
          "-o",
          "jsonpath={.metadata.labels.eventtrigger\\.lib\\.projectsveltos\\.io/cesubject}",
        );
        return r.stdout === "carol";
      },
      { timeoutMs: 5000, what: "label edit reverted" },
    );
    // The API server restarts (every watch drops): drift detection reconnects and still repairs.
    await h.kube.stop();
    await h.kube.restart();
    const second = await waitFor(uid, { what: "API server back" });
    expect((await h.kubectl("delete", "namespace", "carol", "--wait=false")).code).toBe(0);
    await waitFor(async () => !["", second].includes(await uid()), { timeoutMs: 5000, what: "restored after restart" });
    await h.publishMatch({ eventTrigger: "drift", eventSeq: next(), event: logoutEvent("carol") });
    await waitFor(async () => !(await exists("namespace", "carol")), { what: "carol deleted on logout" });
    await waitFor(() => drained(h));
    await h.appliers[0]!.idle();
    expect(await exists("namespace", "carol")).toBe(false);
  });

  test("dryrun - DryRun records the would-be objects and applies nothing", async () => {
    await h.writeConfig(
      "dry.yaml",
      triggerYaml({ name: "dry", cm: "dry", syncMode: "DryRun", docs: NS_DOC }),
      hasTrigger("dry"),
    );
    await h.publishMatch({ eventTrigger: "dry", eventSeq: next(), event: loginEvent("dave") });
    const [entry] = await waitFor(async () => {
      const l = await h.appliers[0]!.inventory.list(inventoryFilter("dryrun", "dry"));
      return l.length ? l : undefined;
    });
    expect(entry!.entry).toMatchObject({
      dryRun: true,
      action: "Create",
      objects: [{ kind: "Namespace", name: "dave" }],
    });
    await waitFor(() => drained(h));
    expect(await exists("namespace", "dave")).toBe(false);
    expect(await h.appliers[0]!.inventory.list(inventoryFilter("applied", "dry"))).toEqual([]);
  });

  test("errors - an action rendering Remove is dead-lettered with a condition and Event; the pipeline continues", async () => {
    await h.writeConfig(
      "remove.yaml",
      triggerYaml({ name: "remover", cm: "remover", action: "{{ if true }}Remove{{ end }}", docs: NS_DOC }),
      hasTrigger("remover"),
    );
    await h.writeConfig("ok.yaml", triggerYaml({ name: "okay", cm: "okay", docs: NS_DOC }), hasTrigger("okay"));
    await h.publishMatch({ eventTrigger: "remover", eventSeq: next(), event: loginEvent("eve") });
    await h.publishMatch({ eventTrigger: "okay", eventSeq: next(), event: loginEvent("frank") });
    await waitFor(() => exists("namespace", "frank"), { what: "next match still applied" });
    const letter = await waitFor(async () => (await dlqLetters(h)).find((l) => l.code === "EVT_APPLIER_ACTION"));
    expect(letter).toMatchObject({
      stage: "applier",
      object: { kind: "EventTrigger", name: "remover" },
      field: "spec.cloudEventAction",
      origin: { stream: "EVT_MATCHES" },
    });
    expect(letter.reason).toContain('rendered to "Remove"');
    expect(status.conditions).toContainEqual(
      expect.objectContaining({ name: "remover", status: "False", reason: "Action" }),
    );
    expect(status.events).toContainEqual(expect.objectContaining({ name: "remover", type: "Warning" }));
    await waitFor(() => drained(h));
    expect(await exists("namespace", "eve")).toBe(false);
    // A storm of the same failure: every match is dead-lettered, the trigger's status is written once.
    await h.publishMatch({ eventTrigger: "remover", eventSeq: next(), event: loginEvent("eve2") });
    await waitFor(async () => (await dlqLetters(h)).filter((l) => l.object?.name === "remover").length === 2);
    expect(status.events.filter((e) => e.name === "remover")).toHaveLength(1);
  });

  test("errors - a 4xx from the API server is dead-lettered; 429s, 500s and dropped connections are retried until applied", async () => {
    await h.writeConfig(
      "invalid.yaml",
      triggerYaml({
        name: "invalid",
        cm: "invalid",
        docs: "kind: Namespace\napiVersion: v1\nmetadata:\n  name: Not_A_Valid_Name\n",
      }),
      hasTrigger("invalid"),
    );
    await h.publishMatch({ eventTrigger: "invalid", eventSeq: next(), event: loginEvent("gina") });
    const letter = await waitFor(async () => (await dlqLetters(h)).find((l) => l.object?.name === "invalid"));
    expect(letter.code).toBe("EVT_APPLIER_K8S_REJECTED");
    expect(letter.reason).toMatch(/HTTP 4\d\d/);

    await h.writeConfig("retry.yaml", triggerYaml({ name: "retry", cm: "retry", docs: NS_DOC }), hasTrigger("retry"));
    h.kube.faults.inject({ match: { verb: "patch" }, count: 2, action: { status: 429, retryAfterSeconds: 0 } });
    h.kube.faults.inject({ match: { verb: "patch" }, count: 1, action: { status: 500 } });
    h.kube.faults.inject({ match: { verb: "patch" }, count: 1, action: { drop: true } });
    await h.publishMatch({ eventTrigger: "retry", eventSeq: next(), event: loginEvent("hank") });
    await waitFor(() => exists("namespace", "hank"), { what: "applied after 429s" });
    expect(h.kube.faults.list()).toEqual([]);
  });

  test("secret - the seed's Secret-wrapped policyRef deploys its resource, creating the missing namespace", async () => {
    const yaml = `apiVersion: lib.projectsveltos.io/v1beta1
kind: EventTrigger
metadata:
  name: nats-secret
spec:
  sourceClusterSelector:
    matchLabels:
      env: fv
  eventSourceName: user-operation
  oneForEvent: true
  policyRefs:
  - name: deploy-sveltos-nats-secret
    namespace: default
    kind: Secret
---
apiVersion: v1
data:
  sveltos-nats: ${SEED_SECRET_B64}
kind: Secret
metadata:
  name: deploy-sveltos-nats-secret
  namespace: default
type: addons.projectsveltos.io/cluster-profile
`;
    await h.writeConfig("nats-secret.yaml", yaml, hasTrigger("nats-secret"));
    await h.publishMatch({ eventTrigger: "nats-secret", eventSeq: next(), event: loginEvent("nina") });
    await waitFor(() => exists("secret", "sveltos-nats", "-n", "projectsveltos"), { what: "seed Secret deployed" });
    const r = await h.kubectl(
      "get",
      "secret",
      "sveltos-nats",
      "-n",
      "projectsveltos",
      "-o",
      "jsonpath={.data.sveltos-nats}",
    );
    const cfg = JSON.parse(Buffer.from(r.stdout, "base64").toString("utf8")) as {
      nats: { configuration: { subjects: string[] } };
    };
    expect(cfg.nats.configuration.subjects).toEqual(["user-operation"]);
  });

  test("delete - a logout removes objects whose inventory record was lost (label sweep)", async () => {
    await h.writeConfig("sweep.yaml", triggerYaml({ name: "sweep", cm: "sweep", docs: NS_DOC }), hasTrigger("sweep"));
    await h.publishMatch({ eventTrigger: "sweep", eventSeq: next(), event: loginEvent("olga") });
    await waitFor(() => exists("namespace", "olga"));
    // As if the applier crashed between applying and recording: the cluster has the object, the KV has nothing.
    const [rec] = await waitFor(async () => {
      const l = await h.appliers[0]!.inventory.list(inventoryFilter("applied", "sweep"));
      return l.length ? l : undefined;
    });
    await h.appliers[0]!.inventory.remove(rec!.key, rec!.revision);
    await h.publishMatch({ eventTrigger: "sweep", eventSeq: next(), event: logoutEvent("olga") });
    await waitFor(async () => !(await exists("namespace", "olga")), { what: "olga swept" });
  });

  test("delete - an object another event applied since is theirs now: our logout leaves it", async () => {
    const orgNs =
      'kind: Namespace\napiVersion: v1\nmetadata:\n  name: team-{{ index .CloudEvent.data "organization" }}\n';
    await h.writeConfig("team.yaml", triggerYaml({ name: "team", cm: "team", docs: orgNs }), hasTrigger("team"));
    await h.publishMatch({ eventTrigger: "team", eventSeq: next(), event: loginEvent("pat", "red") });
    await waitFor(() => exists("namespace", "team-red"));
    await h.publishMatch({ eventTrigger: "team", eventSeq: next(), event: loginEvent("quinn", "red") });
    const subject = async () =>
      (
        await h.kubectl(
          "get",
          "namespace",
          "team-red",
          "-o",
          "jsonpath={.metadata.annotations.evtrigger\\.io/cesubject}",
        )
      ).stdout;
    await waitFor(async () => (await subject()) === "quinn", { what: "quinn's apply owns team-red" });
    await h.publishMatch({ eventTrigger: "team", eventSeq: next(), event: logoutEvent("pat") });
    await waitFor(() => drained(h));
    expect(await exists("namespace", "team-red")).toBe(true);
    await h.publishMatch({ eventTrigger: "team", eventSeq: next(), event: logoutEvent("quinn") });
    await waitFor(async () => !(await exists("namespace", "team-red")), { what: "owner's logout deletes it" });
  });

  test("prune - Continuous re-renders on ConfigMap change and prunes objects no longer rendered", async () => {
    const two = `${NS_DOC}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: profile\n  namespace: {{ .CloudEvent.subject }}\ndata:\n  v: "1"\n`;
    await h.writeConfig("prune.yaml", triggerYaml({ name: "prune", cm: "prune", docs: two }), hasTrigger("prune"));
    await h.publishMatch({ eventTrigger: "prune", eventSeq: next(), event: loginEvent("ivan") });
    await waitFor(() => exists("configmap", "profile", "-n", "ivan"), { what: "both objects" });
    await h.writeConfig(
      "prune.yaml",
      triggerYaml({ name: "prune", cm: "prune", docs: NS_DOC }),
      (x) =>
        !String(
          (x.store.snapshot().configMaps.get("default/prune")?.data as Record<string, string> | undefined)?.[
            "resources.yaml"
          ],
        ).includes("profile"),
    );
    await waitFor(async () => !(await exists("configmap", "profile", "-n", "ivan")), { what: "ConfigMap pruned" });
    expect(await exists("namespace", "ivan")).toBe(true);
    const [inv] = await h.appliers[0]!.inventory.list(inventoryFilter("applied", "prune"));
    expect(inv!.entry.objects.map((o) => o.kind)).toEqual(["Namespace"]);
  });

  test("withdraw - deleting a trigger removes what it deployed (WithdrawPolicies) or leaves it (LeavePolicies)", async () => {
    await h.writeConfig(
      "leave.yaml",
      triggerYaml({ name: "leave", cm: "leave", stop: "LeavePolicies", docs: NS_DOC }),
      hasTrigger("leave"),
    );
    await h.publishMatch({ eventTrigger: "leave", eventSeq: next(), event: loginEvent("judy") });
    await waitFor(() => exists("namespace", "judy"));
    const before = h.store.snapshot().version;
    rmSync(join(h.dir, "prune.yaml"));
    rmSync(join(h.dir, "leave.yaml"));
    await waitFor(
      () =>
        h.store.snapshot().version > before &&
        !h.store.snapshot().eventTriggers.has("leave") &&
        !h.store.snapshot().eventTriggers.has("prune"),
    );
    await waitFor(async () => !(await exists("namespace", "ivan")), { what: "ivan withdrawn" });
    await waitFor(async () => (await h.appliers[0]!.inventory.list(inventoryFilter("applied", "leave"))).length === 0);
    await h.appliers[0]!.idle();
    expect(await exists("namespace", "judy")).toBe(true);
    expect(await h.appliers[0]!.inventory.list(inventoryFilter("applied", "prune"))).toEqual([]);
  });
});
