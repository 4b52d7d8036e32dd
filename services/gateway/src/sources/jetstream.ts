// JetStream sources. Sveltos agent code form: each `subjects` entry is an existing stream's name. Docs form:
// `streams: [{name, subjects}]`, created when missing. Each stream is read through the durable pull consumer
// DURABLE with explicit ack; a message is acked only once its events are stored internally, else nak'ed with backoff.
import { ack, type ConsumeLoop, type Decision, ensureDurable, startConsumeLoop } from "@evtrigger/bus";
import { type JetStreamManager, type JsMsg, jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Ingest, Upstream } from "../ingest.js";
import type { LoggerLike } from "../metrics.js";
import type { NatsStreamRef } from "../natsconfig.js";
import { errorText } from "./connection.js";
import type { SubStatus } from "./core.js";

/**
 * Our durable consumer on every upstream stream. Sveltos' agent binds a consumer named `sveltos-agent` that the
 * user created. We use our own name so evtrigger and a Sveltos agent can run side by side during a migration
 * (each sees every message) and create it ourselves (explicit ack, deliver all). Where a stream does not allow a
 * second consumer (work-queue retention), we fall back to binding `sveltos-agent` if it exists.
 */
export const DURABLE = "evtrigger-gateway";
export const SVELTOS_DURABLE = "sveltos-agent";

export interface JetStreamSources {
  drain(): Promise<void>;
  status(): SubStatus[];
}

export async function streamExists(jsm: JetStreamManager, name: string): Promise<boolean> {
  try {
    await jsm.streams.info(name);
    return true;
  } catch (err) {
    if (/not found/i.test(errorText(err))) return false;
    throw err;
  }
}

/** Finds or creates the consumer to read `stream` with; returns its durable name. */
async function bindConsumer(jsm: JetStreamManager, stream: string, o: { maxAckPending: number; ackWaitMs: number }) {
  try {
    await ensureDurable(jsm, { stream, durable: DURABLE, maxAckPending: o.maxAckPending, ackWaitMs: o.ackWaitMs });
    return DURABLE;
  } catch (err) {
    try {
      await jsm.consumers.info(stream, SVELTOS_DURABLE);
      return SVELTOS_DURABLE;
    } catch {
      throw err;
    }
  }
}

export function startJetStreamSources(o: {
  nc: NatsConnection;
  /** Code form: existing stream names. */
  streamNames: string[];
  /** Docs form: streams to create when missing. */
  streams: NatsStreamRef[];
  upstream: Omit<Upstream, "subscription">;
  ingest: Ingest;
  logger: LoggerLike;
  concurrency: number;
  ackWaitMs: number;
  retry: { initialMs: number; maxMs: number };
}): JetStreamSources {
  const js = jetstream(o.nc);
  const entries = [
    ...o.streamNames.map((name) => ({ name, subjects: undefined as string[] | undefined })),
    ...o.streams.map((s) => ({ name: s.name, subjects: s.subjects })),
  ];
  const states: SubStatus[] = [];
  const loops: (ConsumeLoop | undefined)[] = [];
  let stopped = false;
  const wakers = new Set<() => void>();
  const tasks = entries.map(async (entry, i) => {
    const state: SubStatus = { name: entry.name, state: "waiting" };
    states[i] = state;
    const up: Upstream = { ...o.upstream, subscription: entry.name };
    let delay = o.retry.initialMs;
    while (!stopped) {
      try {
        const jsm = await jetstreamManager(o.nc);
        if (entry.subjects && !(await streamExists(jsm, entry.name))) {
          await jsm.streams.add({ name: entry.name, subjects: entry.subjects });
          o.logger.info("created upstream stream", { stream: entry.name, subjects: entry.subjects });
        }
        const durable = await bindConsumer(jsm, entry.name, {
          maxAckPending: o.concurrency * 4,
          ackWaitMs: o.ackWaitMs,
        });
        // Identifies this incarnation of the stream (a recreated stream restarts its sequence at 1). Without it
        // (no permission for stream info) events carry no upstream position and are ordered as stored.
        const created = await jsm.streams.info(entry.name).then(
          (i) => i.created,
          (err) => {
            if (!/permission/i.test(errorText(err))) throw err; // transient: retried with the loop's backoff
            o.logger.warn("no upstream stream info: events ordered as stored", {
              stream: entry.name,
              error: errorText(err),
            });
            return undefined;
          },
        );
        if (stopped) break;
        const loop = await startConsumeLoop({
          js,
          stream: entry.name,
          durable,
          concurrency: o.concurrency,
          handler: (m) => handle(o.ingest, up, m, created),
          onError: (err, m) =>
            o.logger.warn("upstream message nak'ed: internal publish failed", {
              stream: entry.name,
              seq: m.info.streamSequence,
              error: errorText(err),
            }),
        });
        loops[i] = loop;
        if (stopped) {
          await loop.stop(); // drain() ran while the loop was starting
          break;
        }
        Object.assign(state, { state: "active", error: undefined });
        await loop.done;
        loops[i] = undefined;
        if (stopped) break;
        Object.assign(state, { state: "waiting", error: "consumer ended" });
      } catch (err) {
        // Sveltos skips an entry whose stream is missing; we keep retrying so it starts once the stream exists.
        Object.assign(state, { state: "error", error: errorText(err) });
        o.logger.warn("cannot read upstream stream", { stream: entry.name, error: errorText(err) });
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(t);
          wakers.delete(wake);
          resolve();
        };
        const t = setTimeout(wake, delay);
        t.unref();
        wakers.add(wake);
      });
      delay = Math.min(o.retry.maxMs, delay * 2);
    }
    state.state = "closed";
  });
  return {
    async drain() {
      stopped = true;
      for (const w of wakers) w();
      await Promise.allSettled(loops.map((l) => l?.stop()));
      await Promise.allSettled(tasks);
    },
    status: () => states.map((s) => ({ ...s })),
  };
}

/** Ack once stored internally; a throw makes the consume loop nak with backoffMs(deliveryCount). */
async function handle(ingest: Ingest, up: Upstream, m: JsMsg, created: string | undefined): Promise<Decision> {
  await ingest(up, {
    subject: m.subject,
    data: m.data,
    headers: m.headers,
    js: { stream: m.info.stream, seq: m.info.streamSequence, created },
  });
  return ack();
}
