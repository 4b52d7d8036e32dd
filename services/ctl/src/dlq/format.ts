// Text views of dead letters: the `dlq list` table and the `dlq show` record. Pure.
import type { ReplayNote, StoredDeadLetter } from "@evtrigger/bus";

export const REASON_WIDTH = 60;

export function truncate(s: string, width: number): string {
  const flat = s.replace(/\s+/g, " ").trim();
  return flat.length <= width ? flat : `${flat.slice(0, width - 1)}…`;
}

function objectLabel(o: StoredDeadLetter["letter"]["object"]): string {
  if (!o) return "-";
  return `${o.kind}/${o.namespace ? `${o.namespace}/` : ""}${o.name}`;
}

function clusterLabel(c: StoredDeadLetter["letter"]["cluster"]): string {
  return c ? `${c.namespace}/${c.name}` : "-";
}

/** One row per dead letter, newest first as given; REPLAYED counts `evtctl dlq replay` runs. */
export function formatDeadLetters(
  letters: readonly StoredDeadLetter[],
  notes: ReadonlyMap<number, ReplayNote> = new Map(),
): string {
  if (letters.length === 0) return "No dead letters.\n";
  const header = ["SEQ", "TIME", "STAGE", "CODE", "CLUSTER", "OBJECT", "REPLAYED", "REASON"];
  const rows = letters.map((d) => [
    String(d.seq),
    d.letter.at ?? d.time,
    d.letter.stage,
    d.letter.code,
    clusterLabel(d.letter.cluster),
    objectLabel(d.letter.object),
    notes.get(d.seq) ? String(notes.get(d.seq)!.replays) : "-",
    truncate(d.letter.reason, REASON_WIDTH),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join("\n")}\n`;
}

/** The body as text when it was stored as UTF-8 or base64 of valid UTF-8; otherwise a hex/base64 note. */
export function bodyText(l: StoredDeadLetter["letter"]): { text: string; whole: boolean } | undefined {
  if (l.body === undefined) return undefined;
  const bytes = l.bodyEncoding === "base64" ? Buffer.from(l.body, "base64") : Buffer.from(l.body, "utf8");
  const whole = l.bodyBytes === undefined || bytes.length === l.bodyBytes;
  if (l.bodyEncoding !== "base64") return { text: l.body, whole };
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), whole };
  } catch {
    return { text: `(binary, base64) ${l.body}`, whole };
  }
}

/** The full record, field by field, then headers and body. */
export function formatDeadLetter(d: StoredDeadLetter, note?: ReplayNote): string {
  const l = d.letter;
  const out: string[] = [
    `Sequence:   ${d.seq} (${d.subject}, stored ${d.time})`,
    `Stage:      ${l.stage}`,
    `Code:       ${l.code}`,
    `At:         ${l.at}`,
    `Cluster:    ${clusterLabel(l.cluster)}`,
    `Object:     ${objectLabel(l.object)}`,
  ];
  if (l.field) out.push(`Field:      ${l.field}`);
  if (l.natsSubject) out.push(`Subject:    ${l.natsSubject}`);
  out.push(
    `Origin:     ${l.origin ? `${l.origin.stream} sequence ${l.origin.seq} (${l.origin.subject})` : "- (not from an internal stream)"}`,
  );
  out.push(
    `Replayed:   ${note ? `${note.replays} time(s), last ${note.lastAt} as ${note.lastMsgId} -> ${note.target}` : "no"}`,
  );
  out.push(`Reason:     ${l.reason}`);
  const headers = Object.entries(l.headers ?? {});
  out.push(`Headers:${headers.length ? "" : "    -"}`);
  for (const [k, vs] of headers) for (const v of vs) out.push(`  ${k}: ${v}`);
  const body = bodyText(l);
  if (!body) out.push("Body:       -");
  else {
    const size = l.bodyBytes !== undefined ? `${l.bodyBytes} bytes` : "size unknown";
    out.push(`Body:       (${size}${body.whole ? "" : ", truncated"}, stored as ${l.bodyEncoding ?? "utf8"})`);
    out.push(body.text);
  }
  return `${out.join("\n")}\n`;
}
