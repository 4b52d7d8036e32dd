// Renders a StatusReport as the `evtctl status` table.
import type { StatusReport } from "./collect.js";

export function formatStatus(r: StatusReport): string {
  const head = ["SERVICE", "READY", "STREAM", "CONSUMERS", "PENDING", "ACK PENDING", "PROBLEMS"];
  const rows = r.services.map((s) => [
    s.service,
    s.ready,
    s.stream ?? "-",
    s.lag ? String(s.lag.consumers) : "-",
    s.lag ? String(s.lag.pending) : "-",
    s.lag ? String(s.lag.ackPending) : "-",
    s.problems.join("; ") || "-",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  const out = [line(head), ...rows.map(line)];
  if (r.deadLetters !== undefined) out.push("", `dead letters: ${r.deadLetters}`);
  if (r.natsError) out.push("", `streams: ${r.natsError}`);
  return `${out.join("\n")}\n`;
}
