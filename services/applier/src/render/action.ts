// cloudEventAction: a literal or a Go template over {CloudEvent, Cluster}; only Create and Delete are valid.
import type { TemplateRender } from "../deps.js";
import { ApplierError } from "../errors.js";
import type { CloudEventAction } from "../inventory/entry.js";

export function renderAction(
  trigger: string,
  template: string | undefined,
  data: Record<string, unknown>,
  render: TemplateRender,
): CloudEventAction {
  const object = { kind: "EventTrigger", name: trigger };
  const field = "spec.cloudEventAction";
  const text = template ?? "";
  if (text.trim() === "") return "Create"; // CRD default
  let out: string;
  try {
    out = text.includes("{{") ? render(text, data, { name: `${trigger}.${field}`, funcs: "default" }) : text;
  } catch (err) {
    throw new ApplierError(
      "EVT_APPLIER_TEMPLATE",
      `EventTrigger ${trigger}: ${field} is not a valid template: ${err instanceof Error ? err.message : String(err)}` +
        (/'/.test(text) ? " (Go templates quote strings with \"...\" or `...`, not '...')" : ""),
      { terminal: true, cause: err, object, field },
    );
  }
  const action = out.trim();
  if (action === "Create" || action === "Delete") return action;
  throw new ApplierError(
    "EVT_APPLIER_ACTION",
    `EventTrigger ${trigger}: ${field} rendered to ${JSON.stringify(action)} for this event; possible actions are Create and Delete`,
    { terminal: true, object, field },
  );
}
