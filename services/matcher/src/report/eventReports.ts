// The EventReport equivalent: per (cluster, EventSource), the most recent matched events, in the KV bucket
// BUCKETS.eventReports under `<clusterNs>.<clusterName>.<eventSource>`. Sveltos appends every matched CE to an
// EventReport without a cap; here the history is bounded (last `limit` events) and updated with compare-and-set
// so matcher replicas and redeliveries merge instead of overwriting each other (entries are keyed by eventSeq).
import type { CloudEventJson, ClusterRef } from "@evtrigger/bus";
import type { KV } from "@nats-io/kv";

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

const keyToken = (s: string) => s.replace(/[^-/_=a-zA-Z0-9.]/g, "_") || "_";

export function reportKey(cluster: { namespace: string; name: string }, eventSource: string): string {
  return `${keyToken(cluster.namespace)}.${keyToken(cluster.name)}.${keyToken(eventSource)}`;
}

/** Drops `data` of an oversized event so one huge payload cannot push the report past the KV value limit. */
export function capEntry(e: ReportEntry): ReportEntry {
  if (JSON.stringify(e).length <= REPORT_ENTRY_MAX_BYTES) return e;
  const { data: _d, data_base64: _b, ...rest } = e.event;
  return { ...e, event: rest as CloudEventJson, truncated: true };
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
  onError?: (err: unknown, key: string) => void;
  /** Called after each successful write (metrics). */
  onWritten?: (key: string, entries: number) => void;
}

/**
 * Writes report entries in the background, coalescing what arrives for one key while a write is in flight.
 * The report is a diagnostic history, not a pipeline stage: event acks never wait for it, so a crash can lose
 * the entries of the last moments (never the match records themselves).
 */
export class EventReportWriter {
  private readonly pending = new Map<string, Pending>();
  private readonly busy = new Set<string>();
  private readonly limit: number;
  private idle: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;

  constructor(
    private readonly kv: KV,
    private readonly opts: ReportWriterOptions = {},
  ) {
    this.limit = opts.limit ?? DEFAULT_REPORT_LIMIT;
  }

  record(cluster: ClusterRef, eventSource: string, entry: ReportEntry): void {
    const key = reportKey(cluster, eventSource);
    const p = this.pending.get(key);
    if (p) p.entries.push(entry);
    else {
      this.pending.set(key, {
        cluster: { namespace: cluster.namespace, name: cluster.name },
        eventSource,
        entries: [entry],
      });
    }
    if (!this.busy.has(key)) this.startWrite(key);
  }

  /** Resolves once everything recorded so far is written (or failed and reported). */
  async flush(): Promise<void> {
    while (this.pending.size || this.busy.size) {
      if (!this.wake) this.idle = new Promise<void>((r) => (this.wake = r));
      await this.idle;
    }
  }

  private startWrite(key: string): void {
    const p = this.pending.get(key);
    if (!p) return;
    this.pending.delete(key);
    this.busy.add(key);
    this.write(key, p)
      .then(
        () => this.opts.onWritten?.(key, p.entries.length),
        (err) => this.opts.onError?.(err, key),
      )
      .finally(() => {
        this.busy.delete(key);
        if (this.pending.has(key)) this.startWrite(key);
        else if (!this.pending.size && !this.busy.size && this.wake) {
          const w = this.wake;
          this.wake = undefined;
          w();
        }
      });
  }

  private async write(key: string, p: Pending): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const cur = await this.kv.get(key);
      const old = cur && cur.operation === "PUT" && cur.length ? (cur.json<EventReport>().events ?? []) : [];
      const report: EventReport = {
        v: 1,
        cluster: p.cluster,
        eventSource: p.eventSource,
        updatedAt: new Date().toISOString(),
        events: mergeEntries(old, p.entries, this.limit),
      };
      const body = JSON.stringify(report);
      try {
        if (cur) await this.kv.update(key, body, cur.revision);
        else await this.kv.create(key, body);
        return;
      } catch (err) {
        // Another replica wrote in between: re-read and merge again (bounded; then give up and report).
        if (attempt >= 10) throw err;
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
  const keys: string[] = [];
  for await (const k of await kv.keys(keyFilter)) keys.push(k);
  keys.sort();
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
