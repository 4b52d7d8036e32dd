// Replay notes: a dead letter stays in EVT_DLQ after `evtctl dlq replay` (the record of what failed), and a
// small document in KV evt-status (`dlq.replayed.<seq>`) says it was re-driven, so a second replay needs --force.
import { BUCKETS, type Bus } from "@evtrigger/bus";
import type { KV } from "@nats-io/kv";

export interface ReplayNote {
  v: 1;
  dlqSeq: number;
  /** The dead letter's own `at`: a note for a different letter with the same sequence (stream re-created) is ignored. */
  letterAt: string;
  replays: number;
  lastAt: string;
  lastMsgId: string;
  /** Where the last replay went, e.g. "EVT_MATCHES evt.matches.3 #57". */
  target: string;
}

export const NOTE_PREFIX = "dlq.replayed";

export function noteKey(seq: number): string {
  return `${NOTE_PREFIX}.${seq}`;
}

export async function openNotes(bus: Pick<Bus, "kvm">): Promise<KV> {
  return bus.kvm.open(BUCKETS.status);
}

export async function readNote(kv: KV, seq: number, letterAt: string): Promise<ReplayNote | undefined> {
  const e = await kv.get(noteKey(seq));
  if (e?.operation !== "PUT" || !e.length) return undefined;
  const n = e.json<ReplayNote>();
  return n.letterAt === letterAt ? n : undefined;
}

/** Every note, by DLQ sequence (for the list's REPLAYED column). */
export async function readNotes(kv: KV): Promise<Map<number, ReplayNote>> {
  const out = new Map<number, ReplayNote>();
  const keys: string[] = [];
  for await (const k of await kv.keys(`${NOTE_PREFIX}.>`)) keys.push(k);
  await Promise.all(
    keys.map(async (k) => {
      const e = await kv.get(k);
      if (e?.operation === "PUT" && e.length) {
        const n = e.json<ReplayNote>();
        out.set(n.dlqSeq, n);
      }
    }),
  );
  return out;
}

export async function writeNote(kv: KV, note: ReplayNote): Promise<void> {
  await kv.put(noteKey(note.dlqSeq), JSON.stringify(note));
}
