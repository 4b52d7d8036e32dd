import { readFileSync } from "node:fs";
import { collectStatus, type NatsTarget } from "../status/collect.js";
import { formatStatus } from "../status/format.js";
import { flagInt, flagString, parseArgs } from "../util/args.js";
import type { Command } from "./types.js";

const USAGE = `usage: evtctl status [--env-file DIR/env.json] [--gateway URL] [--matcher URL] [--applier URL]
                     [-s NATS_URL] [--user U --password P] [--timeout MS] [-o table|json]
One table: each service's readiness (from /readyz, with the failing checks) and the lag of the consumers on its
input stream (pending and ack-pending), plus the dead-letter count. Service URLs and NATS come from
--env-file (written by \`evtctl dev up\`) unless given. Exit 0 when everything is ready, 1 otherwise.
`;

interface EnvFile {
  natsUrl?: string;
  natsUser?: string;
  natsPassword?: string;
  services?: Record<string, string>;
}

export const status: Command = {
  summary: "each service's readiness and stream lag in one table",
  async run(argv) {
    const a = parseArgs(argv, { booleans: ["help"], aliases: { s: "server", h: "help", o: "output" } });
    if (a.flags.has("help")) {
      process.stdout.write(USAGE);
      return 0;
    }
    const envFile = flagString(a, "env-file");
    const env: EnvFile = envFile ? (JSON.parse(readFileSync(envFile, "utf8")) as EnvFile) : {};
    const services: Record<string, string> = { ...(env.services ?? {}) };
    for (const svc of ["gateway", "matcher", "applier"]) {
      const url = flagString(a, svc);
      if (url) services[svc] = url;
    }
    if (Object.keys(services).length === 0) {
      process.stderr.write(
        `evtctl status: no services: pass --env-file DIR/env.json or --gateway/--matcher/--applier URLs\n${USAGE}`,
      );
      return 2;
    }
    const output = flagString(a, "output") ?? "table";
    if (output !== "table" && output !== "json") {
      process.stderr.write(`evtctl status: -o must be table or json, got "${output}"\n`);
      return 2;
    }
    const server = flagString(a, "server") ?? env.natsUrl ?? process.env.NATS_URL;
    const nats: NatsTarget | undefined = server
      ? {
          servers: server,
          user: flagString(a, "user") ?? env.natsUser,
          pass: flagString(a, "password") ?? env.natsPassword,
          token: flagString(a, "token"),
        }
      : undefined;
    const report = await collectStatus({ services, nats, timeoutMs: flagInt(a, "timeout", 3000) });
    process.stdout.write(output === "json" ? `${JSON.stringify(report, null, 2)}\n` : formatStatus(report));
    return report.ok ? 0 : 1;
  },
};
