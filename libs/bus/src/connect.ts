import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { BusError } from "./errors.js";

export interface BusOptions {
  /** One or more nats:// URLs of the internal NATS (JetStream enabled). */
  servers: string | string[];
  user?: string;
  pass?: string;
  token?: string;
  /** Client name shown in the server's connz; use the service name. */
  name: string;
  /** TLS: CA, and optional client certificate (PEM text). */
  tls?: { ca?: string; cert?: string; key?: string };
  /** Give up connecting after this long, ms (default 10 s). Reconnects after that are unbounded. */
  timeoutMs?: number;
  /**
   * Skip capturing a stack per request (nats.js `noAsyncTraces`): saves two Error objects per JetStream publish,
   * worth it on hot publish paths (gateway); errors then carry no caller stack.
   */
  noAsyncTraces?: boolean;
}

export interface Bus {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  kvm: Kvm;
  /** Drains subscriptions and closes; safe to call twice. */
  close(): Promise<void>;
}

/** Connects to the internal NATS with unbounded reconnects, so a NATS restart never needs a service restart. */
export async function connectBus(o: BusOptions): Promise<Bus> {
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: o.servers,
      name: o.name,
      user: o.user,
      pass: o.pass,
      token: o.token,
      tls: o.tls,
      timeout: o.timeoutMs ?? 10_000,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      waitOnFirstConnect: false,
      noAsyncTraces: o.noAsyncTraces,
    });
  } catch (err) {
    throw new BusError("EVT_BUS_CONNECT", `cannot connect to the internal NATS at ${String(o.servers)}`, {
      cause: err,
    });
  }
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  let closed = false;
  return {
    nc,
    js,
    jsm,
    kvm: new Kvm(nc),
    async close() {
      if (closed) return;
      closed = true;
      if (!nc.isClosed()) await nc.drain().catch(() => nc.close());
    },
  };
}

/** Reads the internal-bus connection settings from the environment (EVT_NATS_URL, _USER, _PASSWORD, _TOKEN). */
export function busOptionsFromEnv(name: string, env: NodeJS.ProcessEnv = process.env): BusOptions {
  return {
    name,
    servers: (env.EVT_NATS_URL ?? "nats://127.0.0.1:4222").split(",").map((s) => s.trim()),
    user: env.EVT_NATS_USER || undefined,
    pass: env.EVT_NATS_PASSWORD || undefined,
    token: env.EVT_NATS_TOKEN || undefined,
  };
}
