// Scenario 3: end-to-end latency, publish → object applied in the emulated cluster (committed to its store, timed
// by its commit log on the host's monotonic clock), at fixed offered rates, with login/logout pairs over 1,000
// users. Baseline: the emulator's own create latency at the same rate.
import { writeFileSync } from "node:fs";
import { connect } from "@nats-io/transport-node";
import { cpuPerEvent, monotonicMs, namespaceClient, quantile, stackCpuMs, startBenchStack, until } from "./stack.js";
import type { BenchOptions, PartialResult } from "./types.js";

const USERS = 1000;

function event(i: number): { user: string; login: boolean; body: string } {
  const user = `user-${i % USERS}`;
  const login = Math.floor(i / USERS) % 2 === 0;
  const body = JSON.stringify({
    specversion: "1.0",
    type: login ? "auth.example.com.login" : "auth.example.com.logout",
    source: "auth.example.com",
    id: String(i),
    subject: user,
    datacontenttype: "application/json",
    data: { message: `User ${user} ${login ? "login" : "logout"}` },
  });
  return { user, login, body };
}

/** Runs `fire(i)` at `rate` per second for `seconds`, on a fixed schedule (open loop, no coordinated omission). */
async function offer(rate: number, seconds: number, fire: (i: number) => void): Promise<number> {
  const total = rate * seconds;
  const start = performance.now();
  let i = 0;
  while (i < total) {
    const due = start + (i * 1000) / rate;
    const now = performance.now();
    if (now < due) await new Promise((r) => setTimeout(r, Math.max(0, due - now - 1)));
    while (i < total && start + (i * 1000) / rate <= performance.now()) fire(i++);
  }
  return total;
}

