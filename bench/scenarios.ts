// The scenario registry: each entry runs one package's benchmark module. Modules live beside the code they
// measure (<package>/bench/*.ts) and return rows with their baseline measured in the same run.
import { benchRender } from "../libs/gotemplate/bench/render.js";
import type { BenchOptions, PartialResult } from "./types.js";

export interface Scenario {
  id: string;
  run(o: BenchOptions): Promise<PartialResult[]>;
}

export const scenarios: Scenario[] = [{ id: "gotemplate-render", run: (o) => benchRender(o) }];
