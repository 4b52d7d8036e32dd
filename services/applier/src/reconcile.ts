// The reconcile loop for one inventory key: fence on the event's order (inventory/order.ts), converge the cluster,
// record the result with compare-and-set. Level-based and idempotent: running it twice for the same match is
// harmless.
import type { MatchRecord } from "@evtrigger/bus";
import type { ClientPool } from "./apply/pool.js";
import { type Converged, converge, type Desired } from "./converge.js";
import { configObjectMissing } from "./decide/config-sync.js";
import { destinationsOf, type SelectorMatch } from "./decide/destinations.js";
import type { ConfigSnapshotLike, EventTriggerLike, LoggerLike, TemplateRender, TriggerConfigSource } from "./deps.js";
import { ApplierError, isTerminal } from "./errors.js";
import type { DeployedObject, InventoryEntry } from "./inventory/entry.js";
import { eventKeyOf, eventRecordKey, type InventoryMode, inventoryKey } from "./inventory/keys.js";
import type { RepairMarks } from "./inventory/marks.js";
import { isNewer } from "./inventory/order.js";
import { InventoryConflict, type InventoryStore, type Versioned } from "./inventory/store.js";
import { renderAction } from "./render/action.js";
import { templateData } from "./render/data.js";

export interface ReconcilerDeps {
  config: TriggerConfigSource;
  render: TemplateRender;
  matches: SelectorMatch;
  clients: ClientPool;
  inventory: InventoryStore;
  fieldManager: string;
  logger: LoggerLike;
  now?: () => Date;
  /**
   * Repairs store their intent here before touching a cluster (inventory/marks.ts): no redelivery brings a repair
   * back after a crash between its apply and its inventory write. Without it, repairs run unmarked (tests).
   */
  marks?: Pick<RepairMarks, "hold">;
  onApplied?: (cluster: string, ref: DeployedObject, entry: Desired) => void;
  /** Called before an object is deleted; the callback it returns learns whether it existed (drift detection). */
  onDeleting?: (cluster: string, ref: DeployedObject, entry: Desired) => ((existed: boolean) => void) | undefined;
  onRendered?: (trigger: string, ms: number) => void;
}

export type KeyOutcome = "applied" | "deleted" | "stale" | "dryrun";

export interface KeyResult {
  key: string;
  cluster: string;
  action: "Create" | "Delete";
  outcome: KeyOutcome;
  converged?: Converged;
}

const MAX_CAS_ATTEMPTS = 10;
/** Largest CloudEvent kept verbatim in an inventory entry (JSON characters). */
export const MAX_RECORDED_EVENT_BYTES = 256 * 1024;

/** A destinationClusterSelector (and no fixed destinationCluster): destinations change with cluster labels. */
export function followsSelector(t: EventTriggerLike): boolean {
  return !!t.spec.destinationClusterSelector && !t.spec.destinationCluster?.name;
}

export function syncModeOf(t: EventTriggerLike): string {
  return t.spec.syncMode || "Continuous";
}

export function stopBehaviorOf(t: EventTriggerLike): string {
  return t.spec.stopMatchingBehavior || "WithdrawPolicies";
}

export class Reconciler {
  constructor(private readonly d: ReconcilerDeps) {}

