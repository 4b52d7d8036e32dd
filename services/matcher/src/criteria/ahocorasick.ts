// Aho-Corasick over UTF-16 code units: finds every registered atom occurring in a value in one pass, so
// thousands of literal patterns cost one scan of the (short) event field instead of one test each.

export class AhoCorasick {
  private readonly next: Map<number, number>[] = [new Map()];
  private readonly fail: number[] = [0];
  /** Atom ids ending exactly at a node. */
  private readonly out: (number[] | undefined)[] = [undefined];
  /** Nearest node on the fail chain that has outputs (-1: none). */
  private readonly dict: number[] = [-1];
  private built = false;

  /** Registers an atom; returns nothing, ids are the caller's. */
  add(atom: string, id: number): void {
    if (this.built) throw new Error("AhoCorasick: add after build");
    let node = 0;
    for (let i = 0; i < atom.length; i++) {
      const c = atom.charCodeAt(i);
      let child = this.next[node]!.get(c);
      if (child === undefined) {
        child = this.next.length;
        this.next.push(new Map());
        this.fail.push(0);
        this.out.push(undefined);
        this.dict.push(-1);
        this.next[node]!.set(c, child);
      }
      node = child;
    }
    const o = this.out[node];
    if (o) o.push(id);
    else this.out[node] = [id];
  }

  /** Computes fail and dictionary links (breadth-first). */
  build(): this {
    const queue: number[] = [];
    for (const child of this.next[0]!.values()) queue.push(child);
    for (let qi = 0; qi < queue.length; qi++) {
      const node = queue[qi]!;
      for (const [c, child] of this.next[node]!) {
        let f = this.fail[node]!;
        while (f !== 0 && !this.next[f]!.has(c)) f = this.fail[f]!;
        const target = this.next[f]!.get(c);
        this.fail[child] = target !== undefined && target !== child ? target : 0;
        const fc = this.fail[child]!;
        this.dict[child] = this.out[fc] ? fc : this.dict[fc]!;
        queue.push(child);
      }
    }
    this.built = true;
    return this;
  }

  get size(): number {
    return this.next.length - 1;
  }

  /** Appends to `out` the id of every occurrence of every atom in `s` (an id may appear more than once). */
  scanInto(s: string, out: number[]): void {
    let node = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      for (;;) {
        const n = this.next[node]!.get(c);
        if (n !== undefined) {
          node = n;
          break;
        }
        if (node === 0) break;
        node = this.fail[node]!;
      }
      const o = this.out[node];
      if (o) for (const id of o) out.push(id);
      for (let d = this.dict[node]!; d !== -1; d = this.dict[d]!) for (const id of this.out[d]!) out.push(id);
    }
  }
}
