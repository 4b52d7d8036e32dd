// Renders the status page HTML from collected data with eta (autoEscape on: every value is HTML-escaped).
import { Eta } from "eta";
import type { StatusPageData } from "./data.js";
import { PAGE, STYLE } from "./templates.js";

const eta = new Eta({ autoEscape: true, autoTrim: [false, "nl"], cache: true, useWith: false, varName: "it" });
eta.loadTemplate("@status-page", PAGE);

export const REFRESH_SECONDS = 5;

export function renderStatusPage(data: StatusPageData, refreshSeconds = REFRESH_SECONDS): string {
  return eta.render("@status-page", { data, refreshSeconds, style: STYLE });
}
