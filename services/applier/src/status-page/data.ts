// What the status page shows, gathered from where each piece already lives: the config snapshot (clusters,
// triggers, conditions, invalid objects), KV evt-status (the gateway's per-cluster connection states), KV
// evt-eventreports (the matcher's recent events), the inventory (deployed addons) and EVT_DLQ. A source that
// cannot be read leaves its section empty and adds a problem line; the page always renders.
import {
  BUCKETS,
  type Bus,
  listDeadLetters,
  listKeys,
  type ReplayNote,
  readReplayNotes,
  STREAMS,
  type StoredDeadLetter,
} from "@evtrigger/bus";
import type { TriggerConfigSource } from "../deps.js";
import { type AddonRow, type AddonSummary, summarizeAddons } from "../inventory/addons.js";
import type { InventoryStore } from "../inventory/store.js";
import { CONDITION_TYPE } from "../report.js";

export interface StatusPageSources {
  bus: Pick<Bus, "kvm" | "jsm">;
  config: Pick<TriggerConfigSource, "snapshot">;
  inventory: InventoryStore;
  now?: () => Date;
  limits?: { events?: number; deadLetters?: number; addons?: number };
}

/** A gateway status document older than this is shown as stale (the gateway rewrites it every 10 s). */
export const GATEWAY_STALE_MS = 60_000;

// The gateway's document in KV evt-status (`gateway.<instance>`), read structurally: the applier does not
// depend on the gateway package.
interface GatewayDoc {
  instance: string;
  at: string;
  status: {
    clusters: Array<{
      cluster: string;
      state: string;
      problems?: Array<{ path: string; reason: string }>;
      connections?: Array<{
        transport: string;
        url: string;
        state: string;
        error?: string;
        subscriptions?: Array<{ name: string; state: string; error?: string }>;
      }>;
    }>;
  };
}

// The matcher's EventReport in KV evt-eventreports, read structurally for the same reason.
interface ReportDoc {
  cluster: { namespace: string; name: string };
  eventSource: string;
  events: Array<{
    seq: number;
    matchedAt: string;
    triggers: string[];
    event: { id: string; source: string; type: string; subject?: string };
  }>;
}

export interface ClusterRow {
  key: string;
  labels: string;
  /** Kubeconfig problem, if the applier cannot reach it. */
  kubeconfig: string;
  /** Gateway view: "active", "no-config", … or "no gateway report". */
  natsState: string;
  /** One line per upstream connection: transport, url, state, subscriptions. */
  connections: string[];
  problems: string[];
  reportedBy: string;
  stale: boolean;
}

export interface TriggerRow {
  name: string;
  eventSource: string;
  syncMode: string;
  matches: number;
  deployed: number;
  deadLetters: number;
  lastError: string;
  lastErrorAt: string;
  /** "replayed 2× (last …)" when the last error is a dead letter `evtctl dlq replay` re-drove. */
  lastErrorReplayed: string;
  invalid: boolean;
}

export interface EventRow {
  matchedAt: string;
  cluster: string;
  eventSource: string;
  seq: number;
  type: string;
  source: string;
  subject: string;
  id: string;
  triggers: string;
}

export interface DeadLetterRow {
  seq: number;
  at: string;
  stage: string;
  code: string;
  cluster: string;
  object: string;
  reason: string;
  /** "2× (last …)" once `evtctl dlq replay` re-drove it, else "". */
  replayed: string;
}

export interface StatusPageData {
  generatedAt: string;
  clusters: ClusterRow[];
  triggers: TriggerRow[];
  events: EventRow[];
  addons: AddonRow[];
  deadLetters: DeadLetterRow[];
  deadLetterTotal: number;
  /** Sources that could not be read. */
  problems: string[];
}

const msg = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function readBucket<T>(bus: StatusPageSources["bus"], bucket: string, filter: string): Promise<T[]> {
  const kv = await bus.kvm.open(bucket);
  const keys = await listKeys(kv, filter);
  const out: T[] = [];
  for (const k of keys) {
    const e = await kv.get(k);
    if (e?.operation === "PUT" && e.length) out.push(e.json<T>());
  }
  return out;
}

/** Reads one section; a failure becomes a problem line and the fallback. */
async function section<T>(problems: string[], what: string, fallback: T, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    problems.push(`${what}: ${msg(err)}`);
    return fallback;
  }
}

