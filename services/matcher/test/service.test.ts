// The matcher service against a real nats-server and a DirConfigStore.
import { BUCKETS, matchSubject, partitionOf } from "@evtrigger/bus";
import { createMetrics } from "@evtrigger/telemetry";
import { waitFor } from "@evtrigger/testkit";
import { readEventReports } from "../src/report/eventReports.js";
import { type Matcher, startMatcher } from "../src/service.js";
import {
  drained,
  type Env,
  envelope,
  eventSourceYaml,
  eventTriggerYaml,
  metricValue,
  publishEvent,
  readDeadLetters,
  readMatches,
  SEED_YAML,
  setup,
} from "./helpers.js";

describe("service - seed flow", () => {
  let env: Env;
  let matcher: Matcher;

  beforeAll(async () => {
    env = await setup({ "seed.yaml": SEED_YAML });
    matcher = await startMatcher({ bus: env.bus, store: env.store, logger: env.logger, metrics: env.metrics });
  });
  afterAll(async () => {
    await matcher.close();
    await env.close();
  });

  test("service - the seed's login and logout (same CE id 10001) both produce a match record", async () => {
    const tp = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const login = await publishEvent(env.bus, envelope({ type: "auth.example.com.login" }), "gw-login", tp);
    // From a JetStream source: the upstream position travels into the match record (the applier orders by it).
    const upstream = { stream: "USERS", created: "2026-11-25T10:00:00.000Z", seq: 7, index: 0 };
    const logout = await publishEvent(
      env.bus,
      { ...envelope({ type: "auth.example.com.logout" }), upstream },
      "gw-logout",
      tp,
    );
    const got = await waitFor(async () => {
      const m = await readMatches(env.bus);
      return m.length >= 2 ? m : undefined;
    });
    expect(got).toHaveLength(2);
    const byType = new Map(got.map((g) => [g.rec.event.type, g]));
    for (const [type, pub] of [
      ["auth.example.com.login", login],
      ["auth.example.com.logout", logout],
    ] as const) {
      const g = byType.get(type)!;
      expect(g.rec).toMatchObject({
        v: 1,
        eventSeq: pub.seq,
        eventMsgId: pub.msgId,
        eventSource: "user-operation",
        eventTrigger: "manage-namespace",
        triggerGeneration: expect.any(Number),
        cluster: { namespace: "default", name: "workload" },
        natsSubject: "user-operation",
        subscription: "user-operation",
        event: { id: "10001", subject: "mgianluc" },
      });
      expect(g.rec.upstream).toEqual(type === "auth.example.com.logout" ? upstream : undefined);
      expect(g.msg.header.get("Nats-Msg-Id")).toBe(`${pub.msgId}|manage-namespace`);
      expect(g.msg.header.get("traceparent")).toBe(tp);
      expect(g.msg.subject).toBe(matchSubject(partitionOf("manage-namespace|auth.example.com|mgianluc")));
    }
    // Both events are in the bounded history of (cluster, EventSource).
    await matcher.flushReports();
    const kv = await env.bus.kvm.open(BUCKETS.eventReports);
    const reports = await readEventReports(kv, { cluster: "default/workload", source: "user-operation" });
    expect(reports).toHaveLength(1);
    expect(reports[0]!.events.map((e) => [e.seq, e.event.type, e.triggers])).toEqual([
      [login.seq, "auth.example.com.login", ["manage-namespace"]],
      [logout.seq, "auth.example.com.logout", ["manage-namespace"]],
    ]);
  });

  test("service - an event matching nothing is acked and counted", async () => {
    const before = await metricValue(env.metrics, "evtrigger_matcher_events_total", { outcome: "unmatched" });
    await publishEvent(env.bus, envelope({ source: "billing.example.com" }));
    await waitFor(() => drained(env.bus), { what: "matcher durable drained" });
    await waitFor(
      async () =>
        (await metricValue(env.metrics, "evtrigger_matcher_events_total", { outcome: "unmatched" })) === before + 1,
    );
  });

  test("service - an undecodable envelope is dead-lettered with the reason and acked", async () => {
    await env.bus.js.publish("evt.events.default.workload", new TextEncoder().encode("{not json"), {
      msgID: "poison-1",
    });
    await env.bus.js.publish("evt.events.default.workload", new TextEncoder().encode('{"v":1,"cluster":{}}'), {
      msgID: "poison-2",
    });
    const dl = await waitFor(async () => {
      const d = await readDeadLetters(env.bus);
      return d.length >= 2 ? d : undefined;
    });
    expect(dl.map((d) => [d.stage, d.code])).toEqual([
      ["matcher", "EVT_MATCHER_BAD_ENVELOPE"],
      ["matcher", "EVT_MATCHER_BAD_ENVELOPE"],
    ]);
    expect(dl[0]!.reason).toContain("not valid JSON");
    expect(dl[0]!.body).toBe("{not json");
    expect(dl[0]!.origin?.stream).toBe("EVT_EVENTS");
    expect(dl[1]!.reason).toContain("field cluster");
    await waitFor(() => drained(env.bus), { what: "poison acked" });
  });
});

