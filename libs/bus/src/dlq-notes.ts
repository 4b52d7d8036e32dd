// Replay notes: a dead letter stays in EVT_DLQ after `evtctl dlq replay` (the record of what failed), and a small
// document in KV evt-status (`dlq.replayed.<seq>`) says it was re-driven, so a second replay needs --force and
// the status page can show it. Written by evtctl, read by evtctl and the applier's status page.
import type { KV } from "@nats-io/kv";
import { listKeys } from "./kv-keys.js";

export interface ReplayNote {
  v: 1;
  dlqSeq: number;
  /** The dead letter's own `at`: a note for another letter with the same sequence (stream re-created) is ignored. */
  letterAt: string;
  replays: number;
  lastAt: string;
  lastMsgId: string;
  /** Where the last replay went, e.g. "EVT_MATCHES evt.matches.3 #57". */
  target: string;
}

export const REPLAY_NOTE_PREFIX = "dlq.replayed";

export function replayNoteKey(seq: number): string {
  return `${REPLAY_NOTE_PREFIX}.${seq}`;
}

/** The note for this letter (the KV bucket is BUCKETS.status), if it was replayed. */
export async function readReplayNote(kv: KV, seq: number, letterAt: string): Promise<ReplayNote | undefined> {
  const e = await kv.get(replayNoteKey(seq));
  if (e?.operation !== "PUT" || !e.length) return undefined;
  const n = e.json<ReplayNote>();
  return n.letterAt === letterAt ? n : undefined;
}

/** Every note by DLQ sequence; match `letterAt` against the letter before trusting one. */
export async function readReplayNotes(kv: KV): Promise<Map<number, ReplayNote>> {
  const keys = await listKeys(kv, `${REPLAY_NOTE_PREFIX}.>`);
  const out = new Map<number, ReplayNote>();
  await Promise.all(
    keys.map(async (k) => {
      const e = await kv.get(k);
      if (e?.operation !== "PUT" || !e.length) return;
      const n = e.json<ReplayNote>();
      out.set(n.dlqSeq, n);
    }),
  );
  return out;
}

export async function writeReplayNote(kv: KV, note: ReplayNote): Promise<void> {
  await kv.put(replayNoteKey(note.dlqSeq), JSON.stringify(note));
}
