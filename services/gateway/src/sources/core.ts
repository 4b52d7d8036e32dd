// Core NATS subjects: a queue group so gateway replicas share the work (Sveltos uses plain subscriptions, one
// agent per cluster). Core NATS is at-most-once: a message whose internal publish fails is logged as lost.
import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import type { Ingest, Upstream } from "../ingest.js";
import type { LoggerLike } from "../metrics.js";
import { errorText } from "./connection.js";

export const QUEUE_GROUP = "evtrigger-gateway";

export interface SubStatus {
  name: string;
  state: "active" | "waiting" | "error" | "closed";
  error?: string;
}

export interface CoreSubscriptions {
  /** Stops interest, lets delivered messages finish, then resolves. */
  drain(): Promise<void>;
  status(): SubStatus[];
}

export function subscribeCore(o: {
  nc: NatsConnection;
  subjects: string[];
  upstream: Omit<Upstream, "subscription">;
  ingest: Ingest;
  logger: LoggerLike;
  maxInFlight: number;
}): CoreSubscriptions {
  const subs: { name: string; sub: Subscription; state: SubStatus }[] = [];
  const inFlight = new Set<Promise<void>>();
  const loops: Promise<void>[] = [];
  for (const subject of o.subjects) {
    const state: SubStatus = { name: subject, state: "active" };
    const sub = o.nc.subscribe(subject, { queue: QUEUE_GROUP });
    sub.closed.then(
      (err) => {
        if (err) Object.assign(state, { state: "error", error: errorText(err) });
        else if (state.state === "active") state.state = "closed";
      },
      (err: unknown) => Object.assign(state, { state: "error", error: errorText(err) }),
    );
    subs.push({ name: subject, sub, state });
    const up: Upstream = { ...o.upstream, subscription: subject };
    loops.push(
      (async () => {
        for await (const m of sub) {
          while (inFlight.size >= o.maxInFlight) await Promise.race(inFlight);
          const p = o
            .ingest(up, { subject: m.subject, data: m.data, headers: m.headers })
            .catch((err) =>
              o.logger.error("cloudevent lost: internal publish failed", {
                cluster: `${up.cluster.namespace}/${up.cluster.name}`,
                natsSubject: m.subject,
                error: errorText(err),
              }),
            )
            .finally(() => inFlight.delete(p));
          inFlight.add(p);
        }
      })(),
    );
  }
  return {
    async drain() {
      await Promise.allSettled(subs.map((s) => (s.sub.isClosed() ? undefined : s.sub.drain())));
      await Promise.allSettled(loops);
      await Promise.allSettled([...inFlight]);
      for (const s of subs) if (s.state.state === "active") s.state.state = "closed";
    },
    status: () => subs.map((s) => ({ ...s.state })),
  };
}
