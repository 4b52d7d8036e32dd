// Connection flags shared by every evtctl command that talks to the internal NATS: --env-file (written by
// `evtctl dev up`), -s/--server, --user/--password, --token, --timeout. Flags beat the env file, which beats
// EVT_NATS_URL/_USER/_PASSWORD/_TOKEN.
import { readFileSync } from "node:fs";
import { type BusOptions, busOptionsFromEnv } from "@evtrigger/bus";
import { flagInt, flagString, type ParsedArgs } from "./args.js";

export const CONNECTION_USAGE = `[--env-file DIR/env.json | -s NATS_URL [--user U --password P | --token T]] [--timeout MS]`;

/** The parts of dev up's env.json the commands use. */
export interface EnvFile {
  natsUrl?: string;
  natsUser?: string;
  natsPassword?: string;
  services?: Record<string, string>;
}

export function readEnvFile(a: ParsedArgs): EnvFile {
  const file = flagString(a, "env-file");
  return file ? (JSON.parse(readFileSync(file, "utf8")) as EnvFile) : {};
}

export function busOptionsFromFlags(a: ParsedArgs, name: string): BusOptions {
  const env = readEnvFile(a);
  const base = busOptionsFromEnv(name);
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
