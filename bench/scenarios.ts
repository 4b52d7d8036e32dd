// The scenario registry: each entry runs one package's benchmark module. Modules live beside the code they
// measure (<package>/bench/*.ts) and return rows with their baseline measured in the same run.
import type { BenchOptions, PartialResult } from "./types.js";

export interface Scenario {
  id: string;
  run(o: BenchOptions): Promise<PartialResult[]>;
}

export const scenarios: Scenario[] = [
  {
    id: "ingest",
    run: async (o) => [await (await import("../services/gateway/bench/ingest.js")).benchIngest({ quick: o.quick })],
  },
  {
    id: "matcher",
    run: async (o) => (await import("../services/matcher/bench/match.js")).runMatcherBenchmarks({ quick: o.quick }),
  },
  {
    id: "apply",
    run: async (o) => (await import("../services/applier/bench/apply.js")).benchApply({ quick: o.quick }),
  },
  {
    id: "render",
    run: async (o) => (await import("../libs/gotemplate/bench/render.js")).benchRender({ quick: o.quick }),
  },
  {
    id: "kube-emulator",
    run: async (o) => [await (await import("../libs/kube-emulator/bench/creates.js")).benchCreates({ quick: o.quick })],
  },
  { id: "latency", run: async (o) => (await import("./latency.js")).benchLatency(o) },
  { id: "memory", run: async (o) => (await import("./memory.js")).benchMemory(o) },
];