describe("service - live configuration", () => {
  let env: Env;
  let matcher: Matcher;

  beforeAll(async () => {
    env = await setup();
    matcher = await startMatcher({ bus: env.bus, store: env.store, logger: env.logger, metrics: env.metrics });
  });
  afterAll(async () => {
    await matcher.close();
    await env.close();
  });

  /** Publishes one event and returns the triggers it fired (after the durable drained). */
  async function fire(ce: Parameters<typeof envelope>[0]): Promise<string[]> {
    const before = (await readMatches(env.bus)).length;
    const { seq } = await publishEvent(env.bus, envelope(ce));
    await waitFor(() => drained(env.bus), { what: `event ${seq} handled` });
    return (await readMatches(env.bus))
      .slice(before)
      .filter((m) => m.rec.eventSeq === seq)
      .map((m) => m.rec.eventTrigger)
      .sort();
  }

  test("service - EventSources and EventTriggers added, changed and deleted apply to the next event", async () => {
    expect(await fire({ type: "auth.login" })).toEqual([]);

    env.write("es.yaml", eventSourceYaml("logins", [{ cloudEventType: "login$" }]));
    env.write("et.yaml", eventTriggerYaml("on-login", "logins"));
    expect(await fire({ type: "auth.login" })).toEqual(["on-login"]);
    expect(await fire({ type: "auth.logout" })).toEqual([]);

    // A second trigger on the same source; a trigger whose selector does not pick the cluster never fires.
    env.write(
      "et2.yaml",
      `${eventTriggerYaml("also-login", "logins")}---\n${eventTriggerYaml("staging-only", "logins", "{matchLabels: {env: staging}}")}`,
    );
    expect(await fire({ type: "auth.login" })).toEqual(["also-login", "on-login"]);

    // Changing the criteria changes matching.
    env.write("es.yaml", eventSourceYaml("logins", [{ cloudEventType: "(?i)^AUTH\\.LOGOUT$" }]));
    expect(await fire({ type: "auth.login" })).toEqual([]);
    expect(await fire({ type: "auth.logout" })).toEqual(["also-login", "on-login"]);

    // Deleting a trigger stops it; deleting the source stops all.
    env.remove("et2.yaml");
    expect(await fire({ type: "auth.logout" })).toEqual(["on-login"]);
    env.remove("es.yaml");
    expect(await fire({ type: "auth.logout" })).toEqual([]);
  });

  test("service - an EventSource with an invalid pattern is skipped and counted, the others keep matching", async () => {
    env.write("bad.yaml", eventSourceYaml("broken", [{ cloudEventType: "login(" }]));
    env.write("good.yaml", eventSourceYaml("good", [{ cloudEventSource: "^auth\\." }]));
    env.write("ets.yaml", `${eventTriggerYaml("on-broken", "broken")}---\n${eventTriggerYaml("on-good", "good")}`);
    expect(await fire({ type: "login(" })).toEqual(["on-good"]);
    expect(matcher.state().invalidSources.map((s) => s.name)).toEqual(["broken"]);
    expect(await metricValue(env.metrics, "evtrigger_matcher_invalid_eventsources")).toBe(1);
  });
});

describe("service - redelivery", () => {
  let env: Env;

  beforeAll(async () => {
    env = await setup({ "seed.yaml": SEED_YAML });
  });
  afterAll(async () => {
    await env.close();
  });

  test("service - events handled again (replayed durable) produce no duplicate match records", async () => {
    const first = await startMatcher({ bus: env.bus, store: env.store, logger: env.logger, metrics: env.metrics });
    for (const type of ["auth.example.com.login", "auth.example.com.logout", "auth.example.com.login"]) {
      await publishEvent(env.bus, envelope({ type }));
    }
    await waitFor(async () => (await readMatches(env.bus)).length === 3 && (await drained(env.bus)));
    await first.close();

    // A new durable replays the whole stream: every event is matched and published again, and deduplicated.
    await env.bus.jsm.consumers.delete("EVT_EVENTS", "evt-matcher");
    const metrics = createMetrics({ service: "matcher", defaultMetrics: false });
    const second = await startMatcher({ bus: env.bus, store: env.store, logger: env.logger, metrics });
    try {
      await waitFor(
        async () => (await metricValue(metrics, "evtrigger_matcher_events_total", { outcome: "matched" })) === 3,
      );
      await waitFor(() => drained(env.bus));
      const recs = await readMatches(env.bus);
      expect(recs).toHaveLength(3);
      expect(new Set(recs.map((r) => r.msg.header.get("Nats-Msg-Id"))).size).toBe(3);
    } finally {
      await second.close();
    }
  });
});
