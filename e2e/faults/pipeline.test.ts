// One `dev up` stack at debug log level, fed through an upstream JetStream stream: a nats-server restart (same store)
// mid-stream, then a period of Kubernetes API faults on the managed cluster (429/500/latency/dropped connections);
// each ends in the exact expected state with bounded memory and request rate. Last, no secret appears in any log
// line or metric of the whole run.
import { readFileSync } from "node:fs";
import { STREAMS } from "@evtrigger/bus";
import { waitFor } from "@evtrigger/testkit";
import type { JetStreamClient } from "@nats-io/jetstream";
import { parse as parseYaml } from "yaml";
import {
  ceJson,
  compare,
  duplicates,
  emulatorAdmin,
  type FaultStack,
  jetstream,
  namespaces,
  pipelineIdle,
  rssMb,
  SCALE,
  scaled,
  seedConfig,
  settle,
  startFaultStack,
  storedEvents,
  storedOrderState,
  type UserEvent,
  useJetStreamSource,
  userEvents,
} from "./kit.js";
import { recordRow } from "./table.js";

/** Publishes in order; a failed publish (server down) is retried with the same upstream Nats-Msg-Id. */
async function publishRetrying(js: JetStreamClient, bodies: { id: string; body: string }[]): Promise<number> {
  let retries = 0;
  for (let i = 0; i < bodies.length; i += 64) {
    await Promise.all(
      bodies.slice(i, i + 64).map(async ({ id, body }) => {
        const deadline = Date.now() + 60_000;
        for (;;) {
          try {
            await js.publish("user-operation", body, { msgID: id, timeout: 2000 });
            return;
          } catch (err) {
            if (Date.now() > deadline) throw err;
            retries++;
            await new Promise((r) => setTimeout(r, 100)); // retry pacing while the server restarts
          }
        }
      }),
    );
  }
  return retries;
}

