// A tiny de-duplicating work queue (client-go workqueue style): a key queued twice before it runs runs once,
// one key never runs on two workers at once, failures are retried with backoff.
export interface WorkQueue {
  add(key: string, delayMs?: number): void;
  /** Resolves when nothing is queued or running (tests, shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export function workQueue(
  work: (key: string) => Promise<void>,
  o: { concurrency?: number; onError?: (key: string, err: unknown) => void; maxRetries?: number } = {},
): WorkQueue {
  const concurrency = o.concurrency ?? 4;
  const queued = new Set<string>();
  const order: string[] = [];
  const running = new Set<string>();
  const dirty = new Set<string>(); // re-added while running: run again after
  const retries = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  let idleWaiters: (() => void)[] = [];
  let closed = false;

  const checkIdle = () => {
    if (order.length === 0 && running.size === 0 && timers.size === 0) {
      const w = idleWaiters;
      idleWaiters = [];
      for (const f of w) f();
    }
  };

  const pump = () => {
    while (!closed && running.size < concurrency && order.length) {
      const key = order.shift()!;
      queued.delete(key);
      if (running.has(key)) {
        dirty.add(key);
        continue;
      }
      running.add(key);
      work(key)
        .then(
          () => retries.delete(key),
          (err: unknown) => {
            o.onError?.(key, err);
            const n = (retries.get(key) ?? 0) + 1;
            if (n <= (o.maxRetries ?? 8)) {
              retries.set(key, n);
              add(key, Math.min(250 * 2 ** (n - 1), 30_000));
            } else retries.delete(key);
          },
        )
        .finally(() => {
          running.delete(key);
          if (dirty.delete(key)) add(key);
          pump();
          checkIdle();
        });
    }
  };

  const add = (key: string, delayMs = 0) => {
    if (closed) return;
    if (delayMs > 0) {
      const t = setTimeout(() => {
        timers.delete(t);
        add(key);
        checkIdle();
      }, delayMs);
      t.unref();
      timers.add(t);
      return;
    }
    if (queued.has(key)) return;
    queued.add(key);
    order.push(key);
    pump();
  };

  return {
    add,
    idle: () =>
      new Promise<void>((r) => {
        idleWaiters.push(r);
        checkIdle();
      }),
    async close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      order.length = 0;
      queued.clear();
      while (running.size) await new Promise((r) => setTimeout(r, 10));
      checkIdle();
    },
  };
}
