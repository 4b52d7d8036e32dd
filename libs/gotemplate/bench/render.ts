// Renders per second of the seed's templates with the Go-template engine (parse cached, as the applier
// uses it) next to equivalent precompiled eta templates measured in the same run.
import { Eta } from "eta";
import { render } from "../src/internal.js";

export interface RenderBenchRow {
  name: string;
  value: number;
  unit: string;
  baseline: number;
  baselineName: string;
  ratio: number;
  floor: number | null;
  floorOn?: "ratio" | "value";
  note?: string;
}

const ACTION = '{{if eq .CloudEvent.type "auth.example.com.logout"}}Delete{{else}}Create{{end}}';
const NAMESPACE = `kind: Namespace
apiVersion: v1
metadata:
  name: {{ .CloudEvent.subject }} # .CloudEvent is the triggering CloudEvent
  labels:
    organization: {{ ( index .CloudEvent.data \`organization\` ) }}
`;
const ETA_ACTION = '<% if (it.CloudEvent.type === "auth.example.com.logout") { %>Delete<% } else { %>Create<% } %>';
const ETA_NAMESPACE = `kind: Namespace
apiVersion: v1
metadata:
  name: <%= it.CloudEvent.subject %> # .CloudEvent is the triggering CloudEvent
  labels:
    organization: <%= it.CloudEvent.data["organization"] %>
`;

const DATA = {
  CloudEvent: {
    specversion: "1.0",
    type: "auth.example.com.login",
    source: "auth.example.com",
    id: "10001",
    subject: "mgianluc",
    datacontenttype: "application/json",
    data: { message: "User mgianluc login", organization: "acme" },
  },
  Cluster: { kind: "SveltosCluster", metadata: { name: "prod-eu", namespace: "default" } },
};

/** Calls fn in batches until `ms` elapsed; returns calls per second. */
function rate(fn: () => string, ms: number): number {
  for (let i = 0; i < 20_000; i++) fn(); // warm-up (JIT)
  let n = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 2000; i++) fn();
    n += 2000;
    now = process.hrtime.bigint();
  }
  return n / (Number(now - start) / 1e9);
}

export async function benchRender(o: { quick: boolean } = { quick: false }): Promise<RenderBenchRow[]> {
  const ms = o.quick ? 300 : 1500;
  const eta = new Eta({ autoEscape: false, autoTrim: false, useWith: false });
  const etaAction = eta.compile(ETA_ACTION);
  const etaNamespace = eta.compile(ETA_NAMESPACE);
  // Same outputs, or the comparison is meaningless.
  if (render(ACTION, DATA) !== eta.render(etaAction, DATA)) throw new Error("action outputs differ");
  if (render(NAMESPACE, DATA) !== eta.render(etaNamespace, DATA)) throw new Error("namespace outputs differ");
  const rows: RenderBenchRow[] = [];
  const row = (name: string, value: number, baseline: number, floor: number | null, note?: string): void => {
    rows.push({
      name,
      value: Math.round(value),
      unit: "renders/s",
      baseline: Math.round(baseline),
      baselineName: "eta, precompiled",
      ratio: value / baseline,
      floor,
      ...(floor !== null ? { floorOn: "value" as const } : {}),
      ...(note ? { note } : {}),
    });
  };
  const actionGo = rate(() => render(ACTION, DATA), ms);
  const actionEta = rate(() => eta.render(etaAction, DATA), ms);
  row("gotemplate: cloudEventAction (parse cached)", actionGo, actionEta, 200_000, "issue 5 target ≥ 200,000/s");
  const nsGo = rate(() => render(NAMESPACE, DATA), ms);
  const nsEta = rate(() => eta.render(etaNamespace, DATA), ms);
  row("gotemplate: seed namespace ConfigMap (parse cached)", nsGo, nsEta, null);
  return rows;
}
