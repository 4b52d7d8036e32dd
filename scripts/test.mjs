#!/usr/bin/env node
// `pnpm test`: the library and service tests with two jest workers, then the whole-system tests (e2e/, each
// starting a dozen processes: NATS servers, emulated clusters, the three services) one file at a time, so two
// stacks never compete for the two cores. Extra arguments go to both jest runs; with --outputFile=F the two JSON
// reports are merged into F (what .ci/run counts).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const args = process.argv.slice(2);
const outArg = args.find((a) => a.startsWith("--outputFile="));
const passThrough = args.filter((a) => a !== outArg && a !== "--json");
const dir = mkdtempSync(join(tmpdir(), "evt-test-"));
const jest = ["--experimental-vm-modules", "--no-warnings=ExperimentalWarning", "node_modules/jest/bin/jest.js"];

const runs = [
  { name: "libs and services", paths: ["libs/", "services/"], extra: [] },
  { name: "whole system (e2e, one file at a time)", paths: ["e2e/"], extra: ["--runInBand"] },
];
let code = 0;
const reports = [];
for (const [i, r] of runs.entries()) {
  const file = join(dir, `run-${i}.json`);
  process.stdout.write(`\n[test] ${r.name}\n`);
  const res = spawnSync(
    process.execPath,
    [...jest, ...r.extra, ...passThrough, "--json", `--outputFile=${file}`, ...r.paths],
    {
      stdio: "inherit",
    },
  );
  if (res.status !== 0) code = res.status ?? 1;
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
process.stdout.write(`\n[test] ${merged.numPassedTests} passed, ${merged.numFailedTests} failed in both runs\n`);
if (outArg) writeFileSync(outArg.slice("--outputFile=".length), JSON.stringify(merged));
process.exit(code);
