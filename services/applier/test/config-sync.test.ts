// A match can reach the applier before its config store has the EventTrigger or ConfigMap it names: both were
// applied a moment ago and the matcher's watch saw them first. Such a match is retried, not dropped or
// dead-lettered, and deploys once the store catches up; an object still missing after the grace is dead-lettered.
import { createMetrics } from "@evtrigger/telemetry";
import { CONFIG_SYNC_GRACE_MS } from "../src/decide/config-sync.js";
import { dlqLetters, type Harness, loginEvent, manageNamespaceYaml, startHarness, waitFor } from "./harness.js";

describe("applier config sync", () => {
  let h: Harness;
  const metrics = createMetrics({ service: "applier", defaultMetrics: false });
  beforeAll(async () => {
    h = await startHarness();
    await h.startApplier({ metrics });
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Tries nak'ed because `code`'s object was not in the store (evtrigger_kube_retries_total by reason). */
  const retries = async (code: string) => {
    const line = (await metrics.text()).split("\n").find((l) => l.includes(`reason="${code}"`) && !l.startsWith("#"));
    return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
  };
  const exists = async (ns: string) => (await h.kubectl("get", "namespace", ns)).code === 0;
  /** The EventSource, EventTrigger and ConfigMap of a trigger, as separate YAML documents. */
  const parts = (name: string, cm: string) => manageNamespaceYaml(name, "Continuous", cm).split("---\n");

  test("config sync - a match handled before its trigger and ConfigMap reach the store deploys once they do", async () => {
    const [source, trigger, cm] = parts("early-trigger", "early-cm");
    await h.publishMatch({ eventTrigger: "early-trigger", eventSeq: 7001, event: loginEvent("early-user") });
    await waitFor(async () => (await retries("EVT_APPLIER_TRIGGER_NOT_FOUND")) > 0, {
      what: "a retry while the trigger is unknown",
    });
    await h.writeConfig("early-trigger.yaml", `${source}---\n${trigger}`, (x) =>
      x.store.snapshot().eventTriggers.has("early-trigger"),
    );
    await waitFor(async () => (await retries("EVT_APPLIER_POLICY_NOT_FOUND")) > 0, {
      what: "a retry while the ConfigMap is unknown",
    });
    await h.writeConfig("early-cm.yaml", cm!);
    await waitFor(() => exists("early-user"), { what: "Namespace early-user" });
    expect((await dlqLetters(h)).filter((l) => l.object?.name === "early-trigger")).toEqual([]);
  });

  test("config sync - a ConfigMap still missing when the grace is over is dead-lettered after retries", async () => {
    const [source, trigger] = parts("typo-trigger", "typo-cm");
    await h.writeConfig("typo-trigger.yaml", `${source}---\n${trigger}`, (x) =>
      x.store.snapshot().eventTriggers.has("typo-trigger"),
    );
    const before = await retries("EVT_APPLIER_POLICY_NOT_FOUND");
    // Matched most of a grace ago, so the test does not wait through all of it.
    const matchedAt = new Date(Date.now() - CONFIG_SYNC_GRACE_MS + 1500).toISOString();
    await h.publishMatch({ eventTrigger: "typo-trigger", eventSeq: 7101, matchedAt, event: loginEvent("typo-user") });
    const letter = await waitFor(async () => (await dlqLetters(h)).find((l) => l.object?.name === "typo-trigger"), {
      what: "the typo-trigger dead letter",
    });
    expect(letter).toMatchObject({ code: "EVT_APPLIER_POLICY_NOT_FOUND", field: "spec.policyRefs[0]" });
    expect(letter.reason).toContain("ConfigMap default/typo-cm, which does not exist");
    expect(await retries("EVT_APPLIER_POLICY_NOT_FOUND")).toBeGreaterThan(before);
    expect(Date.parse(letter.at)).toBeGreaterThanOrEqual(Date.parse(matchedAt) + CONFIG_SYNC_GRACE_MS);

    // Now known to be missing: the next match is dead-lettered without being held for a grace of its own.
    const held = await retries("EVT_APPLIER_POLICY_NOT_FOUND");
    await h.publishMatch({ eventTrigger: "typo-trigger", eventSeq: 7102, event: loginEvent("typo-user-2") });
    await waitFor(async () => (await dlqLetters(h)).filter((l) => l.object?.name === "typo-trigger").length === 2, {
      what: "the second typo-trigger dead letter",
    });
    expect(await retries("EVT_APPLIER_POLICY_NOT_FOUND")).toBe(held);
    expect(await exists("typo-user")).toBe(false);
  });
});
