// Reading the dead-letter stream back: `evtctl dlq` and the applier's status page list and show dead letters.
// nats-server 2.9 has no batched direct get, so the newest messages are read one sequence at a time (in parallel
// batches), newest first, with a bound on how many sequences one listing may scan.
import type { JetStreamManager, StoredMsg } from "@nats-io/jetstream";
import type { DeadLetter } from "./records.js";
import { type DlqStage, dlqSubject, STREAMS } from "./topology.js";

export interface StoredDeadLetter {
  /** Sequence on EVT_DLQ: the handle `evtctl dlq show|replay` takes. */
  seq: number;
  subject: string;
  /** When the stream stored it. */
  time: string;
  letter: DeadLetter;
}

export interface DeadLetterQuery {
  stage?: DlqStage;
  code?: string;
  /** Most letters returned (default 50). */
  limit?: number;
  /** Most sequences examined, matching or not (default 10 000): a listing stays bounded on a huge DLQ. */
  maxScan?: number;
}

const BATCH = 64;

/** Decodes one stored DLQ message; a record that is not a DeadLetter is shown as such rather than hidden. */
export function toStoredDeadLetter(m: StoredMsg): StoredDeadLetter {
  let letter: DeadLetter;
  try {
    letter = m.json<DeadLetter>();
    if (typeof letter !== "object" || letter === null || typeof letter.code !== "string")
      throw new Error("not a DeadLetter");
  } catch (err) {
    const stage = m.subject.split(".")[2] as DlqStage;
    letter = {
      v: 1,
      stage,
      code: "EVT_BUS_DLQ_UNREADABLE",
      reason: `EVT_DLQ sequence ${m.seq} is not a dead-letter record: ${err instanceof Error ? err.message : String(err)}`,
      at: m.time.toISOString(),
    };
  }
  return { seq: m.seq, subject: m.subject, time: m.time.toISOString(), letter };
}

/** One dead letter by its EVT_DLQ sequence; undefined when it does not exist (never written, deleted, expired). */
export async function getDeadLetter(jsm: JetStreamManager, seq: number): Promise<StoredDeadLetter | undefined> {
  const m = await jsm.streams.getMessage(STREAMS.dlq.name, { seq }).catch((err: unknown) => {
    if (/no message found|not found/i.test(String(err))) return null;
    throw err;
  });
  return m ? toStoredDeadLetter(m) : undefined;
}

/** The newest dead letters matching the query, newest first. */
export async function listDeadLetters(jsm: JetStreamManager, q: DeadLetterQuery = {}): Promise<StoredDeadLetter[]> {
  const limit = q.limit ?? 50;
  const info = await jsm.streams.info(STREAMS.dlq.name);
  const { first_seq: first, last_seq: last, messages } = info.state;
  const out: StoredDeadLetter[] = [];
  if (messages === 0 || limit <= 0) return out;
  const subject = q.stage ? dlqSubject(q.stage) : undefined;
  const stop = Math.max(first, last - (q.maxScan ?? 10_000) + 1);
  for (let hi = last; hi >= stop && out.length < limit; hi -= BATCH) {
    const seqs: number[] = [];
    for (let s = hi; s > hi - BATCH && s >= stop; s--) seqs.push(s);
    const batch = await Promise.all(seqs.map((seq) => getDeadLetter(jsm, seq)));
    for (const d of batch) {
      if (!d || (subject && d.subject !== subject) || (q.code && d.letter.code !== q.code)) continue;
      out.push(d);
      if (out.length === limit) break;
    }
  }
  return out;
}
