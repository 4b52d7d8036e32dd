// The EventReport equivalent: per (cluster, EventSource), the most recent matched events, in the KV bucket
// BUCKETS.eventReports under `<clusterNs>.<clusterName>.<eventSource>`. Sveltos appends every matched CE to an
// EventReport without a cap; here the history is bounded (last `limit` events) and updated with compare-and-set
// so matcher replicas and redeliveries merge instead of overwriting each other (entries are keyed by eventSeq).
import { type CloudEventJson, type ClusterRef, listKeys, type PipelinedPublisher } from "@evtrigger/bus";
import type { KV } from "@nats-io/kv";

/** Compare-and-set write of one key: expected revision 0 means "must not exist"; resolves with the new revision. */
export type CasPut = (key: string, body: string, expectedRevision: number) => Promise<number>;

/**
 * The CAS write kv.create/kv.update do (a publish on `$KV.<bucket>.<key>` with Nats-Expected-Last-Subject-Sequence),
 * sent through the pipelined publisher: no per-write request timer, deferred and Error object. A lost race is a
 * rejection (JetStreamPublishError, wrong last sequence) like kv.update's.
 */
export function pipelinedCasPut(publisher: PipelinedPublisher, bucket: string): CasPut {
  return async (key, body, expectedRevision) =>
    // Buffer.from: pooled, about 3x faster than TextEncoder for report-sized strings; a Uint8Array all the same.
    (
      await publisher.publish(`$KV.${bucket}.${key}`, Buffer.from(body), {
        headers: { "Nats-Expected-Last-Subject-Sequence": String(expectedRevision) },
        retryForMs: 5000,
      })
    ).seq;
}

export interface ReportEntry {
  /** EVT_EVENTS stream sequence of the event. */
  seq: number;
  eventMsgId: string;
  matchedAt: string;
  /** Index of the first matching criterion. */
  criterion: number;
  /** Triggers that fired for it (may be empty: the source matched but no trigger selects the cluster). */
  triggers: string[];
  natsSubject: string;
  event: CloudEventJson;
  /** True when `data` was dropped because the event was larger than the per-entry cap. */
  truncated?: boolean;
}

export interface EventReport {
  v: 1;
  cluster: { namespace: string; name: string };
  eventSource: string;
  updatedAt: string;
  /** Oldest first, at most `limit`. */
  events: ReportEntry[];
}

/** Per-entry size cap: 100 entries of 4 KiB stay well under the server's 1 MiB payload limit. */
export const REPORT_ENTRY_MAX_BYTES = 4096;
export const DEFAULT_REPORT_LIMIT = 100;

const KEY_UNSAFE = /[^-/_=a-zA-Z0-9.]/;
// Names come from configuration (bounded); the common all-safe case skips the replace and its allocation.
const keyToken = (s: string) => (!s ? "_" : KEY_UNSAFE.test(s) ? s.replace(/[^-/_=a-zA-Z0-9.]/g, "_") : s);

export function reportKey(cluster: { namespace: string; name: string }, eventSource: string): string {
  return `${keyToken(cluster.namespace)}.${keyToken(cluster.name)}.${keyToken(eventSource)}`;
}

/** Drops `data` of an oversized event so one huge payload cannot push the report past the KV value limit. */
export function capEntry(e: ReportEntry): ReportEntry {
  const json = JSON.stringify(e);
  if (json.length <= REPORT_ENTRY_MAX_BYTES) {
    entryJson.set(e, json);
    return e;
  }
  const { data: _d, data_base64: _b, ...rest } = e.event;
  return { ...e, event: rest as CloudEventJson, truncated: true };
}

/** Entries are immutable once recorded: their JSON, computed by capEntry, is reused by every later rewrite. */
const entryJson = new WeakMap<ReportEntry, string>();

