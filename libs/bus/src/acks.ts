// Acks that ride along with the next publish on the same connection. A consumer that publishes a successor per
// message and then acks it makes two socket writes per message when messages arrive one at a time; on a small
// virtual machine each write (and the server's wake-up to read it) costs tens of microseconds. Held back here,
// an ack goes out in the same write as the next publish, or after `maxDelayMs` when nothing else is sent.
// Acking later is always safe: the successor is already stored, and the ack still beats AckWait by far.
import type { JsMsg } from "@nats-io/jetstream";

export class AckBatcher {
  private held: JsMsg[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly maxDelayMs = 10) {}

  /** Acks `m` with the next flush (the next publish on the connection, or the timer). */
  add(m: JsMsg): void {
    this.held.push(m);
    if (!this.timer) this.timer = setTimeout(this.flush, this.maxDelayMs);
  }

  /** Acks everything held now; nats.js writes them with whatever else this turn sends. */
  readonly flush = (): void => {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const held = this.held;
    if (!held.length) return;
    this.held = [];
    for (const m of held) {
      try {
        m.ack();
      } catch {
        // Connection closed: the server redelivers after AckWait, and redelivery is harmless by design.
      }
    }
  };

  /** Acks held right now (for tests and metrics). */
  get size(): number {
    return this.held.length;
  }
}
