// `pnpm bench [--quick]`: runs every scenario with its baseline in the same run, writes bench/results.json,
// prints a Markdown table and copies it into the README between the bench markers.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { scenarios } from "./scenarios.js";
import { type BenchResult, complete, type PartialResult } from "./types.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const quick = process.argv.includes("--quick");
const only = process.argv.find((a) => a.startsWith("--only="))?.slice(7);

function fmt(n: number | null): string {
  if (n === null || Number.isNaN(n)) return "–";
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString("en-US");
  return n.toPrecision(3);
}

export function table(rows: BenchResult[]): string {
  const head = "| scenario | value | unit | baseline | ratio | floor | pass |\n|---|---:|---|---:|---:|---:|---|";
  const lines = rows.map((r) => {
    const floor =
      r.floor === null
        ? "–"
        : `${r.floorOn === "value" ? (r.lowerIsBetter ? "≤ " : "≥ ") : "≥ "}${fmt(r.floor)}${r.floorOn === "value" ? "" : "×"}`;
    const pass = r.pass === null ? "–" : r.pass ? "pass" : "FAIL";
    return `| ${r.name} | ${fmt(r.value)} | ${r.unit} | ${fmt(r.baseline)}${r.baselineName ? ` (${r.baselineName})` : ""} | ${fmt(r.ratio)} | ${floor} | ${pass} |`;
  });
  return aligned([head, ...lines].join("\n"));
}

/** Pads a Markdown table's cells to their column's width, as `biome format` lays it out (so pnpm lint stays clean). */
function aligned(md: string): string {
  const rows = md.split("\n").map((l) =>
    l
      .replace(/^\||\|$/g, "")
      .split("|")
      .map((c) => c.trim()),
  );
  const right = rows[1]!.map((c) => c.endsWith(":"));
  const widths = right.map((_, i) => Math.max(3, ...rows.filter((_, r) => r !== 1).map((r) => [...r[i]!].length)));
  const pad = (c: string, i: number) => {
    const fill = " ".repeat(widths[i]! - [...c].length);
    return right[i] ? fill + c : c + fill;
  };
  return rows
    .map((r, n) =>
      n === 1
        ? `| ${widths.map((w, i) => (right[i] ? `${"-".repeat(w - 1)}:` : "-".repeat(w))).join(" | ")} |`
        : `| ${r.map(pad).join(" | ")} |`,
    )
    .join("\n");
}

/** Runs one scenario in a fresh process (bench/scenario.ts) and returns its rows. */
function runIsolated(id: string): PartialResult[] {
  const file = join(tmpdir(), `evt-bench-${process.pid}-${id}.json`);
  try {
    const res = spawnSync(
      process.execPath,
      [...process.execArgv, join(root, "bench/scenario.ts"), id, file, ...(quick ? ["--quick"] : [])],
      { stdio: "inherit" },
    );
    if (res.status !== 0) throw new Error(`scenario ${id} exited with ${res.status ?? res.signal}`);
    return JSON.parse(readFileSync(file, "utf8")) as PartialResult[];
  } finally {
    rmSync(file, { force: true });
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const results: BenchResult[] = [];
  for (const s of scenarios) {
    if (only && !s.id.includes(only)) continue;
    process.stderr.write(`bench: ${s.id} ...\n`);
    try {
      for (const r of runIsolated(s.id)) results.push(complete(r));
    } catch (err) {
      process.stderr.write(`bench: ${s.id} failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      results.push(
        complete({ name: `${s.id} (failed: ${String(err).slice(0, 80)})`, value: 0, unit: "-", pass: false }),
      );
    }
  }
  const out = {
    quick,
    date: new Date().toISOString(),
    node: process.version,
    seconds: Math.round((Date.now() - started) / 1000),
    results,
  };
  writeFileSync(join(root, "bench/results.json"), `${JSON.stringify(out, null, 2)}\n`);
  const md = table(results);
  process.stdout.write(`${md}\n\n(${out.seconds} s, ${quick ? "quick" : "full"} run, ${out.date})\n`);
  if (!only) {
    const readmePath = join(root, "README.md");
    const readme = readFileSync(readmePath, "utf8");
    const start = "<!-- bench:start -->";
    const end = "<!-- bench:end -->";
    if (readme.includes(start) && readme.includes(end)) {
      const body = `${start}\n${md}\n\n_${quick ? "quick" : "full"} run of ${out.date.slice(0, 10)}, ${out.seconds} s, this 2-core machine_\n${end}`;
      writeFileSync(readmePath, readme.replace(new RegExp(`${start}[\\s\\S]*${end}`), body));
    }
  }
}

// Run only as the entry point (the table writer is importable, e.g. to re-render results.json).
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href)
  main().then(
    () => process.exit(0),
    (err) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