export async function collectStatusPage(s: StatusPageSources): Promise<StatusPageData> {
  const now = (s.now ?? (() => new Date()))();
  const problems: string[] = [];
  const snap = s.config.snapshot();
  const addonLimit = s.limits?.addons ?? 500;
  const [gateways, reports, addons, letters, dlqTotal, notes] = await Promise.all([
    section(problems, `gateway status (KV ${BUCKETS.status})`, [] as GatewayDoc[], () =>
      readBucket<GatewayDoc>(s.bus, BUCKETS.status, "gateway.>"),
    ),
    section(problems, `event reports (KV ${BUCKETS.eventReports})`, [] as ReportDoc[], () =>
      readBucket<ReportDoc>(s.bus, BUCKETS.eventReports, ">"),
    ),
    section(
      problems,
      `inventory (KV ${BUCKETS.inventory})`,
      { rows: [], total: 0, perTrigger: new Map() } as AddonSummary,
      () => summarizeAddons(s.inventory, addonLimit),
    ),
    section(problems, `dead letters (${STREAMS.dlq.name})`, [] as StoredDeadLetter[], () =>
      listDeadLetters(s.bus.jsm, { limit: s.limits?.deadLetters ?? 50 }),
    ),
    section(
      problems,
      `dead letters (${STREAMS.dlq.name})`,
      0,
      async () => (await s.bus.jsm.streams.info(STREAMS.dlq.name)).state.messages,
    ),
    section(problems, `replay notes (KV ${BUCKETS.status})`, new Map<number, ReplayNote>(), async () =>
      readReplayNotes(await s.bus.kvm.open(BUCKETS.status)),
    ),
  ]);

  const clusters = clusterRows(snap.clusters, gateways, now);
  const events = eventRows(reports, s.limits?.events ?? 30);
  const deadLetters = letters.map((d) => deadLetterRow(d, notes));
  const triggers = triggerRows(snap, reports, addons.perTrigger, letters, notes);
  if (addons.total > addonLimit) problems.push(`deployed addons: showing ${addonLimit} of ${addons.total}`);
  return {
    generatedAt: now.toISOString(),
    clusters,
    triggers,
    events,
    addons: addons.rows,
    deadLetters,
    deadLetterTotal: dlqTotal,
    problems: [...new Set(problems)],
  };
}

type Snapshot = ReturnType<TriggerConfigSource["snapshot"]>;

function clusterRows(clusters: Snapshot["clusters"], gateways: GatewayDoc[], now: Date): ClusterRow[] {
  // Newest report per cluster wins (several gateway replicas may each own some clusters).
  const seen = new Map<string, { doc: GatewayDoc; c: GatewayDoc["status"]["clusters"][number] }>();
  for (const doc of gateways) {
    for (const c of doc.status?.clusters ?? []) {
      const prev = seen.get(c.cluster);
      if (!prev || prev.doc.at < doc.at) seen.set(c.cluster, { doc, c });
    }
  }
  const keys = new Set([...clusters.keys(), ...seen.keys()]);
  return [...keys].sort().map((key) => {
    const entry = clusters.get(key);
    const g = seen.get(key);
    const stale = g ? now.getTime() - Date.parse(g.doc.at) > GATEWAY_STALE_MS : false;
    return {
      key,
      labels: entry
        ? Object.entries(entry.labels)
            .map(([k, v]) => `${k}=${v}`)
            .join(", ")
        : "(not in the applier's configuration)",
      kubeconfig: entry ? (entry.kubeconfigError ?? (entry.kubeconfig ? "ok" : "pending")) : "-",
      natsState: g ? g.c.state : "no gateway report",
      connections: (g?.c.connections ?? []).map((x) => {
        const subs = (x.subscriptions ?? []).map((s) => `${s.name}: ${s.state}${s.error ? ` (${s.error})` : ""}`);
        return `${x.transport} ${x.url} ${x.state}${x.error ? ` (${x.error})` : ""}${subs.length ? `; ${subs.join(", ")}` : ""}`;
      }),
      problems: (g?.c.problems ?? []).map((p) => `${p.path}: ${p.reason}`),
      reportedBy: g ? `${g.doc.instance} at ${g.doc.at}` : "",
      stale,
    };
  });
}

function eventRows(reports: ReportDoc[], limit: number): EventRow[] {
  const rows: EventRow[] = [];
  for (const r of reports) {
    for (const e of r.events ?? []) {
      rows.push({
        matchedAt: e.matchedAt,
        cluster: `${r.cluster.namespace}/${r.cluster.name}`,
        eventSource: r.eventSource,
        seq: e.seq,
        type: e.event.type,
        source: e.event.source,
        subject: e.event.subject ?? "",
        id: e.event.id,
        triggers: e.triggers.length ? e.triggers.join(", ") : "-",
      });
    }
  }
  rows.sort((a, b) => b.matchedAt.localeCompare(a.matchedAt) || b.seq - a.seq);
  return rows.slice(0, limit);
}