/** The report's JSON, equal to JSON.stringify(report), without serialising known entries again. */
export function reportJson(r: EventReport): string {
  const { events, ...rest } = r;
  const head = JSON.stringify({ ...rest, events: [] });
  const parts: string[] = [];
  for (const e of events) {
    let j = entryJson.get(e);
    if (j === undefined) {
      j = JSON.stringify(e);
      entryJson.set(e, j);
    }
    parts.push(j);
  }
  // head ends with `"events":[]}`: splice the entries in.
  return `${head.slice(0, -2)}${parts.join(",")}]}`;
}

/** Merges new entries into a report: dedup by seq (redelivery), keep order by seq, keep the last `limit`. */
export function mergeEntries(old: readonly ReportEntry[], add: readonly ReportEntry[], limit: number): ReportEntry[] {
  const bySeq = new Map<number, ReportEntry>();
  for (const e of old) bySeq.set(e.seq, e);
  for (const e of add) if (!bySeq.has(e.seq)) bySeq.set(e.seq, capEntry(e));
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq).slice(-limit);
}

interface Pending {
  cluster: { namespace: string; name: string };
  eventSource: string;
  entries: ReportEntry[];
}

export interface ReportWriterOptions {
  limit?: number;
  /** Report writes in flight at once: history is side work and must not crowd out match publishing. */
  maxInFlight?: number;
  /** Keys waiting to be written; beyond this the oldest waiting key's entries are dropped (and counted). */
  maxPendingKeys?: number;
  /**
   * Minimum time between two writes of one key (default 1 s): a busy (cluster, EventSource) is rewritten once a
   * second with everything that arrived meanwhile, instead of once per event (a 100-entry report is ~40 KB).
   */
  minIntervalMs?: number;
  onError?: (err: unknown, key: string) => void;
  /** How a report is written (default kv.create / kv.update on the writer's bucket). */
  put?: CasPut;
  /** Called when entries are dropped because the writer fell behind. */
  onDropped?: (entries: number) => void;
}

/** What this process last wrote for a key: lets the next write skip the read (CAS still guards it). */
interface Known {
  revision: number;
  events: ReportEntry[];
  /** When this process last wrote the key (performance.now()). */
  at: number;
}

const KNOWN_MAX = 20_000;

/**
 * Writes report entries in the background, coalescing what arrives for one key while it waits or is in flight.
 * The report is a diagnostic history, not a pipeline stage: event acks never wait for it, writes run with
 * bounded concurrency, and when the writer falls far behind the oldest pending entries are dropped (counted).
 * A crash can lose the entries of the last moments (never the match records themselves).
 */
export class EventReportWriter {
  private readonly pending = new Map<string, Pending>();
  private readonly busy = new Set<string>();
  private readonly known = new Map<string, Known>();
  private readonly limit: number;
  private readonly maxInFlight: number;
  private readonly maxPendingKeys: number;
  private readonly minIntervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private forcing = false;
  private idle: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;
  private readonly put: CasPut;

  constructor(
    private readonly kv: KV,
    private readonly opts: ReportWriterOptions = {},
  ) {
    this.limit = opts.limit ?? DEFAULT_REPORT_LIMIT;
    this.maxInFlight = opts.maxInFlight ?? 4;
    this.maxPendingKeys = opts.maxPendingKeys ?? 10_000;
    this.minIntervalMs = opts.minIntervalMs ?? 1000;
    this.put =
      opts.put ?? ((key, body, rev) => (rev === 0 ? this.kv.create(key, body) : this.kv.update(key, body, rev)));
  }

  record(cluster: ClusterRef, eventSource: string, entry: ReportEntry): void {
    const key = reportKey(cluster, eventSource);
    const p = this.pending.get(key);
    if (p) {
      p.entries.push(entry);
      if (p.entries.length > this.limit) p.entries.splice(0, p.entries.length - this.limit);
    } else {
      if (this.pending.size >= this.maxPendingKeys) {
        const [oldest, dropped] = this.pending.entries().next().value as [string, Pending];
        this.pending.delete(oldest);
        this.opts.onDropped?.(dropped.entries.length);
      }
      this.pending.set(key, {
        cluster: { namespace: cluster.namespace, name: cluster.name },
        eventSource,
        entries: [entry],
      });
    }
    this.pump();
  }

