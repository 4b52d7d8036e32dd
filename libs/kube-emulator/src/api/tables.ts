import { isPlainObject, type KubeObject, type ResourceType } from "./types.js";

// Server-side printing: the meta.k8s.io/v1 Table kubectl asks for with `Accept: ...;as=Table`.

interface Column {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  cell: (o: KubeObject) => unknown;
}

export function humanAge(from: string | undefined, now = Date.now()): string {
  if (!from) return "<unknown>";
  const s = Math.max(0, Math.floor((now - Date.parse(from)) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ""}`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

/** `.a.b` / `.a[0].b` style jsonPath, the subset additionalPrinterColumns use. */
function jsonPathGet(o: unknown, path: string): unknown {
  const parts = path
    .replace(/^\{?\.?/, "")
    .replace(/\}$/, "")
    .split(/\.|\[(\d+)\]/)
    .filter((p) => p);
  let cur: unknown = o;
  for (const p of parts) {
    if (Array.isArray(cur)) cur = cur[Number(p)];
    else if (isPlainObject(cur)) cur = cur[p];
    else return undefined;
  }
  return cur;
}

const spec = (o: KubeObject) => (isPlainObject(o.spec) ? o.spec : {}) as Record<string, unknown>;
const status = (o: KubeObject) => (isPlainObject(o.status) ? o.status : {}) as Record<string, unknown>;
const count = (v: unknown) => (isPlainObject(v) ? Object.keys(v).length : 0);

const NAME: Column = { name: "Name", type: "string", format: "name", cell: (o) => o.metadata.name };
const AGE: Column = { name: "Age", type: "string", cell: (o) => humanAge(o.metadata.creationTimestamp) };

function columns(t: ResourceType): Column[] {
  switch (t.kind) {
    case "Namespace":
      return [NAME, { name: "Status", type: "string", cell: (o) => status(o).phase ?? "" }, AGE];
    case "ConfigMap":
      return [NAME, { name: "Data", type: "integer", cell: (o) => count(o.data) + count(o.binaryData) }, AGE];
    case "Secret":
      return [
        NAME,
        { name: "Type", type: "string", cell: (o) => o.type ?? "" },
        { name: "Data", type: "integer", cell: (o) => count(o.data) },
        AGE,
      ];
    case "Deployment":
      return [
        NAME,
        { name: "Ready", type: "string", cell: (o) => `${status(o).readyReplicas ?? 0}/${spec(o).replicas ?? 0}` },
        { name: "Up-to-date", type: "integer", cell: (o) => status(o).updatedReplicas ?? 0 },
        { name: "Available", type: "integer", cell: (o) => status(o).availableReplicas ?? 0 },
        AGE,
      ];
    case "Service":
      return [
        NAME,
        { name: "Type", type: "string", cell: (o) => spec(o).type ?? "" },
        { name: "Cluster-IP", type: "string", cell: (o) => spec(o).clusterIP ?? "<none>" },
        { name: "External-IP", type: "string", cell: () => "<none>" },
        {
          name: "Port(s)",
          type: "string",
          cell: (o) =>
            ((spec(o).ports ?? []) as Record<string, unknown>[])
              .map((p) => `${p.port}/${p.protocol ?? "TCP"}`)
              .join(",") || "<none>",
        },
        AGE,
      ];
    case "Pod":
      return [
        NAME,
        {
          name: "Ready",
          type: "string",
          cell: (o) => `0/${Array.isArray(spec(o).containers) ? (spec(o).containers as unknown[]).length : 0}`,
        },
        { name: "Status", type: "string", cell: (o) => status(o).phase ?? "Pending" },
        { name: "Restarts", type: "string", cell: () => "0" },
        AGE,
      ];
    case "CustomResourceDefinition":
      return [NAME, { name: "Created At", type: "date", cell: (o) => o.metadata.creationTimestamp }];
  }
  if (t.printerColumns?.length) {
    return [
      NAME,
      ...t.printerColumns.map((c) => ({
        name: c.name,
        type: c.type,
        description: c.description,
        priority: c.priority,
        cell: (o: KubeObject) => {
          const v = jsonPathGet(o, c.jsonPath);
          return c.type === "date" && typeof v === "string" ? humanAge(v) : (v ?? "");
        },
      })),
      ...(t.printerColumns.some((c) => c.name.toLowerCase() === "age") ? [] : [AGE]),
    ];
  }
  return [NAME, AGE];
}

export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept);
}

function rowObject(o: KubeObject, include: string | null): unknown {
  if (include === "None") return undefined;
  if (include === "Object") return o;
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata };
}

export function toTable(
  t: ResourceType,
  items: KubeObject[],
  meta: Record<string, unknown>,
  includeObject: string | null,
  withColumns = true,
): Record<string, unknown> {
  const cols = columns(t);
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: meta,
    columnDefinitions: withColumns
      ? cols.map((c) => ({
          name: c.name,
          type: c.type,
          format: c.format ?? "",
          description: c.description ?? c.name,
          priority: c.priority ?? 0,
        }))
      : [],
    rows: items.map((o) => {
      const row: Record<string, unknown> = { cells: cols.map((c) => c.cell(o)) };
      const obj = rowObject(o, includeObject);
      if (obj) row.object = obj;
      return row;
    }),
  };
}
