// Publishes this gateway instance's cluster connection states to the shared KV bucket `evt-status`
// (key `gateway.<instance>`), so the status page and `evtctl status` in other processes can show them.
// Written on an interval and whenever the summary changes; readers treat entries older than a minute as stale.
import { hostname } from "node:os";
import { BUCKETS, type Bus } from "@evtrigger/bus";
import type { LoggerLike } from "./metrics.js";
import type { GatewayStatus } from "./service.js";
import { errorText } from "./sources/connection.js";

export interface StatusDocument {
  v: 1;
  service: "gateway";
  instance: string;
  at: string;
  status: GatewayStatus;
}

export function statusKey(instance: string): string {
  return `gateway.${instance.replace(/[^-/_=a-zA-Z0-9]/g, "_")}`;
}

export function defaultInstance(): string {
  return `${hostname()}-${process.pid}`;
}

export function startStatusPublisher(o: {
  kvm: Bus["kvm"];
  status: () => GatewayStatus;
  instance: string;
  intervalMs: number;
  logger: LoggerLike;
}): { close(): Promise<void> } {
  const key = statusKey(o.instance);
  let last = "";
  let lastAt = 0;
  let running: Promise<void> = Promise.resolve();
  let closed = false;
  const tick = () => {
    running = running.then(async () => {
      if (closed) return;
      const status = o.status();
      const summary = JSON.stringify(status);
      if (summary === last && Date.now() - lastAt < o.intervalMs) return;
      const doc: StatusDocument = {
        v: 1,
        service: "gateway",
        instance: o.instance,
        at: new Date().toISOString(),
        status,
      };
      try {
        const kv = await o.kvm.open(BUCKETS.status);
        await kv.put(key, JSON.stringify(doc));
        last = summary;
        lastAt = Date.now();
      } catch (err) {
        o.logger.debug("cannot publish gateway status", { error: errorText(err) });
      }
    });
  };
  // Cheap check often, write only on change or when the interval has passed.
  const timer = setInterval(tick, Math.min(1000, o.intervalMs));
  timer.unref();
  tick();
  return {
    async close() {
      closed = true;
      clearInterval(timer);
      await running;
    },
  };
}
