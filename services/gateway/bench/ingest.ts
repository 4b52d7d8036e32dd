// Ingest benchmark (issue 13, scenario 1): normalized CloudEvents/s from one managed cluster's JetStream stream to the
// internal EVT_EVENTS stream through the gateway alone, against raw nats.js JetStream publishes of the same payloads
// to the same internal server with the same number in flight, measured in the same run. Floor: 0.5 of raw.
import { connectBus, STREAMS } from "@evtrigger/bus";
import { createMetrics, initTracing, pipelineMetrics } from "@evtrigger/telemetry";
import { startNatsServer } from "@evtrigger/testkit";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";

// The gateway as it runs in production: its compiled dist (`pnpm bench` builds it first), not the sources through
// tsx, whose transform adds per-closure overhead (__name) that nats.js, precompiled, does not pay. Types from src.
type GatewayModule = typeof import("../src/mod.js");
const loadGateway = async (): Promise<GatewayModule> => {
  const dist = new URL("../dist/mod.js", import.meta.url).href;
  return (await import(dist).catch((err: unknown) => {
    throw new Error(`bench: services/gateway/dist is missing; build first (pnpm bench does): ${String(err)}`);
  })) as GatewayModule;
};

export interface IngestBenchOptions {
  /** Events per round (default 50,000 in three rounds; 5,000 in five rounds with quick). */
  events?: number;
  quick?: boolean;
  /** In-flight publishes of the raw baseline (default: the gateway's, DEFAULT_GATEWAY_LIMITS.jsConcurrency). */
  window?: number;
  /** Profiling aid: measure the gateway only (baseline reported as 0). */
  skipBaseline?: boolean;
}

export interface IngestBenchResult {
  name: string;
  value: number;
  unit: string;
  baseline: number;
  baselineName: string;
  ratio: number;
  floor: number;
  pass: boolean;
  note: string;
}

const enc = new TextEncoder();

function payloads(n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const user = `user-${i % 1000}`;
    out.push(
      enc.encode(
        JSON.stringify({
          specversion: "1.0",
          type: i % 2 ? "auth.example.com.logout" : "auth.example.com.login",
          source: "auth.example.com",
          id: String(10_000 + i),
          subject: user,
          time: "2026-11-25T12:00:00Z",
          datacontenttype: "application/json",
          data: { message: `User ${user} ${i % 2 ? "logout" : "login"}`, organization: "acme" },
        }),
      ),
    );
  }
  return out;
}

function cpuPerEvent(c: NodeJS.CpuUsage, n: number): number {
  return Math.round(((c.user + c.system) / n) * 10) / 10;
}

async function until(cond: () => Promise<boolean>, timeoutMs: number, what: string, everyMs = 5): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** `window` workers publishing payloads[0..n) with `publish`, awaiting each ack: a pipelined producer. */
async function pipelined(n: number, window: number, publish: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: window }, async () => {
      for (let i = next++; i < n; i = next++) await publish(i);
    }),
  );
}

