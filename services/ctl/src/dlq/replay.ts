// Re-driving a dead letter after the cause was fixed. A letter with an `origin` (matcher: the event on EVT_EVENTS,
// applier: the match on EVT_MATCHES) is re-published from that stream to its subject under a new Nats-Msg-Id,
// so the next stage sees it again (the original id would be dropped by dedup inside the window). A gateway letter
// came from a managed cluster's NATS and never reached a stream: it can only be re-sent upstream, and only when
// the dead letter kept the whole body.
import {
  type Bus,
  publishDurable,
  type ReplayNote,
  readReplayNote,
  STREAMS,
  type StoredDeadLetter,
  writeReplayNote,
} from "@evtrigger/bus";
import type { KV } from "@nats-io/kv";
import { connect, headers as natsHeaders } from "@nats-io/transport-node";

export interface UpstreamTarget {
  servers: string;
  user?: string;
  pass?: string;
  token?: string;
}

export interface ReplayOptions {
  /** Replay even when a note says it was replayed already. */
  force?: boolean;
  /** For gateway letters: the managed cluster's NATS to re-send the original message to. */
  upstream?: UpstreamTarget;
}

export interface ReplayResult {
  seq: number;
  outcome: "replayed" | "already-replayed" | "not-replayable";
  detail: string;
}

/** Only the internal streams a stage reads from may be re-driven, and only on their own subjects. */
const REPLAYABLE: Record<string, string> = {
  [STREAMS.events.name]: "evt.events.",
  [STREAMS.matches.name]: "evt.matches.",
};

/** Headers that belong to the first publish and must not be copied (dedup id, publish expectations). */
const DROP_HEADER = /^(nats-msg-id|nats-expected-.*|evt-replay-of)$/i;

/** The letter's body as bytes when it was kept whole, else undefined. */
export function wholeBody(l: StoredDeadLetter["letter"]): Uint8Array | undefined {
  if (l.body === undefined) return undefined;
  const bytes = l.bodyEncoding === "base64" ? Buffer.from(l.body, "base64") : Buffer.from(l.body, "utf8");
  return l.bodyBytes === undefined || bytes.length === l.bodyBytes ? new Uint8Array(bytes) : undefined;
}

function replayHeaders(from: Iterable<[string, string[]]>, dlqSeq: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, vs] of from) if (!DROP_HEADER.test(k) && vs.length) out[k] = vs[vs.length - 1]!;
  out["Evt-Replay-Of"] = `EVT_DLQ:${dlqSeq}`;
  return out;
}

export async function replayDeadLetter(
  bus: Pick<Bus, "js" | "jsm">,
  notes: KV,
  d: StoredDeadLetter,
  o: ReplayOptions = {},
): Promise<ReplayResult> {
  const l = d.letter;
  const prior = await readReplayNote(notes, d.seq, l.at);
  if (prior && !o.force) {
    return {
      seq: d.seq,
      outcome: "already-replayed",
      detail: `replayed ${prior.replays} time(s), last at ${prior.lastAt} (${prior.target}); pass --force to replay again`,
    };
  }
  const n = (prior?.replays ?? 0) + 1;
  const msgId = `replay:${d.seq}:${n}`;
  const no = (detail: string): ReplayResult => ({ seq: d.seq, outcome: "not-replayable", detail });

  let target: string;
  if (l.origin) {
    const prefix = REPLAYABLE[l.origin.stream];
    if (!prefix) return no(`origin stream ${l.origin.stream} is not one evtctl re-drives (EVT_EVENTS, EVT_MATCHES)`);
    const orig = await bus.jsm.streams.getMessage(l.origin.stream, { seq: l.origin.seq }).catch(() => null);
    let subject: string;
    let data: Uint8Array;
    let hdrs: Record<string, string>;
    if (orig) {
      subject = orig.subject;
      data = orig.data;
      const entries: [string, string[]][] = orig.header
        ? [...orig.header.keys()].map((k) => [k, orig.header.values(k)])
        : [];
      hdrs = replayHeaders(entries, d.seq);
    } else {
      // Expired from its stream (max age) or deleted: the dead letter's copy will do if it is whole.
      const body = wholeBody(l);
      if (!body) {
        return no(
          `${l.origin.stream} sequence ${l.origin.seq} is gone and the dead letter kept only part of the body (${l.bodyBytes ?? "?"} bytes)`,
        );
      }
      subject = l.origin.subject;
      data = body;
      hdrs = replayHeaders(Object.entries(l.headers ?? {}), d.seq);
    }
    if (!subject.startsWith(prefix)) return no(`subject ${subject} is not a ${l.origin.stream} subject`);
    const ack = await publishDurable(bus.js, subject, data, { msgId, headers: hdrs });
    target = `${ack.stream} ${subject} #${ack.seq}`;
  } else if (l.stage === "gateway") {
    const body = wholeBody(l);
    if (!body) {
      return no(
        `a gateway rejection is an upstream message that never reached a stream, and this one kept only part of its body (${l.bodyBytes ?? "?"} bytes); re-send it from its publisher`,
      );
    }
    if (!l.natsSubject) return no("the dead letter does not say which subject the message arrived on");
    if (!o.upstream) {
      return no(
        `a gateway rejection never reached a stream: re-send it to the managed cluster's NATS with --upstream URL (subject ${l.natsSubject}); the gateway normalizes it again`,
      );
    }
    const nc = await connect({ ...o.upstream, name: "evtctl-dlq-replay", maxReconnectAttempts: 0 });
    try {
      const h = natsHeaders();
      for (const [k, v] of Object.entries(replayHeaders(Object.entries(l.headers ?? {}), d.seq))) h.set(k, v);
      nc.publish(l.natsSubject, body, { headers: h });
      await nc.flush();
    } finally {
      await nc.close();
    }
    target = `upstream ${l.natsSubject}`;
  } else {
    return no("the dead letter has no origin (stream and sequence) to re-drive from");
  }

  const note: ReplayNote = {
    v: 1,
    dlqSeq: d.seq,
    letterAt: l.at,
    replays: n,
    lastAt: new Date().toISOString(),
    lastMsgId: msgId,
    target,
  };
  await writeReplayNote(notes, note);
  return { seq: d.seq, outcome: "replayed", detail: `-> ${target} (msg id ${msgId})` };
}
