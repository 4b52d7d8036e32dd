// Rendering a templated `eventSourceName` ({{ .Cluster.metadata.labels.x }}) with the Go template engine.
// The engine is loaded once at run time, like libs/config does, so the matcher keeps working (with only
// non-templated names) while @evtrigger/gotemplate is absent or not yet offering `render`.

/** Renders `text` with `data` the way Sveltos does (Go text/template, missingkey=error). */
export type RenderFn = (name: string, text: string, data: Record<string, unknown>) => string;

const ENGINE = "@evtrigger/gotemplate";

/** The engine's renderer, or undefined when it is unavailable. */
export async function loadRenderer(): Promise<RenderFn | undefined> {
  const mod = (await import(ENGINE).catch(() => undefined)) as Record<string, unknown> | undefined;
  const render = mod?.render;
  if (typeof render !== "function") return undefined;
  return (name, text, data) => String((render as (t: string, d: unknown, o: unknown) => unknown)(text, data, { name }));
}

export function isTemplate(text: string): boolean {
  return text.includes("{{");
}
