// Inventory KV keys. JetStream KV keys allow [-/_=.a-zA-Z0-9] with `.` separating tokens, so each token is
// escaped (`=` + two hex digits for any other byte, `.` included) and the event identity is hashed.
import { createHash } from "node:crypto";

export type InventoryMode = "applied" | "dryrun";

/** Prefix per mode: DryRun records live apart, so a dry run never fences or prunes real deployments. */
const PREFIX: Record<InventoryMode, string> = { applied: "inv", dryrun: "dry" };

const SAFE_TOKEN = /^[-_a-zA-Z0-9]+$/;

export function escapeToken(s: string): string {
  if (s === "") return "=";
  // Names are usually safe already: skip the byte-by-byte copy (three tokens per match).
  if (SAFE_TOKEN.test(s)) return s;
  let out = "";
  for (const b of Buffer.from(s, "utf8")) {
    const c = String.fromCharCode(b);
    out += /[-_a-zA-Z0-9]/.test(c) ? c : `=${b.toString(16).padStart(2, "0").toUpperCase()}`;
  }
  return out;
}

export function unescapeToken(t: string): string {
  if (t === "=") return "";
  const bytes: number[] = [];
  for (let i = 0; i < t.length; i++) {
    if (t[i] === "=") {
      bytes.push(Number.parseInt(t.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(t.charCodeAt(i));
  }
  return Buffer.from(bytes).toString("utf8");
}

/** Identity of an event for one trigger: (source cluster, CE source, CE subject), like Sveltos' CE labels. */
export function eventKeyOf(sourceCluster: { namespace: string; name: string }, ceSource: string, ceSubject?: string) {
  return createHash("sha256")
    .update(`${sourceCluster.namespace}/${sourceCluster.name}\u0000${ceSource}\u0000${ceSubject ?? ""}`)
    .digest("hex")
    .slice(0, 32);
}

export interface InventoryKeyParts {
  trigger: string;
  /** Destination cluster, "namespace/name". */
  cluster: string;
  eventKey: string;
}

export function inventoryKey(p: InventoryKeyParts, mode: InventoryMode = "applied"): string {
  const [ns, name] = splitClusterKey(p.cluster);
  return `${PREFIX[mode]}.${escapeToken(p.trigger)}.${escapeToken(ns)}.${escapeToken(name)}.${p.eventKey}`;
}

export function parseInventoryKey(key: string): (InventoryKeyParts & { mode: InventoryMode }) | undefined {
  const t = key.split(".");
  if (t.length !== 5) return undefined;
  const mode = t[0] === "inv" ? "applied" : t[0] === "dry" ? "dryrun" : undefined;
  if (!mode) return undefined;
  return {
    mode,
    trigger: unescapeToken(t[1]!),
    cluster: `${unescapeToken(t[2]!)}/${unescapeToken(t[3]!)}`,
    eventKey: t[4]!,
  };
}

/** Filter for every key of one trigger (optionally one destination cluster). */
export function inventoryFilter(mode: InventoryMode, trigger?: string, cluster?: string): string {
  if (!trigger) return `${PREFIX[mode]}.>`;
  if (!cluster) return `${PREFIX[mode]}.${escapeToken(trigger)}.>`;
  const [ns, name] = splitClusterKey(cluster);
  return `${PREFIX[mode]}.${escapeToken(trigger)}.${escapeToken(ns)}.${escapeToken(name)}.*`;
}

export function splitClusterKey(key: string): [string, string] {
  const i = key.indexOf("/");
  return i < 0 ? ["", key] : [key.slice(0, i), key.slice(i + 1)];
}

/**
 * Event records: the latest event per (trigger, event identity) for triggers with a destinationClusterSelector,
 * kept apart from per-cluster entries so a cluster that starts matching later still gets what the event deploys
 * (Sveltos' ClusterProfile keeps selecting clusters), even when no cluster matched at first.
 */
export function eventRecordKey(trigger: string, eventKey: string): string {
  return `evr.${escapeToken(trigger)}.${eventKey}`;
}

export function eventRecordFilter(trigger: string): string {
  return `evr.${escapeToken(trigger)}.*`;
}

/**
 * Repair marks (inventory/marks.ts): `rpr.<owner>.<inventory key>`, one per applier process and key. The prefix
 * keeps them out of every inventory and event-record filter, so listings, `evtctl show addons` and the status
 * page never see them.
 */
export function repairMarkKey(owner: string, key: string): string {
  return `rpr.${owner}.${key}`;
}

export const REPAIR_MARK_FILTER = "rpr.>";

export function parseRepairMarkKey(mark: string): { owner: string; key: string } | undefined {
  const m = /^rpr\.([-_a-zA-Z0-9]+)\.((?:inv|dry)\..+)$/.exec(mark);
  return m ? { owner: m[1]!, key: m[2]! } : undefined;
}
