import { tempDir } from "@evtrigger/testkit";
import { devUp } from "../dev/devup.js";
import { flagInt, flagString, parseArgs } from "../util/args.js";
import type { Command } from "./types.js";

const USAGE = `usage: evtctl dev up [--dir DIR] [--cluster-labels k=v,k2=v2] [--nats-port P] [--quiet]
Starts a nats-server (JetStream, user admin / password my-password), an emulated management cluster and one
managed cluster registered as SveltosCluster default/clusterapi-workload, the project's CRDs, the managed
cluster's projectsveltos/sveltos-nats Secret, and the gateway, matcher and applier. Writes DIR/env.json, prints
"ready", and stops everything on SIGINT/SIGTERM.
`;

export function parseLabels(s: string | undefined): Record<string, string> {
  if (!s) return { env: "production" };
  const out: Record<string, string> = {};
  for (const pair of s.split(",").filter(Boolean)) {
    const i = pair.indexOf("=");
    if (i <= 0) throw new Error(`--cluster-labels: "${pair}" is not key=value`);
    out[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
  }
  return out;
}

export const dev: Command = {
  summary: "dev up: run the whole system locally (NATS, emulated clusters, the three services)",
  async run(argv) {
    const a = parseArgs(argv, { booleans: ["quiet", "help"], aliases: { h: "help" } });
    if (a.positional[0] !== "up" || a.flags.has("help")) {
      process.stdout.write(USAGE);
      return a.flags.has("help") ? 0 : 2;
    }
    const dir = flagString(a, "dir") ?? tempDir("evt-dev-");
    const quiet = a.flags.has("quiet");
    const stack = await devUp({
      dir,
      clusterLabels: parseLabels(flagString(a, "cluster-labels")),
      natsPort: a.flags.has("nats-port") ? flagInt(a, "nats-port", 0) : undefined,
      echo: quiet ? undefined : (l) => process.stderr.write(`${l}\n`),
    });
    process.stdout.write(`env ${dir}/env.json\nready\n`);
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      process.once("SIGINT", done);
      process.once("SIGTERM", done);
    });
    await stack.stop();
    return 0;
  },
};