export async function benchIngest(o: IngestBenchOptions = {}): Promise<IngestBenchResult> {
  const n = o.events ?? (o.quick ? 5_000 : 50_000);
  // Raw and gateway alternate for several rounds; medians damp the load spikes of a shared machine.
  // Short quick rounds are at the mercy of a single load spike: more of them, for the same medians.
  const rounds = n < 20_000 ? 5 : 3;
  const { DEFAULT_GATEWAY_LIMITS, MemoryClusterSource, otelTrace, startGateway } = await loadGateway();
  // Same publish concurrency: the gateway has at most jsConcurrency messages (so internal publishes) in hand.
  const window = o.window ?? DEFAULT_GATEWAY_LIMITS.jsConcurrency;
  // Preloading the upstream streams is not measured: as many in flight as helps.
  const preload = 1024;
  const data = payloads(n);
  const internal = await startNatsServer();
  const upstream = await startNatsServer();
  const bus = await connectBus({ servers: internal.url, name: "bench-gateway", noAsyncTraces: true });
  // The baseline gets the same tuning as the gateway's connections.
  const raw = await connect({ servers: internal.url, name: "bench-raw", noAsyncTraces: true });
  const up = await connect({ servers: upstream.url, name: "bench-upstream", noAsyncTraces: true });
  const source = new MemoryClusterSource();
  const cluster = { namespace: "bench", name: "c1", kind: "SveltosCluster" as const };
  source.set(cluster); // known cluster, no Secret yet: nothing consumed until the clock starts
  // Wired as main.ts wires it: prom-client metrics and the OpenTelemetry trace runner (tracing off, as by default).
  const metrics = createMetrics({ service: "gateway" });
  const gw = await startGateway({
    bus,
    clusters: source,
    metrics,
    pipeline: pipelineMetrics(metrics),
    trace: otelTrace(initTracing({ service: "gateway", env: {} }).tracer),
    limits: { jsConcurrency: window },
  });
  try {
    const rjsm = await jetstreamManager(raw);
    await rjsm.streams.add({ name: "BENCH_RAW", subjects: ["bench.raw.>"] });
    const rjs = jetstream(raw);
    const ujsm = await jetstreamManager(up);
    const ujs = jetstream(up);
    // Warm both paths first (JIT, buffers): neither figure should be that of cold code.
    // 5,000: below that the gateway's first timed round still ran partly unoptimised code (its path is longer).
    const warm = Math.min(5000, n);
    if (!o.skipBaseline) {
      await pipelined(warm, window, (i) => rjs.publish("bench.raw.warm", data[i]!, { msgID: `warm-${i}` }));
    }
    await ujsm.streams.add({ name: "BENCH_UP_WARM", subjects: ["bench.upwarm.>"] });
    await pipelined(warm, preload, (i) => ujs.publish("bench.upwarm.events", data[i]!));
    source.set(cluster, { jetstream: { configuration: { url: upstream.url, subjects: ["BENCH_UP_WARM"] } } });
    const stored = async () => (await bus.jsm.streams.info(STREAMS.events.name)).state.messages;
    await until(async () => (await stored()) >= warm, 120_000, "warm-up events");
    const rawRates: number[] = [];
    const gwRates: number[] = [];
    const setupMs: number[] = [];
    let rawCpu = 0;
    let gwCpu = 0;
    for (let r = 0; r < rounds; r++) {
      // Raw baseline: the same payloads published to a stream on the same server, `window` in flight.
      if (!o.skipBaseline) {
        const t0 = performance.now();
        const c0 = process.cpuUsage();
        await pipelined(n, window, (i) => rjs.publish("bench.raw.c1", data[i]!, { msgID: `raw-${r}-${i}` }));
        rawRates.push(n / ((performance.now() - t0) / 1000));
        rawCpu += cpuPerEvent(process.cpuUsage(c0), n) / rounds;
      }
      // Gateway: preload a fresh upstream stream, then point the Secret at it and time until all are stored.
      const stream = `BENCH_UP_${r}`;
      await ujsm.streams.add({ name: stream, subjects: [`bench.up${r}.>`] });
      await pipelined(n, preload, (i) => ujs.publish(`bench.up${r}.events`, data[i]!));
      // Connecting to the cluster's NATS and creating the durable consumer take tens of ms (reported apart): the
      // clock starts at the first stored event, as the raw one starts with its connection already open.
      const before = warm + n * r;
      const t0 = performance.now();
      source.set(cluster, { jetstream: { configuration: { url: upstream.url, subjects: [stream] } } });
      let first = 0;
      const firstStored = async () => {
        first = (await stored()) - before;
        return first > 0;
      };
      await until(firstStored, 60_000, `first event (round ${r + 1})`, 1);
      // A poll that came late (a stalled machine) would leave too few events to time: then count from the start.
      const late = first > n / 10;
      if (late) first = 0;
      const t1 = late ? t0 : performance.now();
      const c1 = process.cpuUsage();
      setupMs.push(late ? Number.NaN : t1 - t0);
      await until(async () => (await stored()) >= before + n, 120_000, `${n} normalized events (round ${r + 1})`);
      gwRates.push((n - first) / ((performance.now() - t1) / 1000));
      gwCpu += cpuPerEvent(process.cpuUsage(c1), n - first) / rounds;
    }
    const rawRate = o.skipBaseline ? 0 : median(rawRates);
    const gwRate = median(gwRates);
    const ratio = rawRate ? gwRate / rawRate : 0;
    const r1 = (x: number) => Math.round(x * 10) / 10;
    return {
      name: "gateway ingest (JetStream source → EVT_EVENTS)",
      value: Math.round(gwRate),
      unit: "events/s",
      baseline: Math.round(rawRate),
      baselineName: `raw nats.js JetStream publish, ${window} in flight`,
      ratio: Math.round(ratio * 1000) / 1000,
      floor: 0.5,
      pass: ratio >= 0.5,
      note:
        `median of ${rounds} alternating round(s) of ${n} events (~${data[0]!.length} bytes); gateway time: first ` +
        `stored event to last (consume, normalize, publish, ack; connect + consumer creation before it took ` +
        `${setupMs.map((x) => (Number.isNaN(x) ? "? (late poll: timed from the start)" : Math.round(x))).join("/")} ms); ` +
        `node CPU per event: gateway ${r1(gwCpu)} µs, ` +
        `raw ${r1(rawCpu)} µs; rounds gateway ${gwRates.map(Math.round).join("/")}, raw ${rawRates.map(Math.round).join("/")}`,
    };
  } finally {
    await gw.close();
    await Promise.allSettled([up.close(), raw.close(), bus.close()]);
    await Promise.allSettled([internal.stop(), upstream.stop()]);
  }
}
