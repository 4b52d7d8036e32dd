// Copy-on-write maps behind the snapshots. A snapshot must never change, and the store keeps changing: copying a
// whole kind's map on the first write after each snapshot made every watch batch of a 10,000-EventSource burst
// allocate a fresh ~0.5 MB map (in V8's large-object space, freed only by a full GC). Large maps are therefore
// split into shards by key hash, about 8 entries each; a write after a snapshot copies only its shard.
// Small maps (up to 1,024 entries) stay one shard, so they iterate in insertion order like a plain Map.

const SHARD_ABOVE = 1024;
/** A map is re-split when its shards average more than this many entries... */
const SPLIT_AVERAGE = 32;
/** ...into enough shards (a power of two) for this average. */
const TARGET_AVERAGE = 8;

/** FNV-1a over UTF-16 code units; only needs to spread keys, not resist anyone. */
function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Shard of `key` among `n` shards (n a power of two). */
const shardOf = (key: string, n: number) => (n === 1 ? 0 : hashOf(key) & (n - 1));

/** An immutable view of a CowMap at one moment. */
class FrozenMap<V> implements ReadonlyMap<string, V> {
  constructor(
    private readonly shards: readonly Map<string, V>[],
    readonly size: number,
  ) {}

  private shard(key: string): Map<string, V> {
    return this.shards[shardOf(key, this.shards.length)]!;
  }

  get(key: string): V | undefined {
    return this.shard(key).get(key);
  }

  has(key: string): boolean {
    return this.shard(key).has(key);
  }

  forEach(cb: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    for (const s of this.shards) for (const [k, v] of s) cb.call(thisArg, v, k, this);
  }

  *entries(): MapIterator<[string, V]> {
    for (const s of this.shards) yield* s.entries();
  }

  *keys(): MapIterator<string> {
    for (const s of this.shards) yield* s.keys();
  }

  *values(): MapIterator<V> {
    for (const s of this.shards) yield* s.values();
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return "Map";
  }
}

/** A mutable string-keyed map whose freeze() is O(shards) and whose writes after a freeze copy one shard. */
export class CowMap<V> {
  private shards: Map<string, V>[] = [new Map()];
  /** shared[i]: shard i is referenced by a frozen view, so it must be copied before a write. */
  private shared: boolean[] = [false];
  private count = 0;
  private view: FrozenMap<V> | undefined;

  constructor(entries?: Iterable<[string, V]>) {
    if (entries) for (const [k, v] of entries) this.set(k, v);
  }

  get size(): number {
    return this.count;
  }

  private index(key: string): number {
    return shardOf(key, this.shards.length);
  }

  private writable(i: number): Map<string, V> {
    this.view = undefined;
    if (this.shared[i]) {
      this.shards[i] = new Map(this.shards[i]);
      this.shared[i] = false;
    }
    return this.shards[i]!;
  }

  get(key: string): V | undefined {
    return this.shards[this.index(key)]!.get(key);
  }

  set(key: string, value: V): void {
    const i = this.index(key);
    const had = this.shards[i]!.has(key);
    this.writable(i).set(key, value);
    if (had) return;
    this.count++;
    if (this.count > SHARD_ABOVE && this.count > SPLIT_AVERAGE * this.shards.length) this.split();
  }

  delete(key: string): boolean {
    const i = this.index(key);
    if (!this.shards[i]!.has(key)) return false;
    this.writable(i).delete(key);
    this.count--;
    return true;
  }

  /** The current content as an immutable map; the same object until the next write. */
  freeze(): ReadonlyMap<string, V> {
    if (!this.view) {
      this.view = new FrozenMap(this.shards.slice(), this.count);
      this.shared.fill(true);
    }
    return this.view;
  }

  /** Re-splits into more shards (new maps: a frozen view may still hold the old ones). */
  private split(): void {
    let n = 1;
    while (n * TARGET_AVERAGE < this.count) n *= 2;
    const shards = Array.from({ length: n }, () => new Map<string, V>());
    for (const old of this.shards) for (const [k, v] of old) shards[shardOf(k, n)]!.set(k, v);
    this.shards = shards;
    this.shared = shards.map(() => false);
    this.view = undefined;
  }
}