  /** Resolves once everything recorded so far is written (or failed and reported). */
  async flush(): Promise<void> {
    this.forcing = true;
    try {
      this.pump();
      while (this.pending.size || this.busy.size) {
        if (!this.wake) this.idle = new Promise<void>((r) => (this.wake = r));
        await this.idle;
      }
    } finally {
      this.forcing = false;
    }
  }

  /** Starts writes for waiting keys that are due (oldest first) while there is room; re-arms for the rest. */
  private pump(): void {
    if (this.busy.size >= this.maxInFlight) return;
    const now = performance.now();
    let nextDue = Number.POSITIVE_INFINITY;
    for (const key of this.pending.keys()) {
      if (this.busy.size >= this.maxInFlight) return;
      if (this.busy.has(key)) continue;
      const due = (this.known.get(key)?.at ?? Number.NEGATIVE_INFINITY) + this.minIntervalMs;
      if (this.forcing || due <= now) this.startWrite(key);
      else nextDue = Math.min(nextDue, due);
    }
    if (nextDue !== Number.POSITIVE_INFINITY && !this.timer) {
      this.timer = setTimeout(
        () => {
          this.timer = undefined;
          this.pump();
        },
        Math.max(1, nextDue - now),
      );
      this.timer.unref();
    }
  }

  private startWrite(key: string): void {
    const p = this.pending.get(key)!;
    this.pending.delete(key);
    this.busy.add(key);
    this.write(key, p)
      .catch((err) => {
        this.known.delete(key);
        this.opts.onError?.(err, key);
      })
      .finally(() => {
        this.busy.delete(key);
        this.pump();
        if (!this.pending.size && !this.busy.size && this.wake) {
          const w = this.wake;
          this.wake = undefined;
          w();
        }
      });
  }

  private remember(key: string, k: Known): void {
    this.known.delete(key);
    this.known.set(key, k);
    if (this.known.size > KNOWN_MAX) this.known.delete(this.known.keys().next().value as string);
  }

  private async write(key: string, p: Pending): Promise<void> {
    let base = this.known.get(key);
    for (let attempt = 0; ; attempt++) {
      const events = mergeEntries(base?.events ?? [], p.entries, this.limit);
      const body = reportJson({
        v: 1,
        cluster: p.cluster,
        eventSource: p.eventSource,
        updatedAt: new Date().toISOString(),
        events,
      } satisfies EventReport);
      try {
        // Revision 0 means "must not exist yet" (create); otherwise compare-and-set on what we last saw.
        const revision = await this.put(key, body, base?.revision ?? 0);
        this.remember(key, { revision, events, at: performance.now() });
        return;
      } catch (err) {
        // Someone else wrote the key (another replica, or an earlier run): read it and merge again.
        if (attempt >= 10) throw err;
        const cur = await this.kv.get(key);
        base =
          cur && cur.operation === "PUT" && cur.length
            ? { revision: cur.revision, events: cur.json<EventReport>().events ?? [], at: 0 }
            : cur
              ? { revision: cur.revision, events: [], at: 0 }
              : undefined;
      }
    }
  }
}

/** Reads reports, optionally for one cluster ("ns/name") and/or one EventSource, sorted by key. */
export async function readEventReports(
  kv: KV,
  filter: { cluster?: string; source?: string } = {},
): Promise<EventReport[]> {
  let keyFilter = ">";
  if (filter.cluster) {
    const [ns, name] = filter.cluster.split("/");
    keyFilter = `${keyToken(ns ?? "")}.${keyToken(name ?? "")}.>`;
  }
  const keys = await listKeys(kv, keyFilter);
  const out: EventReport[] = [];
  for (const k of keys) {
    const e = await kv.get(k);
    if (e?.operation !== "PUT" || !e.length) continue;
    const r = e.json<EventReport>();
    if (filter.source && r.eventSource !== filter.source) continue;
    if (filter.cluster && `${r.cluster.namespace}/${r.cluster.name}` !== filter.cluster) continue;
    out.push(r);
  }
  return out;
}
