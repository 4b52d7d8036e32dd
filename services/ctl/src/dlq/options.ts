// Connection flags of `evtctl dlq`: --env-file (written by `evtctl dev up`), -s, --user/--password, --token.
import { readFileSync } from "node:fs";
import { type BusOptions, busOptionsFromEnv } from "@evtrigger/bus";
import { flagInt, flagString, type ParsedArgs } from "../util/args.js";

export const CONNECTION_USAGE = `[--env-file DIR/env.json | -s NATS_URL [--user U --password P | --token T]] [--timeout MS]`;

export function dlqBusOptions(a: ParsedArgs): BusOptions {
  const envFile = flagString(a, "env-file");
  const env = envFile
    ? (JSON.parse(readFileSync(envFile, "utf8")) as { natsUrl?: string; natsUser?: string; natsPassword?: string })
    : {};
  const base = busOptionsFromEnv("evtctl-dlq");
  const server = flagString(a, "server") ?? env.natsUrl;
  return {
    ...base,
    servers: server ? server.split(",") : base.servers,
    user: flagString(a, "user") ?? env.natsUser ?? base.user,
    pass: flagString(a, "password") ?? env.natsPassword ?? base.pass,
    token: flagString(a, "token") ?? base.token,
    timeoutMs: flagInt(a, "timeout", 5000),
  };
}
