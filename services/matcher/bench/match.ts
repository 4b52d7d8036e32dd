// Matcher benchmarks (issues 8 and 13). Every figure comes with a baseline measured in the same run:
// - in-process matching, median and p99 µs per event at 1, 100 and 10,000 EventSources (half literal, half regex),
//   against brute force (every pattern through re2js, as Sveltos' agent evaluates them); floor: median ≤ 50 µs
//   at 10,000;
// - end-to-end throughput EVT_EVENTS → EVT_MATCHES through startMatcher, against a raw nats.js
//   consume-and-republish loop on the same server; floors: ≥ 0.5 of raw (1 source), ≥ 0.35 (10,000 sources).
import {
  type Bus,
  connectBus,
  type EventEnvelope,
  encodeRecord,
  ensureDurable,
  ensureTopology,
  eventSubject,
  STREAMS,
} from "@evtrigger/bus";
import { createLogger, createMetrics } from "@evtrigger/telemetry";
import { startNatsServer } from "@evtrigger/testkit";
import { RE2JS } from "re2js";
import { compileSource, PatternCache } from "../src/criteria/compile.js";
import type { EventFields } from "../src/criteria/evaluate.js";
import { CriteriaIndex } from "../src/criteria/index.js";
import { startMatcher } from "../src/service.js";
import { BENCH_CLUSTER, eventFor, sources, staticStore } from "./workload.js";

export interface MatcherBenchRow {
  name: string;
  value: number;
  unit: string;
  baseline: number | null;
  baselineName?: string;
  ratio: number | null;
  floor: number | null;
  floorOn?: "ratio" | "value";
  lowerIsBetter?: boolean;
  pass: boolean | null;
  note?: string;
}

