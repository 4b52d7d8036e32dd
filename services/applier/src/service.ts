// startApplier: match records → cluster state. Consumes EVT_MATCHES with the shared durable, reconciles each
// (trigger, destination, event) key, and keeps Continuous / drift-detected deployments converged.
import {
  AckBatcher,
  BUCKETS,
  type Bus,
  CONSUMERS,
  type Decision,
  deadLetter,
  decodeRecord,
  ensureDurable,
  ensureTopology,
  type MatchRecord,
  PipelinedPublisher,
  STREAMS,
  startConsumeLoop,
  truncateBody,
} from "@evtrigger/bus";
import { matchesSelector } from "@evtrigger/config";
import {
  extractFromCloudEvent,
  extractTraceFromHeaders,
  type Metrics,
  pipelineMetrics,
  type Tracer,
  withSpan,
} from "@evtrigger/telemetry";
import type { JsMsg } from "@nats-io/jetstream";
import { apiWait } from "./apply/client.js";
import { clientPool } from "./apply/pool.js";
import { decide, type Outcome } from "./decide/decision.js";
import type { ClusterAccess, LoggerLike, TemplateRender, TriggerConfigSource, TriggerStatusSink } from "./deps.js";
import { ApplierError, isTerminal } from "./errors.js";
import { inventoryKey } from "./inventory/keys.js";
import { openRepairMarks } from "./inventory/marks.js";
import { upstreamProblem } from "./inventory/order.js";
import { type InventoryStore, openInventory } from "./inventory/store.js";
import { type KeyResult, Reconciler } from "./reconcile.js";
import { goRender } from "./render/engine.js";
import { reporter } from "./report.js";
import { startContinuousSync } from "./sync/continuous.js";
import { DRIFT_MODE, driftDetector } from "./sync/drift.js";
import { workQueue } from "./sync/queue.js";
import { type RecoveryOptions, startRepairRecovery } from "./sync/recovery.js";

export interface ApplierOptions {
  bus: Bus;
  /** Management-cluster configuration (libs/config ConfigStore). */
  store: TriggerConfigSource;
  /** Managed clusters' credentials (libs/config ClusterRegistry). */
  registry: ClusterAccess;
  /** Conditions and Events on EventTriggers (libs/config KubeConfigStore); without it only the DLQ records failures. */
  status?: TriggerStatusSink;
  logger: LoggerLike;
  metrics: Metrics;
  tracer?: Tracer;
  fieldManager?: string;
  /** Matches handled at once by this process (default 32). */
  concurrency?: number;
  /** Server-side bound on unacknowledged matches across replicas (default 256): the backpressure. */
  maxAckPending?: number;
  /** AckWait of the shared durable (default 30 s); every replica sets it on start-up, so give them the same. */
  ackWaitMs?: number;
  render?: TemplateRender;
  kubeTimeoutMs?: number;
  /** Per-match timing (benchmarks): total handler time and the part spent waiting on Kubernetes. */
  onTimed?: (t: { totalMs: number; apiMs: number; results: KeyResult[] }) => void;
  /** When marks of unfinished repairs count as abandoned (tests shorten it). */
  recovery?: RecoveryOptions;
}

export interface Applier {
  inventory: InventoryStore;
  /** Resolves once queued Continuous / drift work is done (tests). */
  idle(): Promise<void>;
  /** Readiness: "" when every registered cluster answers, else which do not. */
  checkClusters(timeoutMs?: number): Promise<true | string>;
  close(): Promise<void>;
}

