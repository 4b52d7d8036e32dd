// Pipelined JetStream publishing for the hot path. nats.js's js.publish is a request: per message a timer, a
// deferred, a mux entry and (even on success) an Error object for the cancelled request; at ingest rates that was a
// quarter of the CPU profile. Here every publish goes out with a reply subject under one long-lived inbox
// subscription, one sweeper enforces deadlines, and the PubAck is parsed directly. Same wire protocol and server
// semantics (Nats-Msg-Id dedup, PubAck only once stored), so "resolved" still means "durably stored".
import { createInbox, type Msg, type NatsConnection, headers as natsHeaders } from "@nats-io/transport-node";
import { GatewayError } from "./errors.js";

export interface PubAckLite {
  stream: string;
  seq: number;
  duplicate: boolean;
}

interface Pending {
  resolve(a: PubAckLite): void;
  reject(e: Error): void;
  deadline: number;
}

const dec = new TextDecoder();

export class PipelinedPublisher {
  private readonly prefix: string;
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly nc: NatsConnection,
    private readonly timeoutMs = 5000,
  ) {
    this.prefix = createInbox();
    nc.subscribe(`${this.prefix}.*`, { callback: (err, m) => (err ? this.failAll(err) : this.onReply(m)) });
    this.sweeper = setInterval(() => this.sweep(), Math.min(250, timeoutMs));
    this.sweeper.unref();
  }

  /** One attempt: resolves with the PubAck, rejects on a JetStream error, no responders or timeout. */
  publishOnce(
    subject: string,
    data: Uint8Array,
    msgId: string,
    hdrs: Record<string, string>,
    timeoutMs = this.timeoutMs,
  ): Promise<PubAckLite> {
    const id = ++this.next;
    const h = natsHeaders();
    h.set("Nats-Msg-Id", msgId);
    for (const k in hdrs) h.set(k, hdrs[k]!);
    return new Promise<PubAckLite>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, deadline: Date.now() + timeoutMs });
      this.queue.push({ id, subject, data, h });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(this.flush);
      }
    });
  }

  // nats.js writes to the socket once per microtask checkpoint; publishes issued from many small async steps
  // would each become a tiny write. Handing them over once per event-loop turn makes one write of many messages.
  private readonly queue: { id: number; subject: string; data: Uint8Array; h: ReturnType<typeof natsHeaders> }[] = [];
  private flushScheduled = false;
  private readonly flush = () => {
    this.flushScheduled = false;
    const batch = this.queue.splice(0);
    for (const q of batch) {
      try {
        this.nc.publish(q.subject, q.data, { reply: `${this.prefix}.${q.id}`, headers: q.h });
      } catch (err) {
        const p = this.pending.get(q.id);
        this.pending.delete(q.id);
        p?.reject(err as Error);
      }
    }
  };

  /** Retries transient failures with backoff for `retryForMs`, like libs/bus publishDurable. */
  async publish(
    subject: string,
    data: Uint8Array,
    o: { msgId: string; headers: Record<string, string>; retryForMs: number; timeoutMs?: number },
  ): Promise<PubAckLite> {
    const deadline = Date.now() + o.retryForMs;
    let delay = 50;
    for (;;) {
      try {
        return await this.publishOnce(subject, data, o.msgId, o.headers, o.timeoutMs);
      } catch (err) {
        if (Date.now() + delay > deadline) {
          throw new GatewayError(
            "EVT_GATEWAY_PUBLISH",
            `publish to ${subject} (msg id ${o.msgId}) was not acknowledged`,
            {
              cause: err,
            },
          );
        }
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 1000);
      }
    }
  }

  close(): void {
    clearInterval(this.sweeper);
    this.failAll(new Error("publisher closed"));
  }

  private onReply(m: Msg): void {
    const id = Number(m.subject.slice(this.prefix.length + 1));
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (m.headers?.hasError) {
      p.reject(new Error(`JetStream publish failed: ${m.headers.code} ${m.headers.description}`));
      return;
    }
    try {
      const r = JSON.parse(dec.decode(m.data)) as {
        stream?: string;
        seq?: number;
        duplicate?: boolean;
        error?: { code: number; err_code?: number; description: string };
      };
      if (r.error || typeof r.seq !== "number") {
        p.reject(new Error(`JetStream publish failed: ${r.error?.description ?? "no sequence in ack"}`));
      } else p.resolve({ stream: r.stream ?? "", seq: r.seq, duplicate: r.duplicate === true });
    } catch (err) {
      p.reject(err as Error);
    }
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, p] of this.pending) {
      if (p.deadline <= now) {
        this.pending.delete(id);
        p.reject(new Error("timed out waiting for the JetStream acknowledgement"));
      }
    }
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
