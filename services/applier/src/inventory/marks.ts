// Repair marks: the intent of a repair (drift, Continuous re-render, a newly matching cluster) stored in the
// inventory bucket before it touches a cluster, removed once its inventory write settled. A repair has no
// JetStream message that redelivery would bring back: killed between its apply and its compare-and-set write, it
// may leave an object that the stored entry (a logout's tombstone, say) does not describe. A mark left behind is
// how a later process finds such a key and asserts the stored state again (sync/recovery.ts).
import { randomBytes } from "node:crypto";
import { listKeys } from "@evtrigger/bus";
import type { JetStreamManager } from "@nats-io/jetstream";
import type { KV, Kvm } from "@nats-io/kv";
import type { LoggerLike } from "../deps.js";
import { parseRepairMarkKey, REPAIR_MARK_FILTER, repairMarkKey } from "./keys.js";

export interface RepairMark {
  /** The mark's own KV key. */
  mark: string;
  /** The inventory key it protects. */
  key: string;
  /** The applier process that wrote it. */
  owner: string;
  revision: number;
  /** When the server stored it, ms since the epoch (server clock: no skew between replicas). */
  createdMs: number;
}

export interface RepairMarks {
  /** This process' owner token (random per process). */
  readonly owner: string;
  /**
   * Stores this process' mark on `key`, runs `fn`, and removes the mark once `fn` succeeded. A failed `fn` keeps
   * it (a retry that succeeds removes it), and so does a crash. Concurrent holds of one key share one mark.
   */
  hold<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** True while this process holds a mark on `key`. */
  holding(key: string): boolean;
  /** Every mark in the bucket, of any process. */
  list(): Promise<RepairMark[]>;
  /** Removes a mark unless it was written again since it was read. */
  clear(m: RepairMark): Promise<void>;
  /** Waits for pending removals. */
  close(): Promise<void>;
}

interface Held {
  n: number;
  failed: boolean;
  written: Promise<number>;
}

export async function openRepairMarks(
  kvm: Kvm,
  jsm: JetStreamManager,
  bucket: string,
  logger: LoggerLike,
  owner = randomBytes(6).toString("hex"),
): Promise<RepairMarks> {
  const kv: KV = await kvm.open(bucket);
  // Removal purges the mark's message from the bucket's stream (up to its revision) rather than writing a delete
  // marker: no record is left per (process, key), and a mark written again since survives.
  const purge = async (mark: string, revision: number) => {
    await jsm.streams.purge(`KV_${bucket}`, { filter: `$KV.${bucket}.${mark}`, seq: revision + 1 });
  };
  const held = new Map<string, Held>();
  const releasing = new Map<string, Promise<void>>();

  const release = (key: string, written: Promise<number>) => {
    const p = written
      .then((revision) => purge(repairMarkKey(owner, key), revision))
      .catch((err: unknown) => {
        // Left behind: harmless, a later recovery pass resyncs the key again and removes it.
        logger.debug("cannot remove a repair mark", { key, error: String(err) });
      })
      .finally(() => {
        if (releasing.get(key) === p) releasing.delete(key);
      });
    releasing.set(key, p);
  };

  return {
    owner,
    async hold(key, fn) {
      let h = held.get(key);
      if (!h) {
        // After this process' removal of an earlier mark on the key, so the removal cannot take the new one.
        const prior = releasing.get(key) ?? Promise.resolve();
        const body = Buffer.from(JSON.stringify({ key, owner, at: new Date().toISOString() }));
        h = { n: 0, failed: false, written: prior.then(() => kv.put(repairMarkKey(owner, key), body)) };
        held.set(key, h);
      }
      h.n++;
      let ok = false;
      try {
        await h.written;
        const out = await fn();
        ok = true;
        return out;
      } finally {
        if (!ok) h.failed = true;
        if (--h.n === 0) {
          held.delete(key);
          if (!h.failed) release(key, h.written);
        }
      }
    },
    holding: (key) => held.has(key),
    async list() {
      const marks = await listKeys(kv, REPAIR_MARK_FILTER);
      const out: RepairMark[] = [];
      for (let i = 0; i < marks.length; i += 64) {
        const batch = await Promise.all(
          marks.slice(i, i + 64).map(async (mark) => [mark, await kv.get(mark)] as const),
        );
        for (const [mark, e] of batch) {
          const parsed = parseRepairMarkKey(mark);
          if (!parsed || e?.operation !== "PUT") continue;
          out.push({ mark, ...parsed, revision: e.revision, createdMs: e.created.getTime() });
        }
      }
      return out;
    },
    clear: (m) => purge(m.mark, m.revision),
    async close() {
      await Promise.all(releasing.values());
    },
  };
}