export async function startApplier(o: ApplierOptions): Promise<Applier> {
  const { bus, logger } = o;
  const render = o.render ?? goRender;
  const pm = pipelineMetrics(o.metrics);
  await ensureTopology(bus.jsm, bus.kvm);
  await ensureDurable(bus.jsm, {
    ...CONSUMERS.applier,
    maxAckPending: o.maxAckPending ?? 256,
    ackWaitMs: o.ackWaitMs,
  });
  // Inventory writes pipelined: one publish per CAS write instead of a nats.js request (timer, deferred, Error).
  // A match's ack rides with the next inventory write (AckBatcher) instead of a socket write of its own.
  const acks = new AckBatcher();
  const publisher = new PipelinedPublisher(bus.nc, undefined, acks);
  const inventory = await openInventory(bus.kvm, undefined, { publisher });
  const marks = await openRepairMarks(bus.kvm, bus.jsm, BUCKETS.inventory, logger);
  const clients = clientPool(o.registry, o.kubeTimeoutMs);
  const report = reporter(bus, o.status, logger);

  let reconciler: Reconciler | undefined;
  const repairs = workQueue(
    async (key) => {
      const cur = await inventory.get(key);
      if (cur?.entry.syncMode === DRIFT_MODE) await reconciler!.resync(key);
    },
    {
      concurrency: 4,
      onError: (key, err) => logger.warn("drift repair failed; will retry", { key, error: String(err) }),
    },
  );
  const drift = driftDetector({ clients, inventory, repair: repairs, logger });
  reconciler = new Reconciler({
    config: o.store,
    render,
    matches: matchesSelector,
    clients,
    inventory,
    fieldManager: o.fieldManager ?? "evtrigger",
    logger,
    marks,
    onApplied: (cluster, ref, d) => {
      if (d.syncMode === DRIFT_MODE && !d.dryRun) {
        drift.track(cluster, ref, inventoryKey({ trigger: d.trigger, cluster, eventKey: d.eventKey }));
      }
    },
    onDeleting: (cluster, ref, d) =>
      d.syncMode === DRIFT_MODE && !d.dryRun ? drift.deleting(cluster, ref) : undefined,
    onRendered: (trigger, ms) => pm.renderSeconds({ trigger }, ms / 1000),
  });
  const continuous = startContinuousSync({ config: o.store, inventory, reconciler, clients, render, logger });
  await drift.loadFromInventory();
  // Repairs a killed process left half-done, alongside the matches (a repair is fenced like any reconcile).
  const recovery = startRepairRecovery({
    marks,
    resync: (key) => reconciler!.resync(key),
    logger,
    ...o.recovery,
  });

  // keyOf and the handler both need the record: decode once per message.
  const parsed = new WeakMap<JsMsg, MatchRecord | Error>();
  const recordOf = (m: JsMsg): MatchRecord => {
    let r = parsed.get(m);
    if (!r) {
      try {
        r = parseMatch(m.data);
      } catch (err) {
        r = err instanceof Error ? err : new Error(String(err));
      }
      parsed.set(m, r);
    }
    if (r instanceof Error) throw r;
    return r;
  };

  const handle = async (m: JsMsg): Promise<Decision> => {
    let match: MatchRecord;
    try {
      match = recordOf(m);
    } catch (err) {
      logger.warn("unreadable match record; dead-lettered", { seq: m.seq, error: String(err) });
      try {
        await deadLetter(
          bus.js,
          {
            stage: "applier",
            code: "EVT_APPLIER_RECORD",
            reason: String((err as Error).message ?? err),
            origin: { stream: STREAMS.matches.name, seq: m.seq, subject: m.subject },
            ...truncateBody(m.data),
          },
          `record:${m.seq}`,
        );
        return decide({ ok: false, error: err, reported: true }, m.info.deliveryCount);
      } catch {
        return decide({ ok: false, error: err, reported: false }, m.info.deliveryCount);
      }
    }
    const run = () => reconcileOne(m, match);
    if (!o.tracer) return run();
    const parent = extractFromCloudEvent(match.event, extractTraceFromHeaders(m.headers));
    return withSpan(
      o.tracer,
      "apply",
      parent,
      { "evt.trigger": match.eventTrigger, "evt.event_id": match.event.id },
      run,
    );
  };

  const reconcileOne = async (m: JsMsg, match: MatchRecord): Promise<Decision> => {
    const started = performance.now();
    const meter = { ms: 0 };
    const cluster = `${match.cluster.namespace}/${match.cluster.name}`;
    let outcome: Outcome;
    let results: KeyResult[] = [];
    try {
      const run = () => reconciler!.reconcileMatch(match, { redelivered: m.info.deliveryCount > 1 });
      // Only benchmarks ask for the API wait: an AsyncLocalStorage in use turns on promise hooks process-wide
      // (a cost on every promise), so it is entered only then.
      results = await (o.onTimed ? apiWait.run(meter, run) : run());
      for (const r of results) countResult(r, match);
      report.succeeded(match.eventTrigger);
      outcome = { ok: true };
    } catch (err) {
      const terminal = isTerminal(err);
      if (terminal) {
        pm.applied({ cluster, trigger: match.eventTrigger, result: "error" });
        let reported = true;
        try {
          await report.failed(match, err, { seq: m.seq, subject: m.subject }, m.data);
          pm.deadLettered({ stage: "applier", code: (err as ApplierError).code });
        } catch (dlqErr) {
          reported = false;
          logger.error("cannot dead-letter a failed match; will retry", { error: String(dlqErr) });
        }
        outcome = { ok: false, error: err, reported };
      } else {
        const status = /HTTP (\d{3})/.exec(String((err as Error)?.message))?.[1];
        pm.kubeRetry({ cluster, reason: status ?? (err instanceof ApplierError ? err.code : "error") });
        logger.warn("match will be retried", {
          trigger: match.eventTrigger,
          cluster,
          eventId: match.event.id,
          delivery: m.info.deliveryCount,
          error: String((err as Error)?.message ?? err),
        });
        outcome = { ok: false, error: err, reported: false };
      }
    }
    o.onTimed?.({ totalMs: performance.now() - started, apiMs: meter.ms, results });
    return decide(outcome, m.info.deliveryCount);
  };

  const countResult = (r: KeyResult, match: MatchRecord) => {
    const l = { cluster: r.cluster, trigger: match.eventTrigger };
    const result = r.outcome === "stale" ? "stale" : r.outcome === "dryrun" ? "dryrun" : "success";
    if (r.action === "Create") pm.applied({ ...l, result });
    else pm.deleted({ ...l, result });
    if (result === "success") {
      pm.endToEnd({ action: r.action === "Create" ? "create" : "delete" }, receivedAtOf(match));
    }
  };

  const loop = await startConsumeLoop({
    js: bus.js,
    stream: CONSUMERS.applier.stream,
    durable: CONSUMERS.applier.durable,
    concurrency: o.concurrency ?? 32,
    acks,
    keyOf: (m) => {
      // Same key as the matcher's partitioning: one (trigger, event identity) at a time in this process.
      try {
        const r = recordOf(m);
        return `${r.eventTrigger}|${r.event.source}|${r.event.subject ?? ""}`;
      } catch {
        return `seq:${m.seq}`;
      }
    },
    handler: handle,
    onError: (err) => logger.error("applier handler crashed; match will be retried", { error: String(err) }),
  });

  // Consumer lag for /metrics (pending and unacknowledged matches of the shared durable).
  const lagTimer = setInterval(() => {
    bus.jsm.consumers
      .info(CONSUMERS.applier.stream, CONSUMERS.applier.durable)
      .then((ci) =>
        pm.consumerLag(
          { stream: CONSUMERS.applier.stream, consumer: CONSUMERS.applier.durable },
          { pending: ci.num_pending, ackPending: ci.num_ack_pending },
        ),
      )
      .catch(() => {
        /* NATS down: readiness reports it */
      });
  }, 5000);
  lagTimer.unref();

  let closed = false;
  return {
    inventory,
    async idle() {
      await recovery.idle();
      await continuous.idle();
      await repairs.idle();
    },
    async checkClusters(timeoutMs = 2000) {
      const failing: string[] = [];
      await Promise.all(
        [...o.store.snapshot().clusters.keys()].map(async (key) => {
          try {
            const c = await clients.get(key);
            const res = await c.request("GET", "/version", { timeoutMs });
            if (res.status >= 300) failing.push(`${key}: HTTP ${res.status}`);
          } catch (err) {
            failing.push(`${key}: ${err instanceof Error ? err.message : String(err)}`);
          }
        }),
      );
      return failing.length ? `Kubernetes unreachable: ${failing.sort().join("; ")}` : true;
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(lagTimer);
      await loop.stop();
      drift.close();
      await recovery.close();
      await continuous.close();
      await repairs.close();
      await marks.close();
      publisher.close();
      clients.close();
    },
  };
}

