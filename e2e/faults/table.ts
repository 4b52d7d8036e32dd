// The one table of `pnpm test:faults`: each scenario appends a row (JSON lines, one file per run, safe across jest
// workers); `node --import tsx e2e/faults/table.ts [file]` prints the table and writes the rows as one JSON file.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export interface FaultRow {
  scenario: string;
  eventsSent: number;
  expected: number;
  actual: number;
  lost: number;
  /** Side effects that happened more than once (events stored twice, objects beyond the expected set). */
  duplicated: number;
  /** What else was measured: RSS, request rates, dead letters, runtime. */
  notes: string;
  ok: boolean;
}

const repoRoot = resolve(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "../..");

/**
 * The run's rows file: EVT_FAULTS_REPORT (set by `pnpm test:faults`), else one per jest run (under `pnpm test`),
 * named after the jest process (a worker's parent, or this process when running in band).
 */
export function reportFile(): string {
  // jest workers are child processes with an IPC channel; in band, the tests run in the jest process itself.
  const run = typeof process.send === "function" ? process.ppid : process.pid;
  return process.env.EVT_FAULTS_REPORT ?? join(repoRoot, `.tmp/faults/jest-${run}.jsonl`);
}

/** Appends the row to the run's file and prints it at once (so a failed run still shows its numbers). */
export function recordRow(row: FaultRow): void {
  const file = reportFile();
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(row)}\n`);
  process.stdout.write(`${formatTable([row])}`);
}

export function readRows(file = reportFile()): FaultRow[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as FaultRow);
}

export function formatTable(rows: readonly FaultRow[]): string {
  const header = ["scenario", "events sent", "expected", "actual", "lost", "duplicated", "ok", "notes"];
  const cells = rows.map((r) => [
    r.scenario,
    String(r.eventsSent),
    String(r.expected),
    String(r.actual),
    String(r.lost),
    String(r.duplicated),
    r.ok ? "yes" : "NO",
    r.notes,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(" | ")} |`;
  const sep = `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`;
  return `${[line(header), sep, ...cells.map(line)].join("\n")}\n`;
}

// CLI: print the run's table and keep it as JSON next to the rows.
if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const file = process.argv[2] ?? reportFile();
  const rows = readRows(file);
  writeFileSync(file.replace(/\.jsonl$/, ".json"), `${JSON.stringify(rows, null, 2)}\n`);
  process.stdout.write(`\nFault scenarios (${file}):\n${formatTable(rows)}`);
}
