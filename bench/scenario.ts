// One scenario in a process of its own (run.ts starts one per scenario): a measurement must not pay for the heap
// and the garbage an earlier scenario left in the benchmark process (the matcher's 10,000-source indexes, say),
// whose GC pauses otherwise land in the latency pass's timestamps.
// Usage: node --import tsx bench/scenario.ts <id> <rows.json> [--quick]
import { writeFileSync } from "node:fs";
import { scenarios } from "./scenarios.js";

const [id, out] = process.argv.slice(2);
const s = scenarios.find((x) => x.id === id);
if (!s || !out) {
  process.stderr.write(`usage: scenario.ts <${scenarios.map((x) => x.id).join("|")}> <rows.json> [--quick]\n`);
  process.exit(2);
}
const rows = await s.run({ quick: process.argv.includes("--quick") });
writeFileSync(out, JSON.stringify(rows));
process.exit(0);