export async function benchLatency(o: BenchOptions): Promise<PartialResult[]> {
  const seconds = o.quick ? 5 : 30;
  // EVT_BENCH_RATES=1000 (diagnostics): only these offered rates, e.g. to repeat the floor's pass quickly.
  const rates = process.env.EVT_BENCH_RATES?.split(",").map(Number) ?? [100, 500, 1000];
  const stack = await startBenchStack();
  const rows: PartialResult[] = [];
  try {
    // "ADDED:user-1" → publish times (monotonic ms) not yet matched with a commit, oldest first.
    const pending = new Map<string, number[]>();
    let unmatched = 0;
    const lat: number[] = [];
    const timeline: [number, number][] | undefined = process.env.EVT_BENCH_LATENCY_DUMP ? [] : undefined;
    const existing = new Set<string>(); // Namespaces the benchmark made (user-*, bench-*), as the commit log shows
    const namespaces = await namespaceClient(stack.env.clusters[0].kubeconfig);
    const published = (key: string) => {
      const at = monotonicMs();
      const q = pending.get(key);
      if (q) q.push(at);
      else pending.set(key, [at]);
      unmatched++;
    };
    // "Applied" is when the emulator committed the object (its commit log, read after the fact): no watch frames
    // or benchmark wake-ups per event compete with the pipeline for the two cores while it is measured.
    let readCommits = await namespaces.recordCommits();
    const collect = async () => {
      for (const c of await readCommits()) {
        if (/^(user|bench)-/.test(c.name)) {
          if (c.type === "DELETED") existing.delete(c.name);
          else existing.add(c.name);
        }
        const key = `${c.type}:${c.name}`;
        const t = pending.get(key)?.shift();
        if (t === undefined) continue;
        if (!pending.get(key)!.length) pending.delete(key);
        unmatched--;
        lat.push(c.atMs - t);
        if (timeline)
          timeline.push([Math.round(Date.now() - (monotonicMs() - t)), Math.round((c.atMs - t) * 100) / 100]);
      }
    };
    const nc = await connect({ servers: stack.env.natsUrl, user: stack.env.natsUser, pass: stack.env.natsPassword });
    let seq = 0;
    const baselineNames: string[] = [];
    try {
      // Warm-up until the whole pipeline answers (config synced, connections open).
      await until("the pipeline to apply a warm-up event", async () => {
        const e = event(seq++);
        published(`${e.login ? "ADDED" : "DELETED"}:${e.user}`);
        nc.publish("user-operation", e.body);
        await new Promise((r) => setTimeout(r, 200));
        await collect();
        return lat.length > 0;
      });
      for (const rate of rates) {
        // Start from no user Namespaces (every login of the pass shows up as ADDED) and none of the last baseline's,
        // and only once the commit log shows them gone: the pass must not start while the clean-up still loads the
        // machine. The last baseline's names are deleted by name: their creation may not be collected yet.
        await collect();
        const leftovers = [...new Set([...existing, ...baselineNames.splice(0)])];
        for (let i = 0; i < leftovers.length; i += 64) {
          await Promise.all(leftovers.slice(i, i + 64).map((n) => namespaces.delete(n)));
        }
        await until("the benchmark's Namespaces to be deleted", async () => {
          await collect();
          return existing.size === 0;
        });
        lat.length = 0;
        if (timeline) timeline.length = 0;
        pending.clear();
        unmatched = 0;
        // A new recording per pass: the emulator keeps only this pass's commits (none of ours exist right now).
        readCommits = await namespaces.recordCommits();
        const base = Math.ceil(seq / (2 * USERS)) * 2 * USERS; // next index where every user logs in again
        const cpuBefore = stackCpuMs(stack);
        const sent = await offer(rate, seconds, (i) => {
          const e = event(base + i);
          published(`${e.login ? "ADDED" : "DELETED"}:${e.user}`);
          nc.publish("user-operation", e.body);
        });
        seq = base + sent;
        // Every login of this pass lands as ADDED; logouts only when the pass ran past 1,000 events.
        await until(
          `${rate}/s events to be applied`,
          async () => {
            await collect();
            return unmatched === 0;
          },
          60_000,
        ).catch(() => undefined);
        const cpu = cpuPerEvent(cpuBefore, stackCpuMs(stack), sent);
        if (process.env.EVT_BENCH_LATENCY_DUMP) {
          // Diagnostics: every event's publish time (epoch ms) and latency, to line slow ones up with other traces.
          writeFileSync(`${process.env.EVT_BENCH_LATENCY_DUMP}-${rate}.json`, JSON.stringify(timeline));
        }
        const sorted = [...lat].sort((a, b) => a - b);
        const lost = unmatched;

        // Baseline: the emulator's own create latency at the same offered rate, through a client like the applier's.
        const base2: number[] = [];
        const inflight: Promise<void>[] = [];
        await offer(rate, Math.min(seconds, 5), (i) => {
          const name = `bench-${rate}-${i}`;
          baselineNames.push(name);
          const t0 = performance.now();
          inflight.push(
            namespaces.create(name).then(
              () => {
                base2.push(performance.now() - t0);
              },
              () => undefined,
            ),
          );
        });
        await Promise.all(inflight);
        const b = [...base2].sort((x, y) => x - y);
        const p99 = quantile(sorted, 0.99);
        rows.push(
          {
            name: `e2e latency p50 @ ${rate} ev/s`,
            value: quantile(sorted, 0.5),
            unit: "ms",
            baseline: quantile(b, 0.5),
            baselineName: "emulator create p50",
            lowerIsBetter: true,
            note: `${sorted.length} applied, ${lost} not seen`,
          },
          {
            name: `e2e latency p99 @ ${rate} ev/s`,
            value: p99,
            unit: "ms",
            baseline: quantile(b, 0.99),
            baselineName: "emulator create p99",
            lowerIsBetter: true,
            floor: rate === 1000 ? 25 : null,
            floorOn: "value",
            note: cpu,
            pass: rate === 1000 ? p99 <= 25 && lost === 0 : null,
          },
          {
            name: `e2e latency max @ ${rate} ev/s`,
            value: sorted[sorted.length - 1] ?? Number.NaN,
            unit: "ms",
            baseline: b[b.length - 1] ?? null,
            baselineName: "emulator create max",
            lowerIsBetter: true,
          },
        );
      }
    } finally {
      await nc.close();
      await namespaces.close();
    }
  } finally {
    await stack.stop();
  }
  return rows;
}
