// Dev driver: `node --import tsx services/matcher/bench/tp.ts <sources> <rounds> [events] [reportLimit]` prints raw/matcher/ratio per round.
import { throughputAt } from "./match.js";

const count = Number(process.argv[2] ?? 10_000);
const rounds = Number(process.argv[3] ?? 3);
const n = Number(process.argv[4] ?? 5000);
const rl = process.argv[5] === undefined ? undefined : Number(process.argv[5]);
for (let i = 0; i < rounds; i++) {
  const r = await throughputAt(count, n, rl);
  process.stdout.write(
    `${count} sources: raw ${Math.round(r.raw)} matcher ${Math.round(r.matcher)} ratio ${(r.matcher / r.raw).toFixed(3)} cpu µs/event raw ${r.rawCpuUs.toFixed(0)} matcher ${r.matcherCpuUs.toFixed(0)}\n`,
  );
}