export interface MatcherBenchOptions {
  quick?: boolean;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Deterministic event mix: 80 % aimed at a random source, 20 % matching nothing. */
function eventIndexes(n: number, count: number): number[] {
  let s = 12345;
  const rnd = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
  return Array.from({ length: count }, () => (rnd() < 0.2 ? -1 : Math.floor(rnd() * n)));
}

/** Brute-force evaluator with pre-compiled patterns: the linear cost the index avoids. */
function precompiled(srcs: { name: string; criteria: Record<string, string>[] }[]) {
  const fields = ["subject", "cloudEventSource", "cloudEventType", "cloudEventSubject"] as const;
  const compiled = srcs.map((s) => ({
    name: s.name,
    criteria: s.criteria.map((c) => fields.map((f) => (c[f] ? RE2JS.compile(c[f]) : undefined))),
  }));
  return (ev: EventFields): string[] => {
    const out: string[] = [];
    for (const s of compiled) {
      for (const [subj, src, typ, ces] of s.criteria) {
        if (
          (!subj || subj.test(ev.subscription) || subj.test(ev.natsSubject)) &&
          (!src || src.test(ev.source)) &&
          (!typ || typ.test(ev.type)) &&
          (!ces || ces.test(ev.subject))
        ) {
          out.push(s.name);
          break;
        }
      }
    }
    return out;
  };
}

/** Per-event latency of the criteria index, median and p99 in µs, with brute force as the baseline. */
export async function matchLatency(o: MatcherBenchOptions = {}): Promise<MatcherBenchRow[]> {
  const rows: MatcherBenchRow[] = [];
  for (const n of [1, 100, 10_000]) {
    const srcs = sources(n);
    const cache = new PatternCache();
    const index = new CriteriaIndex(srcs.map((s) => compileSource(s.name, s.criteria, cache)));
    const events = eventIndexes(n, o.quick ? 5_000 : 20_000).map(eventFor);
    for (const ev of events.slice(0, 1000)) index.match(ev); // warm-up (JIT)
    const times: number[] = [];
    let hits = 0;
    for (const ev of events) {
      const t0 = process.hrtime.bigint();
      hits += index.match(ev).length;
      times.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
    times.sort((a, b) => a - b);
    // Baseline: every source and criterion tried in order with re2js, patterns compiled once (fairer than
    // Sveltos' agent, which re-reads and re-compiles them per message).
    const brute = precompiled(srcs);
    const bruteEvents = events.slice(0, n >= 10_000 ? (o.quick ? 50 : 300) : 2000);
    for (const ev of bruteEvents.slice(0, 50)) brute(ev); // warm-up
    const bt: number[] = [];
    for (const ev of bruteEvents) {
      const t0 = process.hrtime.bigint();
      brute(ev);
      bt.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
    bt.sort((a, b) => a - b);
    const med = quantile(times, 0.5);
    const p99 = quantile(times, 0.99);
    const note = `${index.stats.exact} exact, ${index.stats.prefix} prefix, ${index.stats.atoms} atom-indexed, ${index.stats.unindexed} unindexed criteria; ${(hits / events.length).toFixed(2)} matches/event`;
    rows.push({
      name: `matcher µs/event median, ${n.toLocaleString("en-US")} EventSources`,
      value: med,
      unit: "µs",
      baseline: quantile(bt, 0.5),
      baselineName: "every pattern, re2js",
      ratio: quantile(bt, 0.5) / med,
      floor: n === 10_000 ? 50 : null,
      floorOn: "value",
      lowerIsBetter: true,
      pass: n === 10_000 ? med <= 50 : null,
      note,
    });
    rows.push({
      name: `matcher µs/event p99, ${n.toLocaleString("en-US")} EventSources`,
      value: p99,
      unit: "µs",
      baseline: quantile(bt, 0.99),
      baselineName: "every pattern, re2js",
      ratio: quantile(bt, 0.99) / p99,
      floor: null,
      lowerIsBetter: true,
      pass: null,
    });
  }
  return rows;
}

async function publishEvents(bus: Bus, n: number, sourcesCount: number): Promise<void> {
  const idx = eventIndexes(sourcesCount, n);
  const batch: Promise<unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const f = eventFor(Math.max(idx[i]!, 0)); // every event matches one source: one record each
    // Login/logout traffic of 1,000 users (issue 13): the ordering key (CE source, subject) varies like in life.
    const subject = `${f.subject}-user-${i % 1000}`;
    const env: EventEnvelope = {
      v: 1,
      cluster: BENCH_CLUSTER,
      natsSubject: f.natsSubject,
      subscription: f.subscription,
      transport: "nats",
      receivedAt: new Date().toISOString(),
      event: {
        specversion: "1.0",
        id: String(i),
        source: f.source,
        type: f.type,
        subject,
        datacontenttype: "application/json",
        data: { message: `bench event ${i}`, user: subject },
      },
    };
    batch.push(bus.js.publish(eventSubject(BENCH_CLUSTER), encodeRecord(env), { msgID: `bench-${i}` }));
    if (batch.length >= 500) await Promise.all(batch.splice(0));
  }
  await Promise.all(batch);
}

async function waitDrained(bus: Bus, durable: string): Promise<void> {
  for (;;) {
    const ci = await bus.jsm.consumers.info(STREAMS.events.name, durable);
    if (ci.num_pending === 0 && ci.num_ack_pending === 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The baseline: consume EVT_EVENTS and republish every message to EVT_MATCHES, ack after the publish ack. */
async function rawLoop(bus: Bus, n: number, concurrency: number): Promise<{ rate: number; cpuUs: number }> {
  const durable = `raw-${Date.now()}`;
  await ensureDurable(bus.jsm, { stream: STREAMS.events.name, durable, maxAckPending: 1000 });
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const consumer = await bus.js.consumers.get(STREAMS.events.name, durable);
  const messages = await consumer.consume({ max_messages: concurrency });
  let inflight = 0;
  let done = 0;
  let slot: (() => void) | undefined;
  for await (const m of messages) {
    while (inflight >= concurrency) await new Promise<void>((r) => (slot = r));
    inflight++;
    const seq = m.info.streamSequence;
    bus.js.publish(`evt.matches.${seq % 16}`, m.data, { msgID: `raw-${durable}-${seq}` }).then(
      () => {
        m.ack();
        inflight--;
        done++;
        slot?.();
        slot = undefined;
        if (done === n) messages.stop();
      },
      () => m.nak(),
    );
  }
  const secs = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await bus.jsm.consumers.delete(STREAMS.events.name, durable);
  return { rate: n / secs, cpuUs: (cpu.user + cpu.system) / n };
}

/** Matcher events/s between the internal streams, and the raw loop's, on one fresh nats-server. */
export async function throughputAt(
  sourcesCount: number,
  n: number,
  reportLimit?: number,
  skipRaw = false,
  concurrency = 64,
): Promise<{ matcher: number; raw: number; matcherCpuUs: number; rawCpuUs: number }> {
  const server = await startNatsServer();
  const bus = await connectBus({ servers: server.url, name: "matcher-bench" });
  try {
    await ensureTopology(bus.jsm, bus.kvm);
    await publishEvents(bus, n, sourcesCount);
    const raw = skipRaw ? { rate: 1, cpuUs: 0 } : await rawLoop(bus, n, concurrency);
    await bus.jsm.streams.purge(STREAMS.matches.name);
    const store = staticStore(sourcesCount);
    const logger = createLogger({ service: "matcher", level: "error", stream: { write: () => true } });
    const matcher = await startMatcher({
      bus,
      store,
      logger,
      metrics: createMetrics({ service: "matcher", defaultMetrics: false }),
      concurrency,
      reportLimit,
    });
    // Measured from the moment the matcher is up (index built, consumer bound), over what is left to do:
    // start-up and index build are configuration work, not per-event work.
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const ci = await bus.jsm.consumers.info(STREAMS.events.name, "evt-matcher");
    const left = ci.num_pending + ci.num_ack_pending;
    await waitDrained(bus, "evt-matcher");
    // The event history is written behind the acks; its backlog at this point is work of these events too (about
    // a tenth of the time at 10,000 evenly hit sources), so the clock stops once it is written.
    await matcher.flushReports();
    const secs = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    await matcher.close();
    const stored = (await bus.jsm.streams.info(STREAMS.matches.name)).state.messages;
    if (stored < n) throw new Error(`matcher produced ${stored} match records for ${n} events`);
    // CPU µs per event of this process (nats-server excluded): steadier than rates on a shared, noisy machine.
    return {
      matcher: left / secs,
      raw: raw.rate,
      matcherCpuUs: (cpu.user + cpu.system) / left,
      rawCpuUs: raw.cpuUs,
    };
  } finally {
    await bus.close();
    await server.stop();
  }
}

/**
 * End-to-end matcher throughput vs the raw consume-and-republish loop: at 1 and 10,000 EventSources with the
 * default configuration, and at 10,000 without the event history (which costs one KV write per distinct
 * (cluster, EventSource) per second: with 10,000 sources hit evenly, about one per event).
 */
export async function pipelineThroughput(o: MatcherBenchOptions = {}): Promise<MatcherBenchRow[]> {
  const n = o.quick ? 5_000 : 20_000;
  // Rates of one short round swing by 2x on a shared 2-core machine; best of 2 (quick) keeps the ratio steady.
  const rounds = o.quick ? 2 : 3;
  const rows: MatcherBenchRow[] = [];
  for (const [count, floor, reportLimit] of [
    [1, 0.5, undefined],
    [10_000, 0.35, undefined],
    [10_000, 0.35, 0],
  ] as const) {
    // The machine is shared and noisy: each round is a fresh server with raw then matcher; best of each is kept.
    const r = { matcher: 0, raw: 0, matcherCpuUs: Number.POSITIVE_INFINITY, rawCpuUs: Number.POSITIVE_INFINITY };
    for (let i = 0; i < rounds; i++) {
      const one = await throughputAt(count, n, reportLimit);
      r.matcher = Math.max(r.matcher, one.matcher);
      r.raw = Math.max(r.raw, one.raw);
      r.matcherCpuUs = Math.min(r.matcherCpuUs, one.matcherCpuUs);
      r.rawCpuUs = Math.min(r.rawCpuUs, one.rawCpuUs);
    }
    const history = reportLimit === 0 ? "event history off" : "event history on";
    rows.push({
      name: `matcher throughput EVT_EVENTS→EVT_MATCHES, ${count.toLocaleString("en-US")} EventSources, ${history}`,
      value: r.matcher,
      unit: "events/s",
      baseline: r.raw,
      baselineName: "raw nats.js consume+republish",
      ratio: r.matcher / r.raw,
      floor,
      floorOn: "ratio",
      pass: r.matcher / r.raw >= floor,
      note: `${n.toLocaleString("en-US")} events over 1,000 users, concurrency 64 both, best of ${rounds}; CPU of the Node process ${r.matcherCpuUs.toFixed(0)} µs/event (raw ${r.rawCpuUs.toFixed(0)})`,
    });
  }
  return rows;
}

/** Everything above, in order. */
export async function runMatcherBenchmarks(o: MatcherBenchOptions = {}): Promise<MatcherBenchRow[]> {
  return [...(await matchLatency(o)), ...(await pipelineThroughput(o))];
}

// `node --import tsx services/matcher/bench/match.ts [--quick]` prints the rows as JSON.
if (import.meta.url === `file://${process.argv[1]}`) {
  runMatcherBenchmarks({ quick: process.argv.includes("--quick") }).then(
    (rows) => process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`),
    (err) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
