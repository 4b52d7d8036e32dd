// Crash: kill -9 of each service in turn in the middle of a stream of login/logout events published on an upstream
// JetStream stream (the managed cluster's sveltos-nats `jetstream` section), restart with the same env and entry
// point; the final Namespaces equal the expected ones, no event is lost or stored twice, the inventory matches.
import { STREAMS } from "@evtrigger/bus";
import { waitFor } from "@evtrigger/testkit";
import type { ServiceName } from "../../services/ctl/src/dev/devup.js";
import {
  ceJson,
  compare,
  consumerState,
  duplicates,
  type FaultStack,
  inventoryNamespaces,
  jetstream,
  namespaces,
  pipelineIdle,
  publishJs,
  scaled,
  seedConfig,
  settle,
  startFaultStack,
  storedEvents,
  storedOrderState,
  useJetStreamSource,
  userEvents,
} from "./kit.js";
import { recordRow } from "./table.js";

const N = scaled(5000, 150);
const USERS = scaled(500, 30);
const PREFIX = "fc-";

describe("faults - crash", () => {
  let s: FaultStack;
  beforeAll(async () => {
    // Messages a killed process held come back after AckWait (30 s by default): short ones keep the wait short.
    s = await startFaultStack({
      serviceEnv: { EVT_GATEWAY_ACK_WAIT_MS: "3000", EVT_MATCHER_ACK_WAIT_MS: "5000", EVT_APPLIER_ACK_WAIT_MS: "5000" },
    });
    // Every service has the seed's trigger and the gateway consumes USERS before anything is published.
    await s.applyConfig(seedConfig());
    await useJetStreamSource(s);
  }, 180_000);
  afterAll(async () => {
    await s?.stop();
  });

  test("faults - kill -9 of each service in turn mid-stream: exact final state, nothing lost, inventory matches", async () => {
    const started = Date.now();
    const managed = s.dev.env.clusters[0]!.kubeconfig;
    const js = jetstream(s.bus.nc);
    const { events, expected } = userEvents(N, USERS, PREFIX, 14);
    const events0 = (await s.bus.jsm.streams.info(STREAMS.events.name)).state.messages;
    const parts: ServiceName[] = ["gateway", "matcher", "applier"];
    const size = Math.ceil(N / parts.length);
    const progress: Record<ServiceName, () => Promise<number>> = {
      gateway: async () => (await s.bus.jsm.streams.info(STREAMS.events.name)).state.last_seq,
      matcher: async () => (await consumerState(s.bus, STREAMS.events.name, "evt-matcher")).ackFloor,
      applier: async () => (await consumerState(s.bus, STREAMS.matches.name, "evt-applier")).ackFloor,
    };
    const killedAt: string[] = [];
    for (const [i, svc] of parts.entries()) {
      const batch = events.slice(i * size, (i + 1) * size).map(ceJson);
      const base = await progress[svc]();
      const sending = publishJs(js, "user-operation", batch);
      // Kill once the service has done part of this batch (it is busy with the rest).
      // The gateway stores a small batch within one poll: it is killed at its first stored event.
      const mark = svc === "gateway" ? 1 : Math.floor(batch.length / 4);
      await waitFor(async () => (await progress[svc]()) >= base + mark, {
        timeoutMs: 60_000,
        intervalMs: 10,
        what: `${svc} to be busy with its batch`,
      });
      const child = s.dev.children[svc]!;
      const exited = new Promise((r) => child.proc.once("exit", r));
      child.proc.kill("SIGKILL");
      await exited;
      killedAt.push(`${svc}@${(await progress[svc]()) - base}/${batch.length}`);
      await sending;
      await s.dev.restart(svc);
      if (svc === "gateway") {
        // The next phase starts once the restarted gateway has taken over the batch (the killed one's messages
        // come back after AckWait), so the phases do not overlap.
        await waitFor(
          async () => {
            const c = await s.bus.jsm.consumers.info("USERS", "evtrigger-gateway");
            return c.num_pending + c.num_ack_pending === 0;
          },
          { timeoutMs: 60_000, intervalMs: 200, what: "the upstream consumer drained after the gateway's restart" },
        );
      }
    }

    // Redelivery of what the killed matcher/applier held waits for their AckWait (5 s here). Settled: every event
    // stored and both internal consumers idle; the state is then final, whatever it is.
    const settled = await settle(
      async () =>
        (await s.bus.jsm.streams.info(STREAMS.events.name)).state.messages >= events0 + N &&
        (await pipelineIdle(s.bus)),
      150_000,
      "every event stored and the pipeline idle",
    );
    const actual = await namespaces(s, managed, PREFIX);
    const { lost, extra } = compare(expected, actual);
    const stored = await storedEvents(s.bus, PREFIX);
    const lostEvents = N - new Set(stored.ids).size;
    const inventory = (await inventoryNamespaces(s, PREFIX)).get("default/clusterapi-workload") ?? [];
    const inventoryMatches = inventory.length === actual.size && inventory.every((n) => actual.has(n));
    const byStored = storedOrderState(events, stored);
    const vsApplied = compare(byStored.applied, actual);
    recordRow({
      scenario: "crash: kill -9 gateway, matcher, applier in turn (JetStream source)",
      eventsSent: N,
      expected: expected.size,
      actual: actual.size,
      lost: lost.length + lostEvents,
      duplicated: duplicates(stored.ids) + extra.length,
      notes: `${USERS} users; killed ${killedAt.join(", ")}; keys stored out of publish order ${byStored.reorderedKeys}/${byStored.keys}, state vs fencing order (upstream): lost ${vsApplied.lost.length} extra ${vsApplied.extra.length}; inventory ${inventoryMatches ? "matches" : `MISMATCH (${inventory.length})`}; ${Math.round((Date.now() - started) / 1000)} s`,
      ok: settled && lostEvents === 0 && duplicates(stored.ids) === 0 && inventoryMatches,
    });
    // After the gateway's kill -9 the upstream messages it held are redelivered after AckWait and stored behind
    // newer events of the same key (issue 14: 254 Namespaces instead of 251 at 5,000 events when the applier fenced
    // on the stored order). The applier fences on the upstream position, so the state is the publish order's.
    expect(vsApplied).toEqual({ lost: [], extra: [] });
    expect({ lost, extra }).toEqual({ lost: [], extra: [] });
    expect(lostEvents).toBe(0);
    expect(duplicates(stored.ids)).toBe(0);
    expect(inventoryMatches).toBe(true);
    expect(settled).toBe(true);
  }, 600_000);
});
