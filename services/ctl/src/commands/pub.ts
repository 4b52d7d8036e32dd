import { readFileSync } from "node:fs";
import { jetstream } from "@nats-io/jetstream";
import { connect, headers as natsHeaders } from "@nats-io/transport-node";
import { flagAll, flagInt, flagString, parseArgs } from "../util/args.js";
import type { Command } from "./types.js";

const USAGE = `usage: evtctl pub SUBJECT [BODY] [-s URL] [--user U --password P | --token T] [--js] [--count N] [-H 'K:V']...
                  [--env-file DIR/env.json]
Publishes like \`nats pub\`: the seed's commands work by replacing \`nats\` with \`pnpm -s evtctl\`.
BODY may be split over several arguments (an unquoted $CLOUDEVENT_JSON) or come from stdin when absent.
The server defaults to --env-file's natsUrl, then $NATS_URL, then nats://127.0.0.1:4222.
`;

function readStdin(): string {
  try {
    return readFileSync(0, "utf8");
  } catch {
    return "";
  }
}

export const pub: Command = {
  summary: "publish a message (a CloudEvent) to NATS or JetStream, like `nats pub`",
  async run(argv) {
    const a = parseArgs(argv, {
      booleans: ["js", "help"],
      aliases: { s: "server", h: "help", H: "header", password: "password", pass: "password" },
    });
    if (a.flags.has("help") || a.positional.length === 0) {
      process.stdout.write(USAGE);
      return a.flags.has("help") ? 0 : 2;
    }
    const envFile = flagString(a, "env-file");
    const env = envFile ? (JSON.parse(readFileSync(envFile, "utf8")) as Record<string, string>) : {};
    const [subject, ...bodyParts] = a.positional;
    const body = bodyParts.length ? bodyParts.join(" ") : process.stdin.isTTY ? "" : readStdin();
    const count = flagInt(a, "count", 1);
    const hdrs = flagAll(argv, ["-H", "--header"]);
    const nc = await connect({
      servers: flagString(a, "server") ?? env.natsUrl ?? process.env.NATS_URL ?? "nats://127.0.0.1:4222",
      user: flagString(a, "user") ?? env.natsUser,
      pass: flagString(a, "password") ?? env.natsPassword,
      token: flagString(a, "token"),
      timeout: 5000,
    });
    try {
      const h = hdrs.length ? natsHeaders() : undefined;
      for (const kv of hdrs) {
        const i = kv.indexOf(":");
        if (i <= 0) throw new Error(`header "${kv}" is not of the form KEY:VALUE`);
        h!.append(kv.slice(0, i).trim(), kv.slice(i + 1).trim());
      }
      const js = a.flags.has("js") ? jetstream(nc) : undefined;
      for (let n = 0; n < count; n++) {
        if (js) {
          const ack = await js.publish(subject, body, { headers: h });
          process.stdout.write(
            `Published ${body.length} bytes to "${subject}" (stream ${ack.stream} seq ${ack.seq})\n`,
          );
        } else {
          nc.publish(subject, body, { headers: h });
          if (count <= 10) process.stdout.write(`Published ${body.length} bytes to "${subject}"\n`);
        }
      }
      if (!js && count > 10) process.stdout.write(`Published ${count} messages to "${subject}"\n`);
      await nc.flush();
    } finally {
      await nc.close();
    }
    return 0;
  },
};
