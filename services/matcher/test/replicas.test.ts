// Scale-out: two matcher replicas on the same durable, and per-key order within one replica.
import { type Bus, connectBus } from "@evtrigger/bus";
import { createMetrics } from "@evtrigger/telemetry";
import { waitFor } from "@evtrigger/testkit";
import { type Matcher, startMatcher } from "../src/service.js";
import {
  drained,
  type Env,
  envelope,
  eventSourceYaml,
  eventTriggerYaml,
  metricValue,
  publishEvent,
  readMatches,
  SEED_YAML,
  setup,
} from "./helpers.js";

const USERS = ["ann", "bob", "cid", "dee", "eve", "fay", "gus", "hal"];

/** Publishes n login/logout events over USERS; returns msgId → {seq, key, type} in publish order. */
async function publishMany(bus: Bus, n: number) {
  const published: { msgId: string; seq: number; user: string; type: string }[] = [];
  for (let i = 0; i < n; i++) {
    const user = USERS[i % USERS.length]!;
    const type = (i >> 3) % 2 ? "auth.example.com.logout" : "auth.example.com.login";
    const { seq, msgId } = await publishEvent(bus, envelope({ subject: user, type, id: "10001" }), `gw-${i}`);
    published.push({ msgId, seq, user, type });
  }
  return published;
}

describe("replicas - two matchers on one durable", () => {
  let env: Env;
  const extra: Bus[] = [];
  const matchers: Matcher[] = [];
  const registries = [0, 1].map(() => createMetrics({ service: "matcher", defaultMetrics: false }));

  beforeAll(async () => {
    env = await setup({ "seed.yaml": SEED_YAML, "audit.yaml": eventTriggerYaml("audit", "user-operation") });
    for (const metrics of registries) {
      const bus = await connectBus({ servers: env.server.url, name: "matcher-replica" });
      extra.push(bus);
      matchers.push(await startMatcher({ bus, store: env.store, logger: env.logger, metrics, concurrency: 16 }));
    }
  });
  afterAll(async () => {
    for (const m of matchers) await m.close();
    for (const b of extra) await b.close();
    await env.close();
  });

  test("replicas - every event is matched exactly once and the eventSeq fence yields publish order per key", async () => {
    const N = 400;
    const published = await publishMany(env.bus, N);
    const recs = await waitFor(
      async () => {
        const m = await readMatches(env.bus);
        return m.length >= 2 * N && (await drained(env.bus)) ? m : undefined;
      },
      { timeoutMs: 30_000, what: "all match records" },
    );
    // Exactly once: one record per (event, trigger), ids as specified, nothing extra.
    const ids = recs.map((r) => r.msg.header.get("Nats-Msg-Id"));
    expect(new Set(ids).size).toBe(ids.length);
    const want = published.flatMap((p) => [`${p.msgId}|audit`, `${p.msgId}|manage-namespace`]);
    expect([...ids].sort()).toEqual(want.sort());
    // eventSeq is the EVT_EVENTS sequence of the event each record came from.
    const seqOf = new Map(published.map((p) => [p.msgId, p.seq]));
    for (const r of recs) expect(r.rec.eventSeq).toBe(seqOf.get(r.rec.eventMsgId));
    // Both replicas took part.
    for (const metrics of registries) {
      expect(await metricValue(metrics, "evtrigger_matcher_events_total", { outcome: "matched" })).toBeGreaterThan(0);
    }
    // The applier's fence (apply only a newer eventSeq per key), fed in EVT_MATCHES order, ends in the state of
    // the last published event of each key; every key stays on one partition.
    const applied = new Map<string, { seq: number; type: string; subject: string }>();
    for (const r of recs) {
      const key = `${r.rec.eventTrigger}|${r.rec.event.source}|${r.rec.event.subject}`;
      const prev = applied.get(key);
      if (prev) expect(r.msg.subject).toBe(prev.subject);
      if (!prev || r.rec.eventSeq > prev.seq) {
        applied.set(key, { seq: r.rec.eventSeq, type: r.rec.event.type, subject: r.msg.subject });
      }
    }
    for (const user of USERS) {
      const last = published.filter((p) => p.user === user).at(-1)!;
      for (const trigger of ["audit", "manage-namespace"]) {
        expect(applied.get(`${trigger}|auth.example.com|${user}`)).toMatchObject({ seq: last.seq, type: last.type });
      }
    }
  });
});

describe("replicas - one matcher", () => {
  let env: Env;
  let matcher: Matcher;

  beforeAll(async () => {
    // Logins fire 30 more triggers than logouts, so a login takes longer to publish than the logout after it:
    // without per-key serialisation the logout's record would overtake the login's.
    const heavy = Array.from({ length: 30 }, (_, i) => eventTriggerYaml(`heavy-${i}`, "logins")).join("---\n");
    env = await setup({
      "seed.yaml": SEED_YAML,
      "heavy.yaml": `${eventSourceYaml("logins", [{ cloudEventType: "login$" }])}---\n${heavy}`,
    });
  });
  afterAll(async () => {
    await matcher.close();
    await env.close();
  });

  test("replicas - within one process, records of a key are published in EVT_EVENTS order", async () => {
    const N = 160;
    // Published before the matcher starts, so it pulls them in batches and handles many at once.
    const published = await publishMany(env.bus, N);
    matcher = await startMatcher({ bus: env.bus, store: env.store, logger: env.logger, metrics: env.metrics });
    const logins = published.filter((p) => p.type.endsWith("login")).length;
    const recs = await waitFor(
      async () => {
        const m = await readMatches(env.bus);
        return m.length >= N + 30 * logins ? m : undefined;
      },
      { timeoutMs: 30_000, what: "all match records" },
    );
    const lastSeq = new Map<string, number>();
    let checked = 0;
    for (const r of recs.filter((x) => x.rec.eventTrigger === "manage-namespace")) {
      const key = r.rec.event.subject!;
      const prev = lastSeq.get(key) ?? 0;
      expect(r.rec.eventSeq).toBeGreaterThan(prev);
      lastSeq.set(key, r.rec.eventSeq);
      checked++;
    }
    expect(checked).toBe(N);
    expect(lastSeq.size).toBe(USERS.length);
  });
});
