// Gathers what `evtctl status` shows: each service's /readyz and the lag of the consumers on its input stream.
import { STREAMS } from "@evtrigger/bus";
import { type JetStreamManager, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";

/** Which internal stream each service consumes (the gateway's input is the managed clusters' NATS). */
export const INPUT_STREAM: Readonly<Record<string, string | undefined>> = {
  gateway: undefined,
  matcher: STREAMS.events.name,
  applier: STREAMS.matches.name,
};

export interface NatsTarget {
  servers: string;
  user?: string;
  pass?: string;
  token?: string;
}

export interface ServiceStatus {
  service: string;
  url: string;
  ready: "yes" | "no" | "unreachable";
  /** "check: reason" for every failing readiness check, or why the endpoint could not be read. */
  problems: string[];
  stream?: string;
  /** Sums over every consumer of `stream` (replicas share durables; partitioned designs have several). */
  lag?: { consumers: number; pending: number; ackPending: number };
}

export interface StatusReport {
  services: ServiceStatus[];
  /** Messages currently in the dead-letter stream, when NATS was reachable. */
  deadLetters?: number;
  /** Why stream figures are missing, when they are. */
  natsError?: string;
  ok: boolean;
}

export async function collectStatus(o: {
  services: Record<string, string>;
  nats?: NatsTarget;
  timeoutMs?: number;
}): Promise<StatusReport> {
  const timeoutMs = o.timeoutMs ?? 3000;
  const services = await Promise.all(
    Object.entries(o.services).map(([service, url]) => readiness(service, url.replace(/\/+$/, ""), timeoutMs)),
  );
  let natsError: string | undefined;
  let deadLetters: number | undefined;
  if (o.nats) {
    try {
      const nc = await connect({ ...o.nats, timeout: timeoutMs, maxReconnectAttempts: 0, name: "evtctl-status" });
      try {
        const jsm = await jetstreamManager(nc, { timeout: timeoutMs });
        for (const s of services) {
          s.stream = INPUT_STREAM[s.service];
          if (s.stream) s.lag = await streamLag(jsm, s.stream);
        }
        deadLetters = await jsm.streams
          .info(STREAMS.dlq.name)
          .then((i) => i.state.messages)
          .catch(() => undefined);
      } finally {
        await nc.close();
      }
    } catch (err) {
      natsError = `cannot read streams from ${o.nats.servers}: ${err instanceof Error ? err.message : String(err)}`;
    }
  } else {
    natsError = "no NATS server given (--env-file or -s)";
  }
  const ok = services.every((s) => s.ready === "yes") && natsError === undefined;
  return { services, deadLetters, natsError, ok };
}

async function readiness(service: string, url: string, timeoutMs: number): Promise<ServiceStatus> {
  try {
    const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await res.json().catch(() => ({}))) as { checks?: Record<string, { ok?: boolean; reason?: string }> };
    const problems = Object.entries(body.checks ?? {})
      .filter(([, c]) => c.ok !== true)
      .map(([name, c]) => `${name}: ${c.reason ?? "failing"}`);
    if (res.status === 200) return { service, url, ready: "yes", problems };
    return { service, url, ready: "no", problems: problems.length ? problems : [`/readyz answered ${res.status}`] };
  } catch (err) {
    const why = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    return { service, url, ready: "unreachable", problems: [why] };
  }
}

async function streamLag(jsm: JetStreamManager, stream: string): Promise<ServiceStatus["lag"]> {
  const lag = { consumers: 0, pending: 0, ackPending: 0 };
  try {
    for await (const ci of jsm.consumers.list(stream)) {
      lag.consumers++;
      lag.pending += ci.num_pending;
      lag.ackPending += ci.num_ack_pending;
    }
  } catch {
    return undefined; // stream not created yet: nothing to show
  }
  return lag;
}
