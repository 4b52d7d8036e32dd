// The production template engine: libs/gotemplate (Go text/template + sprig + Sveltos functions).
import { render, type Value } from "@evtrigger/gotemplate";
import type { TemplateRender } from "../deps.js";

export const goRender: TemplateRender = (text, data, opts) =>
  // Template data is plain JSON (CloudEvent + cluster object), which the engine reads as Go maps.
  render(text, data as Value, { name: opts.name, funcs: opts.funcs ?? "default" });
