// The `render --jsonl` contract shared by evtctl and the conformance tests: one JSON case per line,
// {"id","template","data"} in, {"id","ok":true,"output"} or {"id","ok":false,"error"} out. Each case is
// parsed with the case id as template name, as the Go oracle does.
import { TemplateError } from "./errors.js";
import { type RenderOptions, render } from "./template.js";
import type { Value } from "./value.js";

export type RenderResult = { id: string; ok: true; output: string } | { id: string; ok: false; error: string };

/** Renders one case; never throws for template problems. */
export function renderCase(c: { id: string; template: string; data: Value }, opts: RenderOptions = {}): RenderResult {
  try {
    return { id: c.id, ok: true, output: render(c.template, c.data, { ...opts, name: c.id }) };
  } catch (e) {
    if (e instanceof TemplateError) return { id: c.id, ok: false, error: e.message };
    throw e;
  }
}

/** Renders one JSONL input line to one JSONL output line (no trailing newline); "" for a blank line. */
export function renderJsonlLine(line: string, opts: RenderOptions = {}): string {
  const trimmed = line.trim();
  if (trimmed === "") return "";
  let c: { id?: unknown; template?: unknown; data?: unknown };
  try {
    c = JSON.parse(trimmed) as typeof c;
  } catch (e) {
    return JSON.stringify({ id: "?", ok: false, error: `bad case: ${(e as Error).message}` });
  }
  const id = typeof c?.id === "string" ? c.id : "?";
  if (typeof c?.template !== "string") {
    return JSON.stringify({ id, ok: false, error: 'bad case: "template" must be a string' });
  }
  return JSON.stringify(renderCase({ id, template: c.template, data: (c.data ?? null) as Value }, opts));
}
