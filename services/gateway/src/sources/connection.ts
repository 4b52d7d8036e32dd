// One upstream NATS connection with its own retry: the first connect is retried with capped exponential backoff
// (a cluster's unreachable NATS never blocks anything else), later outages use nats.js reconnects, and a
// connection the client gave up on (e.g. repeated auth errors) is re-established from scratch.
import { connect, type NatsConnection, type NodeConnectionOptions } from "@nats-io/transport-node";

export type ConnState = "connecting" | "connected" | "reconnecting" | "unreachable" | "closed";

export interface UpstreamConnectionOptions {
  options: NodeConnectionOptions;
  /** Called for each (re)established connection: set up subscriptions. Errors are reported, then retried. */
  onConnected(nc: NatsConnection): Promise<void>;
  onState(state: ConnState, error?: string): void;
  backoff?: { initialMs?: number; maxMs?: number };
}

export interface UpstreamConnection {
  current(): NatsConnection | undefined;
  /** Stops retrying; does not close the current connection (the owner drains it after its subscriptions). */
  stop(): void;
  /** Resolves when the retry loop has ended. */
  done: Promise<void>;
}

export function startUpstreamConnection(o: UpstreamConnectionOptions): UpstreamConnection {
  let stopped = false;
  let nc: NatsConnection | undefined;
  let wake: (() => void) | undefined;
  const initial = o.backoff?.initialMs ?? 250;
  const max = o.backoff?.maxMs ?? 30_000;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms * (0.8 + Math.random() * 0.4));
      t.unref();
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });

  const done = (async () => {
    let delay = initial;
    while (!stopped) {
      o.onState("connecting");
      try {
        nc = await connect({
          ...o.options,
          maxReconnectAttempts: -1,
          reconnectTimeWait: 1000,
          waitOnFirstConnect: false,
          timeout: 5000,
          // No stack capture per request/ack: the hot path does one per message.
          noAsyncTraces: true,
        });
      } catch (err) {
        o.onState("unreachable", errorText(err));
        await pause(delay);
        delay = Math.min(max, delay * 2);
        continue;
      }
      if (stopped) {
        // stop() came while connecting: the owner may already have looked for a connection to drain.
        await nc.close().catch(() => {});
        break;
      }
      const conn = nc;
      const watcher = watchStatus(conn, o.onState);
      try {
        await o.onConnected(conn);
        // The server has processed the subscriptions once a PING sent after them is answered: only then is
        // "connected" a promise that a core NATS message published from now on reaches us.
        await conn.flush();
        o.onState("connected");
        delay = initial;
      } catch (err) {
        o.onState("unreachable", errorText(err));
        await conn.close().catch(() => {});
      }
      const closedErr = await conn.closed();
      await watcher;
      if (stopped) break;
      o.onState("unreachable", closedErr ? errorText(closedErr) : "connection closed");
      await pause(delay);
      delay = Math.min(max, delay * 2);
    }
  })();

  return {
    current: () => nc,
    stop() {
      stopped = true;
      wake?.();
    },
    done,
  };
}

async function watchStatus(nc: NatsConnection, onState: UpstreamConnectionOptions["onState"]): Promise<void> {
  let epoch = 0;
  for await (const s of nc.status()) {
    if (s.type === "disconnect") {
      epoch++;
      onState("reconnecting");
    } else if (s.type === "reconnect") {
      // nats.js resends the subscriptions on reconnect; "connected" once the server has confirmed them (as above).
      const at = ++epoch;
      nc.flush().then(
        () => at === epoch && onState("connected"),
        () => undefined, // disconnected again: the next status says so
      );
    } else if (s.type === "error") onState("reconnecting", errorText((s as { error?: unknown }).error));
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
