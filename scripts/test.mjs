#!/usr/bin/env node
// `pnpm test`: the library and service tests with two jest workers, then the whole-system tests (e2e/test, each
// starting a dozen processes: NATS servers, emulated clusters, the three services) one file at a time, so two
// stacks never compete for the two cores, then the fault scenarios (e2e/faults) one at a time at the small scale
// (EVT_FAULTS_SCALE, default 0.05; `pnpm test:faults` runs the full numbers) with their table. Extra
// arguments go to every jest run; with --outputFile=F the JSON reports are merged into F (what .ci/run counts).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const args = process.argv.slice(2);
const outArg = args.find((a) => a.startsWith("--outputFile="));
const passThrough = args.filter((a) => a !== outArg && a !== "--json");
const dir = mkdtempSync(join(tmpdir(), "evt-test-"));
const jest = ["--experimental-vm-modules", "--no-warnings=ExperimentalWarning", "node_modules/jest/bin/jest.js"];

const faultsReport = join(dir, "faults.jsonl");
const runs = [
  { name: "libs and services", paths: ["libs/", "services/"], extra: [] },
  { name: "whole system (e2e, one file at a time)", paths: ["e2e/"], extra: ["--runInBand"] },
  {
    name: `fault scenarios (e2e/faults, one at a time, scale ${process.env.EVT_FAULTS_SCALE ?? "0.05"})`,
    paths: ["e2e/faults/"],
    extra: ["--runInBand", "--testMatch", "<rootDir>/e2e/faults/**/*.test.ts", "--testTimeout", "900000"],
    env: { EVT_FAULTS_REPORT: faultsReport },
    // The scenarios' one table (each row was also printed as it was recorded).
    after: () =>
      spawnSync(process.execPath, ["--import", "tsx", "e2e/faults/table.ts", faultsReport], { stdio: "inherit" }),
  },
];
let code = 0;
const reports = [];
for (const [i, r] of runs.entries()) {
  const file = join(dir, `run-${i}.json`);
  process.stdout.write(`\n[test] ${r.name}\n`);
  const started = Date.now();
  const res = spawnSync(
    process.execPath,
    [...jest, ...r.extra, ...passThrough, "--json", `--outputFile=${file}`, ...r.paths],
    { stdio: "inherit", env: { ...process.env, ...r.env } },
  );
  if (res.status !== 0) code = res.status ?? 1;
  r.after?.();
  process.stdout.write(
    `[test] ${r.name}: ${res.status === 0 ? "passed" : "FAILED"} in ${Math.round((Date.now() - started) / 1000)} s\n`,
  );
  try {
    reports.push(JSON.parse(readFileSync(file, "utf8")));
  } catch {
    code ||= 1;
  }
}
const sum = (k) => reports.reduce((n, r) => n + (r[k] ?? 0), 0);
const merged = {
  numPassedTests: sum("numPassedTests"),
  numFailedTests: sum("numFailedTests"),
  numPendingTests: sum("numPendingTests"),
  numRuntimeErrorTestSuites: sum("numRuntimeErrorTestSuites"),
  numTotalTests: sum("numTotalTests"),
  success: code === 0,
};
process.stdout.write(
  `\n[test] ${merged.numPassedTests} passed, ${merged.numFailedTests} failed in all ${runs.length} runs\n`,
);
if (outArg) writeFileSync(outArg.slice("--outputFile=".length), JSON.stringify(merged));
process.exit(code);
