// Readiness of a NATS connection. `isClosed()` alone is not enough: with unbounded reconnects a connection whose
// server went away is "reconnecting", not closed, and /readyz must still turn red. This follows the connection's
// status events instead. Structural types, so this package needs no NATS dependency.
import type { ReadinessCheck } from "./http/health.js";

/** The parts of a nats.js NatsConnection this needs. */
export interface StatusSource {
  isClosed(): boolean;
  status(): AsyncIterable<{ type: string }>;
}

export interface ConnectionCheck {
  /** The readiness check: true while connected, else why not. */
  readonly check: ReadinessCheck;
  /** Whether the connection is up right now. */
  readonly connected: boolean;
}

/**
 * Watches `conn`'s status events ("disconnect", "reconnect", "close") and answers readiness from them. `what`
 * names the connection in the reason ("internal NATS", "NATS of default/c1"). Call right after connecting; the
 * watcher ends by itself when the connection closes.
 */
export function connectionCheck(
  conn: StatusSource,
  what = "NATS",
  now: () => Date = () => new Date(),
): ConnectionCheck {
  let down: { since: Date; kind: string } | undefined;
  void (async () => {
    for await (const s of conn.status()) {
      if (s.type === "disconnect" || s.type === "staleConnection") down ??= { since: now(), kind: "disconnected" };
      else if (s.type === "reconnect") down = undefined;
    }
  })().catch(() => {
    // The iterator only fails when the connection is torn down; isClosed() reports that.
  });
  return {
    get connected() {
      return !conn.isClosed() && down === undefined;
    },
    check: () => {
      if (conn.isClosed()) return `${what} connection closed`;
      if (down) return `${what} ${down.kind} since ${down.since.toISOString()}`;
      return true;
    },
  };
}
