// The inventory in JetStream KV with compare-and-set updates, so replicas and redeliveries never
// overwrite each other's work unnoticed.
import { BUCKETS, listKeys, type PipelinedPublisher } from "@evtrigger/bus";
import type { KV, KvEntry, Kvm } from "@nats-io/kv";
import { ApplierError } from "../errors.js";
import type { InventoryEntry } from "./entry.js";

export interface Versioned {
  entry: InventoryEntry;
  revision: number;
}

/** Thrown when the key changed since it was read: re-read and reconcile again. */
export class InventoryConflict extends Error {
  constructor(key: string, options?: ErrorOptions) {
    super(`inventory key ${key} changed concurrently`, options);
    this.name = "InventoryConflict";
  }
}

export interface InventoryStore {
  /** Reads the key from KV. */
  get(key: string): Promise<Versioned | undefined>;
  /**
   * The state this process last wrote or read for the key when it still has it (`cached: true`), else a KV read.
   * A cached copy is stale when another replica wrote since; a CAS put with its revision then fails with
   * InventoryConflict and drops the copy, so writing from it is safe. Decide *not* to write on a get().
   */
  latest(key: string): Promise<(Versioned & { cached: boolean }) | undefined>;
  /** Writes when the stored revision is still `revision` (0 = key absent or deleted). Returns the new revision. */
  put(key: string, entry: InventoryEntry, revision: number): Promise<number>;
  /** Removes a key when its revision is still `revision`. */
  remove(key: string, revision: number): Promise<void>;
  list(filter: string): Promise<{ key: string; entry: InventoryEntry; revision: number }[]>;
  /** Calls `fn` for every entry under `filter`, in key order, without holding them all (100k entries ≈ 100 MB). */
  each(filter: string, fn: (key: string, v: Versioned) => void): Promise<void>;
}

const dec = new TextDecoder();

/** A KV read as an inventory entry; undefined for an absent, deleted or purged key. */
function decodeEntry(e: KvEntry | null): Versioned | undefined {
  if (e?.operation !== "PUT" || e.length === 0) return undefined;
  return { entry: JSON.parse(dec.decode(e.value)) as InventoryEntry, revision: e.revision };
}

function isConflict(err: unknown): boolean {
  const s = String((err as { message?: string })?.message ?? err);
  return /wrong last sequence|key exists|10071|10164/i.test(s);
}

export interface InventoryOptions {
  /**
   * Writes go out through this publisher (the CAS publish kv.create/kv.update make, without nats.js's per-request
   * timer, deferred and Error object). Without it, kv.create/kv.update.
   */
  publisher?: PipelinedPublisher;
  /** Entries kept for latest(), most recently used first out last (default 4096; 0 keeps none). */
  cacheSize?: number;
}

/** JetStream err_codes of a failed expected-last-subject-sequence check. */
const WRONG_LAST = new Set([10071, 10164]);

export async function openInventory(
  kvm: Kvm,
  bucket: string = BUCKETS.inventory,
  o: InventoryOptions = {},
): Promise<InventoryStore> {
  const kv: KV = await kvm.open(bucket);
  const cache = new RevisionCache(o.cacheSize ?? 4096);
  const get = async (key: string): Promise<Versioned | undefined> => {
    const v = decodeEntry(await kv.get(key));
    if (v) cache.offer(key, v);
    else cache.drop(key);
    return v;
  };
  const each: InventoryStore["each"] = async (filter, fn) => {
    const keys = await listKeys(kv, filter);
    // Bounded parallel reads: a 100k-entry inventory must not open 100k requests at once. Not via get(): a
    // listing must not evict the entries the event path is working on.
    const read = async (k: string) => decodeEntry(await kv.get(k));
    for (let i = 0; i < keys.length; i += 64) {
      const batch = await Promise.all(keys.slice(i, i + 64).map(async (k) => [k, await read(k)] as const));
      for (const [k, v] of batch) if (v) fn(k, v);
    }
  };
  const write = o.publisher ? pipelinedWrite(o.publisher, kv, bucket) : kvWrite(kv);
  return {
    get,
    async latest(key) {
      const hit = cache.get(key);
      if (hit) return { ...hit, cached: true };
      const v = await get(key);
      return v && { ...v, cached: false };
    },
    async put(key, entry, revision) {
      // Buffer.from: pooled, about 3x faster than TextEncoder for entry-sized strings.
      const data = Buffer.from(JSON.stringify(entry));
      try {
        const next = await write(key, data, revision);
        cache.offer(key, { entry, revision: next });
        return next;
      } catch (err) {
        cache.drop(key);
        if (isConflict(err)) throw new InventoryConflict(key, { cause: err });
        throw new ApplierError("EVT_APPLIER_INVENTORY", `cannot write inventory key ${key}`, {
          terminal: false,
          cause: err,
        });
      }
    },
    async remove(key, revision) {
      cache.drop(key);
      try {
        await kv.delete(key, { previousSeq: revision });
      } catch (err) {
        if (isConflict(err)) throw new InventoryConflict(key, { cause: err });
        throw err;
      }
    },
    async list(filter) {
      const out: { key: string; entry: InventoryEntry; revision: number }[] = [];
      await each(filter, (key, v) => out.push({ key, ...v }));
      return out;
    },
    each,
  };
}

type Write = (key: string, data: Uint8Array, revision: number) => Promise<number>;

function kvWrite(kv: KV): Write {
  return (key, data, revision) => (revision > 0 ? kv.update(key, data, revision) : kv.create(key, data));
}

/**
 * kv.update / kv.create as one pipelined publish on `$KV.<bucket>.<key>` with Nats-Expected-Last-Subject-Sequence;
 * resolved once the stream stored it. Like kv.create, "create" also succeeds over a delete or purge marker.
 */
function pipelinedWrite(publisher: PipelinedPublisher, kv: KV, bucket: string): Write {
  const send = async (key: string, data: Uint8Array, revision: number) =>
    (
      await publisher.publish(`$KV.${bucket}.${key}`, data, {
        headers: { "Nats-Expected-Last-Subject-Sequence": String(revision) },
        retryForMs: 5000,
      })
    ).seq;
  return async (key, data, revision) => {
    try {
      return await send(key, data, revision);
    } catch (err) {
      if (revision > 0 || !WRONG_LAST.has((err as { errCode?: number }).errCode ?? 0)) throw err;
      const e = await kv.get(key);
      if (e?.operation !== "DEL" && e?.operation !== "PURGE") throw err;
      return send(key, data, e.revision);
    }
  };
}

/**
 * The last known (revision, entry) per key, least recently used dropped first. Only ever moves forward: a read
 * that finishes after a newer write must not put the older revision back.
 */
class RevisionCache {
  private readonly m = new Map<string, Versioned>();
  constructor(private readonly size: number) {}

  get(key: string): Versioned | undefined {
    const v = this.m.get(key);
    if (v) {
      this.m.delete(key);
      this.m.set(key, v);
    }
    return v;
  }

  offer(key: string, v: Versioned): void {
    if (this.size <= 0) return;
    const cur = this.m.get(key);
    if (cur && cur.revision > v.revision) return;
    this.m.delete(key);
    this.m.set(key, v);
    if (this.m.size > this.size) this.m.delete(this.m.keys().next().value as string);
  }

  drop(key: string): void {
    this.m.delete(key);
  }
}