describe("faults - pipeline", () => {
  let s: FaultStack;
  let managed: string;
  let js: JetStreamClient;
  beforeAll(async () => {
    s = await startFaultStack({ logLevel: "debug", serviceEnv: { EVT_GATEWAY_ACK_WAIT_MS: "3000" } });
    managed = s.dev.env.clusters[0]!.kubeconfig;
    await s.applyConfig(seedConfig());
    await useJetStreamSource(s);
    js = jetstream(s.bus.nc);
  }, 180_000);
  afterAll(async () => {
    await s?.stop();
  });

  /**
   * Waits until every event is stored and the pipeline is idle, records the row, and asserts the exact state (both
   * against the publish order and against the upstream order the applier fences on) with nothing lost or doubled.
   */
  async function finish(
    scenario: string,
    prefix: string,
    events: UserEvent[],
    expected: Set<string>,
    events0: number,
    notes: string,
    started: number,
    extraOk = true,
  ) {
    const n = events.length;
    const settled = await settle(
      async () =>
        (await s.bus.jsm.streams.info(STREAMS.events.name)).state.messages >= events0 + n &&
        (await pipelineIdle(s.bus)),
      120_000,
      `${scenario}: every event stored and the pipeline idle`,
    );
    const actual = await namespaces(s, managed, prefix);
    const { lost, extra } = compare(expected, actual);
    const stored = await storedEvents(s.bus, prefix);
    const lostEvents = n - new Set(stored.ids).size;
    const dup = duplicates(stored.ids);
    const byStored = storedOrderState(events, stored);
    const vsApplied = compare(byStored.applied, actual);
    recordRow({
      scenario,
      eventsSent: n,
      expected: expected.size,
      actual: actual.size,
      lost: lost.length + lostEvents,
      duplicated: dup + extra.length,
      notes:
        `${notes}; keys stored out of publish order ${byStored.reorderedKeys}/${byStored.keys}, state vs fencing order ` +
        `(upstream): lost ${vsApplied.lost.length} extra ${vsApplied.extra.length}; ${Math.round((Date.now() - started) / 1000)} s`,
      ok: settled && extraOk && lost.length + extra.length + lostEvents + dup === 0,
    });
    expect(vsApplied).toEqual({ lost: [], extra: [] });
    expect({ lost, extra, lostEvents, dup }).toEqual({ lost: [], extra: [], lostEvents: 0, dup: 0 });
    expect(settled).toBe(true);
  }

  test("faults - nats-server restart (same store) mid-stream: exact final state, nothing lost or doubled", async () => {
    const started = Date.now();
    const n = scaled(2000, 100);
    const { events, expected } = userEvents(n, scaled(200, 20), "nr-", 7);
    const bodies = events.map((e) => ({ id: e.id, body: ceJson(e) }));
    const half = Math.floor(n / 2);
    const events0 = (await s.bus.jsm.streams.info(STREAMS.events.name)).state.messages;
    let retries = await publishRetrying(js, bodies.slice(0, half));
    // Restart while the second half is being published and the first half is still in the pipeline.
    const stored = (await s.bus.jsm.streams.info(STREAMS.events.name)).state.messages;
    const [r] = await Promise.all([publishRetrying(js, bodies.slice(half)), s.dev.nats.restart()]);
    retries += r;
    await finish(
      "nats-server restart (same store) mid-stream",
      "nr-",
      events,
      expected,
      events0,
      `restarted with ${stored} events stored internally (incl. earlier scenarios); publisher retries ${retries}`,
      started,
    );
  }, 300_000);

  test("faults - Kubernetes API faults for a period: exact state after, bounded memory and request rate", async () => {
    const started = Date.now();
    const admin = emulatorAdmin(managed);
    const BIG = 1e9;
    // A catch-all no-op fault counts requests: its `remaining` goes down once per request that reaches it.
    const counted = async () =>
      (await admin.list()).reduce((sum, f) => sum + (BIG - (f.remaining === null ? BIG : f.remaining)), 0);

    // Baseline: requests per event without faults.
    const nb = scaled(600, 40);
    const base = userEvents(nb, scaled(100, 10), "kb-", 3);
    await admin.clear();
    await admin.inject({ action: { delayMs: 0 }, count: BIG });
    const b0 = await counted();
    await publishRetrying(
      js,
      base.events.map((e) => ({ id: e.id, body: ceJson(e) })),
    );
    await settle(
      async () => compare(base.expected, await namespaces(s, managed, "kb-")).lost.length === 0 && pipelineIdle(s.bus),
      60_000,
      "baseline",
    );
    const perEvent = ((await counted()) - b0) / nb;

    // Faults: ~30% of requests fail (429 with Retry-After, 500, dropped connection), 20% of the rest are slow.
    await admin.clear();
    for (const action of [{ status: 429, retryAfterSeconds: 1 }, { status: 500 }, { drop: true }] as const) {
      await admin.inject({ action, probability: 0.11, count: BIG });
    }
    await admin.inject({ action: { delayMs: 300 }, probability: 0.2, count: BIG });
    await admin.inject({ action: { delayMs: 0 }, count: BIG });
    const nf = scaled(2000, 100);
    const periodMs = Math.max(8_000, 30_000 * SCALE);
    const { events, expected } = userEvents(nf, scaled(200, 20), "kf-", 11);
    const events0 = (await s.bus.jsm.streams.info(STREAMS.events.name)).state.messages;
    const applierUrl = s.dev.env.services.applier!;
    const rss0 = await rssMb(applierUrl);
    let peak = rss0;
    const until = Date.now() + periodMs;
    await publishRetrying(
      js,
      events.map((e) => ({ id: e.id, body: ceJson(e) })),
    );
    // The fault period: a bounded observation window, sampling the applier's memory.
    await waitFor(
      async () => {
        peak = Math.max(peak, await rssMb(applierUrl));
        return Date.now() > until;
      },
      { timeoutMs: periodMs + 10_000, intervalMs: 500, what: "the fault period" },
    );
    const duringFaults = await counted();
    const failed = (await admin.list()).slice(0, 3).reduce((sum, f) => sum + (BIG - f.remaining), 0);
    await admin.clear();
    const after0 = Date.now();
    await admin.inject({ action: { delayMs: 0 }, count: BIG });
    let rowDone = false;
    try {
      // Back to normal: the exact state, then an idle pipeline makes (almost) no requests.
      await settle(
        async () => compare(expected, await namespaces(s, managed, "kf-")).lost.length === 0 && pipelineIdle(s.bus),
        120_000,
        "recovery",
      );
      const recoveredS = Math.round((Date.now() - after0) / 1000);
      const idle0 = await counted();
      const idleUntil = Date.now() + 3000;
      await waitFor(() => Date.now() > idleUntil, { timeoutMs: 5000, intervalMs: 250, what: "idle window" });
      const idleRequests = (await counted()) - idle0;
      // No hot loop: during the faults, at most 3x the fault-free cost of the events (retries are backed off and
      // only ~30% fail) plus 20 requests/s of reconnecting watches; idle afterwards, at most 1 request/s.
      const budget = Math.ceil(3 * perEvent * nf + 20 * (periodMs / 1000));
      const hotLoop = duringFaults > budget || idleRequests > 3;
      const memOk = peak < 512;
      rowDone = true;
      await finish(
        "Kubernetes API faults (30% 429/500/drop, 20% +300 ms)",
        "kf-",
        events,
        expected,
        events0,
        `${Math.round(periodMs / 1000)} s of faults; requests ${duringFaults} (budget ${budget}, ${failed} failed; ` +
          `${perEvent.toFixed(1)}/event without faults); idle ${idleRequests} req/3 s; applier RSS ${rss0}->${peak} MB; ` +
          `recovered ${recoveredS} s after`,
        started,
        !hotLoop && memOk,
      );
      expect(duringFaults).toBeLessThanOrEqual(budget);
      expect(idleRequests).toBeLessThanOrEqual(3);
      expect(peak).toBeLessThan(512);
    } finally {
      if (!rowDone) await admin.clear();
    }
  }, 400_000);

  test("faults - secrets: with debug logging no password, token or key appears in any log line or metric", async () => {
    const tokenOf = (kubeconfig: string) =>
      (parseYaml(readFileSync(kubeconfig, "utf8")) as { users: Array<{ user: { token: string } }> }).users[0]!.user
        .token;
    const secrets = [
      s.dev.env.natsPassword,
      Buffer.from(s.dev.env.natsPassword).toString("base64"),
      tokenOf(s.dev.env.managementKubeconfig),
      tokenOf(managed),
    ];
    const metrics = await Promise.all(
      Object.values(s.dev.env.services).map(async (url) => (await fetch(`${url}/metrics`)).text()),
    );
    const sources = [...s.lines, ...metrics.flatMap((t) => t.split("\n"))];
    const leaks = sources.filter((l) => secrets.some((x) => l.includes(x)) || /PRIVATE KEY/.test(l));
    const debugLines = s.lines.filter((l) => /"level":"debug"|\bdebug\b/.test(l)).length;
    recordRow({
      scenario: "secrets in logs and metrics (debug level, whole run above)",
      eventsSent: (await s.bus.jsm.streams.info(STREAMS.events.name)).state.messages,
      expected: 0,
      actual: leaks.length,
      lost: 0,
      duplicated: 0,
      notes: `expected/actual = lines with a secret; scanned ${s.lines.length} log lines (${debugLines} debug) and ${metrics.length} /metrics pages`,
      ok: leaks.length === 0 && debugLines > 0,
    });
    expect(leaks.map((l) => l.slice(0, 300))).toEqual([]);
    expect(debugLines).toBeGreaterThan(0);
  });
});
