// Rendering a templated `eventSourceName` ({{ .Cluster.metadata.labels.x }}) with the Go template engine, over
// the same data Sveltos offers there: `.Cluster`, the cluster object as a map.
import { render, type Value } from "@evtrigger/gotemplate";

/** Renders `text` with `data` (Go text/template, Sveltos' function map). Throws the engine's error. */
export type RenderFn = (name: string, text: string, data: Record<string, unknown>) => string;

export const goRender: RenderFn = (name, text, data) => render(text, data as Value, { name });

export function isTemplate(text: string): boolean {
  return text.includes("{{");
}
