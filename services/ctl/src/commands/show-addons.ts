import { type AddonRow, listAddons, openInventory } from "@evtrigger/applier";
import { BUCKETS, connectBus } from "@evtrigger/bus";
import { flagString, parseArgs } from "../util/args.js";
import { busOptionsFromFlags } from "../util/connection.js";
import type { Command } from "./types.js";

const usage = (
  view: string,
  what: string,
) => `usage: evtctl show ${view} [--cluster NS/NAME] [--namespace N] [--kind K] [--trigger T] [-o table|json]
                          [--env-file DIR/env.json | -s NATS_URL [--user U --password P | --token T]]
${what} Read from the applier's inventory (KV bucket ${BUCKETS.inventory}) on the internal NATS
(default from EVT_NATS_URL/_USER/_PASSWORD/_TOKEN).
`;

/** sveltosctl's time format: "2025-02-04 14:06:14 +0000 UTC". */
export function goTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 19).replace("T", " ")} +0000 UTC`;
}

/** A bordered table like sveltosctl's (tablewriter): +---+ lines, centred headers, left-aligned cells. */
export function borderedTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const sep = `+${widths.map((w) => "-".repeat(w + 2)).join("+")}+`;
  const centre = (s: string, w: number) => {
    const left = Math.floor((w - s.length) / 2);
    return " ".repeat(left) + s + " ".repeat(w - s.length - left);
  };
  const line = (cells: string[], head = false) =>
    `| ${cells.map((c, i) => (head ? centre(c, widths[i]!) : c.padEnd(widths[i]!))).join(" | ")} |`;
  const body = rows.length ? [...rows.map((r) => line(r)), sep] : [];
  return `${[sep, line(header, true), sep, ...body].join("\n")}\n`;
}

export function formatAddons(rows: readonly AddonRow[]): string {
  const header = ["CLUSTER", "RESOURCE TYPE", "NAMESPACE", "NAME", "VERSION", "TIME", "EVENTTRIGGER", "EVENT"];
  return borderedTable(
    header,
    rows.map((r) => [
      r.cluster,
      r.resourceType,
      r.namespace,
      r.name,
      r.version,
      goTime(r.time),
      r.eventTrigger,
      eventLabel(r),
    ]),
  );
}

export function formatDryRun(rows: readonly AddonRow[]): string {
  const header = ["CLUSTER", "RESOURCE TYPE", "NAMESPACE", "NAME", "ACTION", "TIME", "EVENTTRIGGER", "EVENT"];
  return borderedTable(
    header,
    rows.map((r) => [
      r.cluster,
      r.resourceType,
      r.namespace,
      r.name,
      r.dryRunAction === "delete" ? "would delete" : "would apply",
      goTime(r.time),
      r.eventTrigger,
      eventLabel(r),
    ]),
  );
}

function eventLabel(r: AddonRow): string {
  return `${r.event.source} ${r.event.subject}`.trim();
}

function inventoryView(view: "addons" | "dryrun", summary: string, what: string): Command {
  return {
    summary,
    async run(argv) {
      const a = parseArgs(argv, {
        booleans: ["help"],
        aliases: { s: "server", h: "help", o: "output", n: "namespace" },
      });
      if (a.flags.has("help")) {
        process.stdout.write(usage(view, what));
        return 0;
      }
      const output = flagString(a, "output") ?? "table";
      if (output !== "table" && output !== "json") {
        process.stderr.write(`evtctl show ${view}: -o must be table or json, got "${output}"\n`);
        return 2;
      }
      const cluster = flagString(a, "cluster");
      if (cluster !== undefined && !/^[^/\s]+\/[^/\s]+$/.test(cluster)) {
        process.stderr.write(`evtctl show ${view}: --cluster must be NAMESPACE/NAME, got "${cluster}"\n`);
        return 2;
      }
      const bus = await connectBus(busOptionsFromFlags(a, "evtctl"));
      try {
        let rows: AddonRow[];
        try {
          const inventory = await openInventory(bus.kvm);
          rows = await listAddons(
            inventory,
            {
              cluster,
              namespace: flagString(a, "namespace"),
              kind: flagString(a, "kind"),
              trigger: flagString(a, "trigger"),
            },
            view === "dryrun" ? "dryrun" : "applied",
          );
        } catch (err) {
          process.stderr.write(
            `evtctl show ${view}: cannot read KV bucket ${BUCKETS.inventory}: ${err instanceof Error ? err.message : String(err)}\n`,
          );
          return 1;
        }
        if (output === "json") process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        else process.stdout.write(view === "dryrun" ? formatDryRun(rows) : formatAddons(rows));
        return 0;
      } finally {
        await bus.close();
      }
    },
  };
}

export const showAddons = inventoryView(
  "addons",
  "resources the applier deployed, per cluster, with the EventTrigger and event that own them",
  "The resources the applier deployed, one row per object, like sveltosctl show addons.",
);

export const showDryrun = inventoryView(
  "dryrun",
  "what DryRun EventTriggers would have applied or deleted",
  "What EventTriggers in syncMode DryRun would apply or delete, one row per object.",
);