  /** Every destination of one match; throws the first transient error, else the first terminal one. */
  async reconcileMatch(match: MatchRecord, o: { redelivered?: boolean } = {}): Promise<KeyResult[]> {
    const snapshot = this.d.config.snapshot();
    const trigger = snapshot.eventTriggers.get(match.eventTrigger);
    if (!trigger) {
      // Applied a moment ago and not in this replica's store yet? Retried during the grace (decide/config-sync.ts).
      const missing = configObjectMissing(
        "EVT_APPLIER_TRIGGER_NOT_FOUND",
        `EventTrigger ${match.eventTrigger} is not known`,
        {
          missing: `EventTrigger ${match.eventTrigger}`,
          matchedAt: match.matchedAt,
          object: { kind: "EventTrigger", name: match.eventTrigger },
        },
      );
      if (!missing.terminal) throw missing;
      // Deleted since the match was made; WithdrawPolicies handles what it had deployed.
      this.d.logger.info("match for a deleted EventTrigger skipped", { trigger: match.eventTrigger });
      return [];
    }
    const data = templateData(match.event, match.cluster, snapshot);
    const action = renderAction(trigger.metadata.name, trigger.spec.cloudEventAction, data, this.d.render);
    const clusters = destinationsOf({
      trigger,
      sourceCluster: match.cluster,
      snapshot,
      data,
      render: this.d.render,
      matches: this.d.matches,
    });
    const mode: InventoryMode = syncModeOf(trigger) === "DryRun" ? "dryrun" : "applied";
    const eventKey = eventKeyOf(match.cluster, match.event.source, match.event.subject);
    if (followsSelector(trigger)) await this.recordEvent(match, trigger, action, eventKey, mode);
    const settled = await Promise.allSettled(
      clusters.map(async (cluster): Promise<KeyResult> => {
        const desired = desiredOf(match, trigger, action, eventKey, cluster, mode);
        const key = inventoryKey({ trigger: desired.trigger, cluster, eventKey }, mode);
        return this.reconcileKey(key, desired, snapshot, o.redelivered === true);
      }),
    );
    const errors = settled.flatMap((s) => (s.status === "rejected" ? [s.reason as unknown] : []));
    const transient = errors.find((e) => !isTerminal(e));
    if (transient !== undefined) throw transient;
    if (errors.length) throw errors[0];
    return settled.map((s) => (s as PromiseFulfilledResult<KeyResult>).value);
  }

