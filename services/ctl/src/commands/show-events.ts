import { BUCKETS, connectBus } from "@evtrigger/bus";
import { type EventReport, readEventReports } from "@evtrigger/matcher";
import { flagInt, flagString, parseArgs } from "../util/args.js";
import { busOptionsFromFlags } from "../util/connection.js";
import type { Command } from "./types.js";

const USAGE = `usage: evtctl show events [--cluster NS/NAME] [--source EVENTSOURCE] [--limit N] [-o table|json]
                          [--env-file DIR/env.json | -s NATS_URL [--user U --password P | --token T]]
The matcher's recent matched events (the EventReport equivalent): per source cluster and EventSource, the last
events that matched it (at most 100 each), oldest first, with the EventTriggers they fired. Read from the KV
bucket ${BUCKETS.eventReports} on the internal NATS (default from EVT_NATS_URL/_USER/_PASSWORD/_TOKEN).
`;

/** One table row per recorded event. */
export function formatEvents(reports: readonly EventReport[], limit: number): string {
  const header = ["CLUSTER", "EVENTSOURCE", "SEQ", "MATCHED", "TYPE", "SOURCE", "SUBJECT", "ID", "TRIGGERS"];
  const rows: string[][] = [];
  for (const r of reports) {
    for (const e of limit > 0 ? r.events.slice(-limit) : r.events) {
      rows.push([
        `${r.cluster.namespace}/${r.cluster.name}`,
        r.eventSource,
        String(e.seq),
        e.matchedAt,
        e.event.type,
        e.event.source,
        e.event.subject ?? "",
        e.event.id,
        e.triggers.length ? e.triggers.join(",") : "-",
      ]);
    }
  }
  if (rows.length === 0) return "No matched events recorded.\n";
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join("\n")}\n`;
}

export const showEvents: Command = {
  summary: "recent matched events per cluster and EventSource (EventReport)",
  async run(argv) {
    const a = parseArgs(argv, { booleans: ["help"], aliases: { s: "server", h: "help", o: "output" } });
    if (a.flags.has("help")) {
      process.stdout.write(USAGE);
      return 0;
    }
    const output = flagString(a, "output") ?? "table";
    if (output !== "table" && output !== "json") {
      process.stderr.write(`evtctl show events: -o must be table or json, got "${output}"\n`);
      return 2;
    }
    const cluster = flagString(a, "cluster");
    if (cluster !== undefined && !/^[^/\s]+\/[^/\s]+$/.test(cluster)) {
      process.stderr.write(`evtctl show events: --cluster must be NAMESPACE/NAME, got "${cluster}"\n`);
      return 2;
    }
    const limit = flagInt(a, "limit", 0);
    const bus = await connectBus(busOptionsFromFlags(a, "evtctl"));
    try {
      let reports: EventReport[];
      try {
        const kv = await bus.kvm.open(BUCKETS.eventReports);
        reports = await readEventReports(kv, { cluster, source: flagString(a, "source") });
      } catch (err) {
        process.stderr.write(
          `evtctl show events: cannot read KV bucket ${BUCKETS.eventReports}: ${err instanceof Error ? err.message : String(err)}\n`,
        );
        return 1;
      }
      if (output === "json") {
        const trimmed = limit > 0 ? reports.map((r) => ({ ...r, events: r.events.slice(-limit) })) : reports;
        process.stdout.write(`${JSON.stringify(trimmed, null, 2)}\n`);
      } else process.stdout.write(formatEvents(reports, limit));
      return 0;
    } finally {
      await bus.close();
    }
  },
};
