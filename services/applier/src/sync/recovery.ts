// Repairs a dead process left half-done: every repair mark (inventory/marks.ts) names an inventory key whose
// cluster may hold an object the stored entry does not describe, for example a Namespace a drift repair re-applied
// right after the logout's tombstone was recorded. Resyncing the key asserts the stored state again (a tombstone
// sweeps by owner labels), which removes it.
//
// Replicas share the bucket and cannot tell a dead process' mark from a live one's. At start-up every mark is
// resynced, a live replica's too: resync is idempotent and fenced like any repair, so that only costs a few
// requests. A mark is removed only once it is older than `staleMs`, far longer than any repair round takes, so
// its owner is done with it or dead; a periodic pass resyncs and removes such marks, so a replica that died and
// never came back is covered too.
import type { LoggerLike } from "../deps.js";
import type { RepairMark, RepairMarks } from "../inventory/marks.js";
import { workQueue } from "./queue.js";

export interface RepairRecovery {
  /** Resolves once the start-up pass (and whatever it queued) is done. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface RecoveryOptions {
  /** A mark older than this is removed after its key was resynced (default 15 min). */
  staleMs?: number;
  /** Between passes over stale marks (default 5 min). */
  intervalMs?: number;
}

export function startRepairRecovery(
  d: {
    marks: RepairMarks;
    /** Converges the cluster to the stored entry (Reconciler.resync). */
    resync: (key: string) => Promise<unknown>;
    logger: LoggerLike;
  } & RecoveryOptions,
): RepairRecovery {
  const staleMs = d.staleMs ?? 15 * 60_000;
  // Marks to remove once their key was resynced (after they were listed, so after their owner stopped).
  const toClear = new Map<string, RepairMark[]>();
  const queue = workQueue(
    async (key) => {
      await d.resync(key);
      const marks = toClear.get(key) ?? [];
      toClear.delete(key);
      for (const m of marks) await d.marks.clear(m);
    },
    {
      concurrency: 4,
      onError: (key, err) => d.logger.warn("repair recovery failed; will retry", { key, error: String(err) }),
    },
  );

  const pass = async (all: boolean) => {
    const cutoff = Date.now() - staleMs;
    let queued = 0;
    for (const m of await d.marks.list()) {
      // Ours and in progress: hold() removes it.
      if (m.owner === d.marks.owner && d.marks.holding(m.key)) continue;
      const stale = m.createdMs <= cutoff;
      if (!all && !stale) continue;
      if (stale) toClear.set(m.key, [...(toClear.get(m.key) ?? []), m]);
      queue.add(m.key);
      queued++;
    }
    if (queued) d.logger.info("resyncing keys of unfinished repairs", { keys: queued, startup: all });
  };

  let startedUp = false;
  let busy: Promise<void> | undefined;
  // One pass at a time; the start-up pass (every mark) is repeated until it could list them.
  const run = () =>
    (busy ??= pass(!startedUp)
      .then(
        () => {
          startedUp = true;
        },
        (err: unknown) => d.logger.warn("cannot list repair marks; will retry", { error: String(err) }),
      )
      .finally(() => {
        busy = undefined;
      }));
  const first = run();
  const timer = setInterval(() => void run(), d.intervalMs ?? 5 * 60_000);
  timer.unref();

  return {
    async idle() {
      await first;
      await queue.idle();
    },
    async close() {
      clearInterval(timer);
      await first;
      await queue.close();
    },
  };
}