  /** Keeps the latest event per identity for a destinationClusterSelector trigger (fenced, CAS). */
  private async recordEvent(
    match: MatchRecord,
    trigger: EventTriggerLike,
    action: "Create" | "Delete",
    eventKey: string,
    mode: InventoryMode,
  ): Promise<void> {
    const key = eventRecordKey(trigger.metadata.name, eventKey);
    const position = { sourceCluster: match.cluster, eventSeq: match.eventSeq, upstream: match.upstream };
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      let cur: (Versioned & { cached?: boolean }) | undefined = await this.d.inventory.latest(key);
      // "Nothing to write" is decided on a fresh read: a cached copy may predate another replica's write.
      if (cur?.cached && !isNewer(position, cur.entry)) cur = await this.d.inventory.get(key);
      if (cur && !isNewer(position, cur.entry)) return;
      const rec = desiredOf(match, trigger, action, eventKey, "", mode);
      try {
        await this.d.inventory.put(key, this.entryOf(rec, { objects: [], removed: [] }), cur?.revision ?? 0);
        return;
      } catch (err) {
        if (!(err instanceof InventoryConflict)) throw err;
      }
    }
    throw tooManyConflicts(key);
  }

  /**
   * Fenced compare-and-set loop. A stored event not older than ours (order.ts: publish order where known, else
   * eventSeq) means this match is stale or a redelivery: no side effects. The invariant that makes replicas safe:
   * every side effect on a cluster is followed by a CAS write of the state it asserted, and whoever loses a CAS
   * race after touching the cluster asserts the stored (newer) state again and writes it back, so the last write
   * always describes the cluster. A redelivered match may have touched the cluster in an attempt that failed
   * half-way, so it does the same.
   */
  async reconcileKey(
    key: string,
    desired: Desired,
    snapshot: ConfigSnapshotLike,
    redelivered = false,
  ): Promise<KeyResult> {
    let touched: DeployedObject[] | undefined;
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      // The entry this process last wrote for the key, without a KV read, when it has it: a copy made stale by
      // another replica fails the CAS write below (InventoryConflict), and the next attempt reads KV.
      let cur: (Versioned & { cached?: boolean }) | undefined = await this.d.inventory.latest(key);
      // "Nothing to do" is decided on a fresh read only.
      if (cur?.cached && !isNewer(desired, cur.entry)) cur = await this.d.inventory.get(key);
      if (cur && !isNewer(desired, cur.entry)) {
        if ((touched || redelivered) && isNewer(cur.entry, desired)) {
          await this.assertStored(key, touched ?? []);
        }
        return { key, cluster: desired.cluster, action: desired.action, outcome: "stale" };
      }
      // Sweep when a record may be missing: no entry yet, or a redelivery after a crash half-way.
      const converged = await this.converge(desired, cur?.entry, snapshot, !cur || redelivered);
      touched = converged.objects;
      const entry = this.entryOf(desired, converged);
      try {
        await this.d.inventory.put(key, entry, cur?.revision ?? 0);
        const outcome: KeyOutcome = desired.dryRun ? "dryrun" : desired.action === "Create" ? "applied" : "deleted";
        return { key, cluster: desired.cluster, action: desired.action, outcome, converged };
      } catch (err) {
        if (!(err instanceof InventoryConflict)) throw err;
        // Lost the race; if the trigger was deleted meanwhile (its entries withdrawn), undo rather than retry.
        if (!this.d.config.snapshot().eventTriggers.has(desired.trigger)) {
          if (!desired.dryRun && desired.stopMatchingBehavior !== "LeavePolicies" && converged.objects.length) {
            await this.converge({ ...desired, action: "Delete" }, { ...entry, action: "Create" }, snapshot);
          }
          return { key, cluster: desired.cluster, action: desired.action, outcome: "stale" };
        }
      }
    }
    throw tooManyConflicts(key);
  }

  /**
   * Continuous / drift repair: re-render the stored event with the current trigger and ConfigMaps, apply,
   * prune, and record with the same eventSeq. Skips OneTime triggers; a Delete tombstone is asserted again.
   *
   * The entry read here may be superseded by the time the apply lands (a logout's tombstone written meanwhile):
   * the CAS write then fails and the next round asserts the newer state, removing what was applied. A repair
   * mark covers a crash before that round: whoever finds the mark resyncs the key (sync/recovery.ts).
   */
  async resync(key: string): Promise<"resynced" | "skipped"> {
    const cur = await this.d.inventory.get(key);
    if (!cur) return "skipped";
    if (cur.entry.action === "Delete") {
      // Drift repair and repair recovery ask for a tombstone: an earlier repair may have re-applied the object
      // and failed before it could record that (a crash, a dropped response after the server applied), while
      // the logout's Delete was recorded. Asserting the tombstone sweeps by labels and removes such an object.
      if (!cur.entry.dryRun) await this.marked(key, () => this.assertStored(key, [], cur));
      return "resynced";
    }
    if (cur.entry.action !== "Create") return "skipped";
    if (cur.entry.eventDataOmitted) {
      this.d.logger.warn("cannot re-render: the event was too large to record", { key, trigger: cur.entry.trigger });
      return "skipped";
    }
    const trigger = this.d.config.snapshot().eventTriggers.get(cur.entry.trigger);
    if (!trigger || syncModeOf(trigger) === "OneTime") return "skipped";
    if (cur.entry.dryRun) await this.assertStored(key, [], cur);
    else await this.marked(key, () => this.assertStored(key, [], cur));
    return "resynced";
  }

  /**
   * A cluster that started matching a destinationClusterSelector gets a recorded event's objects. Marked like a
   * repair: nothing redelivers it, and a logout recorded for that cluster meanwhile must not be left with them.
   */
  async addDestination(key: string, desired: Desired, snapshot: ConfigSnapshotLike): Promise<KeyResult> {
    if (desired.dryRun) return this.reconcileKey(key, desired, snapshot);
    return this.marked(key, () => this.reconcileKey(key, desired, snapshot));
  }

  private marked<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.d.marks ? this.d.marks.hold(key, fn) : fn();
  }

  /**
   * Converges the cluster to the stored entry (re-rendered with the current configuration) and writes it back
   * with CAS; on conflict, repeats with whatever is stored then. `touched` are objects this caller applied
   * that a stored Delete must remove.
   */
  private async assertStored(key: string, touched: DeployedObject[], first?: Versioned): Promise<void> {
    let cur = first;
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      cur ??= await this.d.inventory.get(key);
      if (!cur) return;
      const w = cur.entry;
      const snapshot = this.d.config.snapshot();
      const trigger = snapshot.eventTriggers.get(w.trigger);
      if (w.dryRun || (!trigger && w.action === "Create")) return;
      if (w.eventDataOmitted && w.action === "Create") {
        this.d.logger.warn("cannot re-render: the event was too large to record", { key, trigger: w.trigger });
        return;
      }
      const desired: Desired = {
        ...withoutResults(w),
        ...(trigger
          ? {
              triggerGeneration: trigger.metadata.generation ?? w.triggerGeneration,
              syncMode: syncModeOf(trigger),
              stopMatchingBehavior: stopBehaviorOf(trigger),
            }
          : {}),
      };
      // A stored Delete must also remove what we just applied; a stored Create prunes against itself.
      const prev: InventoryEntry = w.action === "Delete" ? { ...w, action: "Create", objects: touched } : w;
      const converged = await this.converge(desired, prev, snapshot, true);
      touched = [...touched, ...converged.objects];
      try {
        await this.d.inventory.put(key, this.entryOf(desired, converged), cur.revision);
        return;
      } catch (err) {
        if (!(err instanceof InventoryConflict)) throw err;
        cur = undefined;
      }
    }
    throw tooManyConflicts(key);
  }

  /** Removes an entry; with `withdraw` also what it deployed (stopMatchingBehavior WithdrawPolicies). */
  async forget(key: string, withdraw: boolean): Promise<void> {
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const cur = await this.d.inventory.get(key);
      if (!cur) return;
      if (withdraw && !cur.entry.dryRun && cur.entry.action === "Create") {
        await this.converge({ ...withoutResults(cur.entry), action: "Delete" }, cur.entry, this.d.config.snapshot());
      }
      try {
        await this.d.inventory.remove(key, cur.revision);
        return;
      } catch (err) {
        // An event recorded meanwhile: withdraw what it deployed too.
        if (!(err instanceof InventoryConflict)) throw err;
      }
    }
    throw tooManyConflicts(key);
  }

  private async converge(d: Desired, prev: InventoryEntry | undefined, snapshot: ConfigSnapshotLike, sweep = false) {
    const client = await this.d.clients.get(d.cluster);
    return converge(d, prev, {
      snapshot,
      render: this.d.render,
      client,
      fieldManager: this.d.fieldManager,
      onApplied: (cluster, ref) => this.d.onApplied?.(cluster, ref, d),
      onDeleting: (cluster, ref) => this.d.onDeleting?.(cluster, ref, d),
      onRendered: (ms) => this.d.onRendered?.(d.trigger, ms),
      sweep,
    });
  }

  private entryOf(d: Desired, c: Converged): InventoryEntry {
    const e: InventoryEntry = { ...d, objects: c.objects, appliedAt: (this.d.now?.() ?? new Date()).toISOString() };
    if (c.wouldDelete?.length) e.wouldDelete = c.wouldDelete;
    // KV values are bounded by the server's max payload: a huge CloudEvent keeps its attributes only, and
    // Continuous re-rendering is then skipped for it (logged) rather than failing the whole event.
    if (JSON.stringify(e.event).length > MAX_RECORDED_EVENT_BYTES) {
      const { data: _d, data_base64: _b, ...attributes } = e.event;
      e.event = attributes as InventoryEntry["event"];
      e.eventDataOmitted = true;
    }
    return e;
  }
}

