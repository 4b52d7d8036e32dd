import {
  AckPolicy,
  type ConsumerConfig,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from "@nats-io/jetstream";
import type { AckBatcher } from "./acks.js";

/** What to do with a message once handled: the single place where ack, nak and term are chosen. */
export type Decision = { kind: "ack" } | { kind: "nak"; delayMs: number } | { kind: "term"; reason: string };

export const ack = (): Decision => ({ kind: "ack" });
export const nak = (delayMs: number): Decision => ({ kind: "nak", delayMs });
export const term = (reason: string): Decision => ({ kind: "term", reason });

/** Exponential backoff by delivery count: 250 ms, 500 ms, 1 s ... capped at 30 s. */
export function backoffMs(deliveryCount: number, baseMs = 250, capMs = 30_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, deliveryCount - 1));
}

export interface DurableSpec {
  stream: string;
  durable: string;
  /** How many unacknowledged messages the server lets this consumer have: the backpressure bound. */
  maxAckPending?: number;
  ackWaitMs?: number;
  filterSubjects?: string[];
}

/** Creates the durable pull consumer if missing, or updates its tunables; replicas share it. */
export async function ensureDurable(jsm: JetStreamManager, spec: DurableSpec): Promise<void> {
  const cfg: Partial<ConsumerConfig> = {
    durable_name: spec.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    max_ack_pending: spec.maxAckPending ?? 1000,
    ack_wait: (spec.ackWaitMs ?? 30_000) * 1_000_000,
    max_deliver: -1,
  };
  if (spec.filterSubjects?.length === 1) cfg.filter_subject = spec.filterSubjects[0];
  else if (spec.filterSubjects?.length) cfg.filter_subjects = spec.filterSubjects;
  try {
    await jsm.consumers.info(spec.stream, spec.durable);
    await jsm.consumers.update(spec.stream, spec.durable, {
      max_ack_pending: cfg.max_ack_pending,
      ack_wait: cfg.ack_wait,
    });
  } catch {
    try {
      await jsm.consumers.add(spec.stream, cfg);
    } catch (err) {
      // A replica that started at the same moment may have created it first.
      await jsm.consumers.info(spec.stream, spec.durable).catch(() => {
        throw err;
      });
    }
  }
}

export interface ConsumeLoopOptions {
  js: JetStreamClient;
  stream: string;
  durable: string;
  /** Messages handled at once by this process. */
  concurrency?: number;
  /** Messages with the same key are handled one after the other, in delivery order. */
  keyOf?: (m: JsMsg) => string;
  handler: (m: JsMsg) => Promise<Decision>;
  /** Called when the handler throws; the message is then nak'ed with backoff. */
  onError?: (err: unknown, m: JsMsg) => void;
  /**
   * Acks go out with the next publish through this batcher (share it with the PipelinedPublisher of the same
   * connection) instead of a write of their own; naks and terms are sent at once.
   */
  acks?: AckBatcher;
  /** Called after each settled message (for metrics). */
  onSettled?: (d: Decision, m: JsMsg, ms: number) => void;
}

export interface ConsumeLoop {
  /** Stops pulling, waits for in-flight messages to settle. */
  stop(): Promise<void>;
  /** Messages being handled right now. */
  inFlight(): number;
  /** Resolves when the loop ends (after stop, or if the consumer goes away). */
  done: Promise<void>;
}

const KEEPALIVE_MS = 10_000;

function settle(m: JsMsg, d: Decision, acks: AckBatcher | undefined): void {
  if (d.kind === "ack") {
    if (acks) acks.add(m);
    else m.ack();
  } else if (d.kind === "nak") m.nak(d.delayMs);
  // No reason on the wire: nats-server 2.9 ignores "+TERM <reason>" and would redeliver; callers log it.
  else m.term();
}

/**
 * Pulls from a durable consumer and runs `handler` per message with bounded concurrency and optional per-key
 * serialisation. The handler decides ack/nak/term; a throw becomes a nak with backoff. While a message is
 * being handled, `working()` keeps the server from redelivering it.
 */
export async function startConsumeLoop(o: ConsumeLoopOptions): Promise<ConsumeLoop> {
  const concurrency = o.concurrency ?? 64;
  const consumer = await o.js.consumers.get(o.stream, o.durable);
  // The consumer's own AckWait (from the info get() fetched; whoever set it), not a caller's copy of it.
  const ackWaitMs = Number((await consumer.info(true)).config.ack_wait ?? 30_000_000_000) / 1_000_000;
  const messages = await consumer.consume({ max_messages: concurrency });
  const tails = new Map<string, Promise<void>>();
  const running = new Set<Promise<void>>();
  let slotFree: (() => void) | undefined;

  // One ticker for the whole loop instead of a timer per message: messages held (handled, or waiting behind their
  // key) tell the server they are in progress three times per AckWait, so it does not redeliver them meanwhile.
  const working = new Set<JsMsg>();
  const keepAlive = setInterval(
    () => {
      for (const m of working) {
        try {
          m.working();
        } catch {
          // Connection closing: the server redelivers after AckWait, as after a crash.
        }
      }
    },
    Math.min(KEEPALIVE_MS, Math.max(100, Math.floor(ackWaitMs / 3))),
  );
  keepAlive.unref();

  const handleOne = async (m: JsMsg) => {
    const started = Date.now();
    let d: Decision;
    try {
      d = await o.handler(m);
    } catch (err) {
      o.onError?.(err, m);
      d = nak(backoffMs(m.info.deliveryCount));
    } finally {
      working.delete(m);
    }
    settle(m, d, o.acks);
    o.onSettled?.(d, m, Date.now() - started);
  };

  const run = (m: JsMsg) => {
    working.add(m);
    const key = o.keyOf?.(m);
    const prev = key !== undefined ? tails.get(key) : undefined;
    const p = (prev ? prev.then(() => handleOne(m)) : handleOne(m)).finally(() => {
      running.delete(p);
      if (key !== undefined && tails.get(key) === p) tails.delete(key);
      slotFree?.();
    });
    running.add(p);
    if (key !== undefined) tails.set(key, p);
  };

  const done = (async () => {
    try {
      for await (const m of messages) {
        while (running.size >= concurrency) {
          await new Promise<void>((r) => {
            slotFree = r;
          });
          slotFree = undefined;
        }
        run(m);
      }
      await Promise.allSettled([...running]);
    } finally {
      clearInterval(keepAlive);
      o.acks?.flush();
    }
  })();

  return {
    async stop() {
      messages.stop();
      await done;
    },
    inFlight: () => running.size,
    done,
  };
}
