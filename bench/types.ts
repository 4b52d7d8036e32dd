/** One row of `pnpm bench`: a figure, the baseline measured in the same run, and the floor it must reach. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The same work done by the raw tool (nats.js, eta, the emulator alone) in the same run. */
  baseline: number | null;
  baselineName?: string;
  /** value / baseline, or baseline / value where lower is better (see `lowerIsBetter`). */
  ratio: number | null;
  /** The floor the issue sets, on `ratio` unless `floorOn` says "value". */
  floor: number | null;
  floorOn?: "ratio" | "value";
  lowerIsBetter?: boolean;
  pass: boolean | null;
  note?: string;
}

export interface BenchOptions {
  quick: boolean;
}

export type PartialResult = Partial<BenchResult> & { name: string; value: number; unit: string };

/** Fills ratio and pass from value, baseline and floor. */
export function complete(r: PartialResult): BenchResult {
  const baseline = r.baseline ?? null;
  let ratio = r.ratio ?? null;
  if (ratio === null && baseline !== null && baseline > 0 && r.value > 0) {
    ratio = r.lowerIsBetter ? baseline / r.value : r.value / baseline;
  }
  const floor = r.floor ?? null;
  let pass: boolean | null = r.pass ?? null;
  if (pass === null && floor !== null) {
    const subject = r.floorOn === "value" ? r.value : ratio;
    if (subject !== null) pass = r.floorOn === "value" && r.lowerIsBetter ? subject <= floor : subject >= floor;
  }
  return {
    baselineName: undefined,
    floorOn: "ratio",
    lowerIsBetter: false,
    note: undefined,
    ...r,
    baseline,
    ratio,
    floor,
    pass,
  };
}
