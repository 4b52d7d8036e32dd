// The inventory in JetStream KV with compare-and-set updates, so replicas and redeliveries never
// overwrite each other's work unnoticed.
import { BUCKETS } from "@evtrigger/bus";
import type { KV, Kvm } from "@nats-io/kv";
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
  get(key: string): Promise<Versioned | undefined>;
  /** Writes when the stored revision is still `revision` (0 = key absent or deleted). Returns the new revision. */
  put(key: string, entry: InventoryEntry, revision: number): Promise<number>;
  /** Removes a key when its revision is still `revision`. */
  remove(key: string, revision: number): Promise<void>;
  list(filter: string): Promise<{ key: string; entry: InventoryEntry; revision: number }[]>;
  /** Calls `fn` for every entry under `filter`, in key order, without holding them all (100k entries ≈ 100 MB). */
  each(filter: string, fn: (key: string, v: Versioned) => void): Promise<void>;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

function isConflict(err: unknown): boolean {
  const s = String((err as { message?: string })?.message ?? err);
  return /wrong last sequence|key exists|10071|10164/i.test(s);
}

export async function openInventory(kvm: Kvm, bucket: string = BUCKETS.inventory): Promise<InventoryStore> {
  const kv: KV = await kvm.open(bucket);
  const get = async (key: string): Promise<Versioned | undefined> => {
    const e = await kv.get(key);
    if (e?.operation !== "PUT" || e.length === 0) return undefined;
    return { entry: JSON.parse(dec.decode(e.value)) as InventoryEntry, revision: e.revision };
  };
  const each: InventoryStore["each"] = async (filter, fn) => {
    const keys: string[] = [];
    for await (const k of await kv.keys(filter)) keys.push(k);
    keys.sort();
    // Bounded parallel reads: a 100k-entry inventory must not open 100k requests at once.
    for (let i = 0; i < keys.length; i += 64) {
      const batch = await Promise.all(keys.slice(i, i + 64).map(async (k) => [k, await get(k)] as const));
      for (const [k, v] of batch) if (v) fn(k, v);
    }
  };
  return {
    get,
    async put(key, entry, revision) {
      const data = enc.encode(JSON.stringify(entry));
      try {
        if (revision > 0) return await kv.update(key, data, revision);
        return await kv.create(key, data);
      } catch (err) {
        if (isConflict(err)) throw new InventoryConflict(key, { cause: err });
        throw new ApplierError("EVT_APPLIER_INVENTORY", `cannot write inventory key ${key}`, {
          terminal: false,
          cause: err,
        });
      }
    },
    async remove(key, revision) {
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