/** Decodes and checks the fields the applier relies on; a bad record is dead-lettered, never retried. */
export function parseMatch(data: Uint8Array): MatchRecord {
  let r: MatchRecord;
  try {
    r = decodeRecord<MatchRecord>(data);
  } catch (err) {
    throw new ApplierError("EVT_APPLIER_RECORD", `match record is not JSON: ${String(err)}`, {
      terminal: true,
      cause: err,
    });
  }
  const bad = (f: string) =>
    new ApplierError("EVT_APPLIER_RECORD", `match record: field ${f} is missing or invalid`, {
      terminal: true,
      field: f,
    });
  if (typeof r !== "object" || r === null) throw bad("(root)");
  if (!Number.isSafeInteger(r.eventSeq) || r.eventSeq < 1) throw bad("eventSeq");
  const upstream = upstreamProblem(r.upstream);
  if (upstream) throw bad(upstream);
  if (typeof r.eventTrigger !== "string" || !r.eventTrigger) throw bad("eventTrigger");
  if (typeof r.cluster?.namespace !== "string" || typeof r.cluster?.name !== "string") throw bad("cluster");
  if (typeof r.event?.source !== "string" || typeof r.event?.id !== "string" || typeof r.event?.type !== "string") {
    throw bad("event");
  }
  return r;
}

function receivedAtOf(match: MatchRecord): string {
  // The gateway's receive time travels in the match; older records only have the match time.
  return typeof match.receivedAt === "string" ? match.receivedAt : match.matchedAt;
}