function tooManyConflicts(key: string): ApplierError {
  return new ApplierError("EVT_APPLIER_INVENTORY", `inventory key ${key}: too many concurrent updates`, {
    terminal: false,
  });
}

/** The desired state an entry records, without what converging it produced. */
export function withoutResults(e: InventoryEntry): Desired {
  const { objects: _o, appliedAt: _a, wouldDelete: _w, ...rest } = e;
  return rest;
}

/** What one match asks of one destination (`cluster` "" for the per-identity event record). */
function desiredOf(
  match: MatchRecord,
  trigger: EventTriggerLike,
  action: "Create" | "Delete",
  eventKey: string,
  cluster: string,
  mode: InventoryMode,
): Desired {
  return {
    v: 1,
    trigger: trigger.metadata.name,
    triggerGeneration: trigger.metadata.generation ?? match.triggerGeneration,
    cluster,
    sourceCluster: match.cluster,
    eventSource: match.eventSource,
    eventKey,
    ceSource: match.event.source,
    ceSubject: match.event.subject,
    ceType: match.event.type,
    ceId: match.event.id,
    eventSeq: match.eventSeq,
    ...(match.upstream ? { upstream: match.upstream } : {}),
    eventMsgId: match.eventMsgId,
    action,
    syncMode: syncModeOf(trigger),
    stopMatchingBehavior: stopBehaviorOf(trigger),
    event: match.event,
    matchedAt: match.matchedAt,
    ...(mode === "dryrun" ? { dryRun: true } : {}),
  };
}