function deadLetterRow(d: StoredDeadLetter, notes: ReadonlyMap<number, ReplayNote>): DeadLetterRow {
  const l = d.letter;
  const o = l.object;
  return {
    seq: d.seq,
    at: l.at ?? d.time,
    stage: l.stage,
    code: l.code,
    cluster: l.cluster ? `${l.cluster.namespace}/${l.cluster.name}` : "-",
    object: o ? `${o.kind}/${o.namespace ? `${o.namespace}/` : ""}${o.name}` : "-",
    reason: l.reason,
    replayed: ((n) => (n ? `${n.replays}× (last ${n.lastAt})` : ""))(replayed(notes, d)),
  };
}

function replayed(notes: ReadonlyMap<number, ReplayNote>, d: StoredDeadLetter): ReplayNote | undefined {
  const n = notes.get(d.seq);
  return n && n.letterAt === d.letter.at ? n : undefined;
}

function triggerRows(
  snap: Snapshot,
  reports: ReportDoc[],
  deployed: ReadonlyMap<string, number>,
  letters: StoredDeadLetter[],
  notes: ReadonlyMap<number, ReplayNote>,
) {
  const matches = new Map<string, number>();
  for (const r of reports)
    for (const e of r.events ?? []) for (const t of e.triggers) matches.set(t, (matches.get(t) ?? 0) + 1);
  // Letters are newest first: the first one seen for a trigger is its latest failure.
  const dead = new Map<string, { count: number; latest: StoredDeadLetter }>();
  for (const d of letters) {
    const name = triggerOf(d);
    if (!name) continue;
    const cur = dead.get(name);
    dead.set(name, { count: (cur?.count ?? 0) + 1, latest: cur?.latest ?? d });
  }
  const rows: TriggerRow[] = [];
  // Parsed, not compared as text: conditions carry whole seconds ("…:20Z"), letters milliseconds ("…:20.123Z").
  const time = (iso: string | undefined) => Date.parse(iso ?? "") || 0;
  for (const [name, t] of snap.eventTriggers) {
    const conditions = t.status?.conditions ?? [];
    const cond = conditions
      .filter((c) => c.status === "False")
      .sort((a, b) => time(b.lastTransitionTime) - time(a.lastTransitionTime))[0];
    // EventsApplied=True after a dead letter means later matches went through: that letter is history.
    const recoveredAt = Math.max(
      0,
      ...conditions
        .filter((c) => c.type === CONDITION_TYPE && c.status === "True")
        .map((c) => time(c.lastTransitionTime)),
    );
    const latest = dead.get(name)?.latest;
    const letter = latest && time(latest.letter.at) > recoveredAt ? latest : undefined;
    const useLetter = letter && (!cond || time(letter.letter.at) > time(cond.lastTransitionTime));
    const note = letter ? replayed(notes, letter) : undefined;
    rows.push({
      name,
      eventSource: t.spec.eventSourceName,
      syncMode: t.spec.syncMode,
      matches: matches.get(name) ?? 0,
      deployed: deployed.get(name) ?? 0,
      deadLetters: dead.get(name)?.count ?? 0,
      lastError: useLetter
        ? `${letter.letter.code}: ${letter.letter.reason}`
        : cond
          ? `${cond.reason}: ${cond.message}`
          : "",
      lastErrorAt: useLetter ? letter.letter.at : (cond?.lastTransitionTime ?? ""),
      lastErrorReplayed: useLetter && note ? `replayed ${note.replays}× (last ${note.lastAt})` : "",
      invalid: false,
    });
  }
  for (const [key, problems] of snap.invalid) {
    if (!key.startsWith("EventTrigger/")) continue;
    const name = key.slice("EventTrigger/".length);
    rows.push({
      name,
      eventSource: "-",
      syncMode: "-",
      matches: matches.get(name) ?? 0,
      deployed: deployed.get(name) ?? 0,
      deadLetters: dead.get(name)?.count ?? 0,
      lastError: `invalid: ${problems.map((p) => `${p.path}: ${p.reason}`).join("; ")}`,
      lastErrorAt: "",
      lastErrorReplayed: "",
      invalid: true,
    });
  }
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}

/** The EventTrigger a dead letter belongs to: its object, or for the applier the match record it kept. */
export function triggerOf(d: StoredDeadLetter): string | undefined {
  const l = d.letter;
  if (l.object?.kind === "EventTrigger") return l.object.name;
  if (l.stage !== "applier" || l.bodyEncoding !== "utf8" || !l.body) return undefined;
  try {
    const m = JSON.parse(l.body) as { eventTrigger?: unknown };
    return typeof m.eventTrigger === "string" ? m.eventTrigger : undefined;
  } catch {
    return undefined; // truncated or not a match record
  }
}
