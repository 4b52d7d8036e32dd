import { errors } from "../errors.js";

// Just enough Kubernetes protobuf to read what kubectl's typed clients POST: `kubectl create namespace |
// secret | configmap | serviceaccount | service | deployment | role | rolebinding | clusterrole |
// clusterrolebinding` send application/vnd.kubernetes.protobuf. Only the fields those generators set are
// decoded (field numbers from k8s.io/api generated.proto); others are skipped. Responses stay JSON:
// kubectl's Accept lists application/json too.

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type FieldKind = "string" | "bytes" | "int" | "bool" | "intOrString" | Schema | { map: "string" | "bytes" };
interface FieldDef {
  name: string;
  kind: FieldKind;
  repeated?: boolean;
  /** A pointer field in Go: present on the wire only when set, so a zero value is meaningful. */
  keep?: boolean;
}
type Schema = { [field: number]: FieldDef };

const str = (name: string): FieldDef => ({ name, kind: "string" });
const strs = (name: string): FieldDef => ({ name, kind: "string", repeated: true });
const int = (name: string, keep = false): FieldDef => ({ name, kind: "int", keep });
const msg = (name: string, kind: Schema, repeated = false): FieldDef => ({ name, kind, repeated });
const strMap = (name: string): FieldDef => ({ name, kind: { map: "string" } });

const OWNER_REF: Schema = { 1: str("kind"), 3: str("name"), 4: str("uid"), 5: str("apiVersion") };
const OBJECT_META: Schema = {
  1: str("name"),
  2: str("generateName"),
  3: str("namespace"),
  11: strMap("labels"),
  12: strMap("annotations"),
  13: msg("ownerReferences", OWNER_REF, true),
  14: strs("finalizers"),
};
const OBJECT_REF: Schema = { 1: str("kind"), 2: str("namespace"), 3: str("name"), 4: str("uid"), 5: str("apiVersion") };
const LABEL_SELECTOR: Schema = {
  1: strMap("matchLabels"),
  2: msg("matchExpressions", { 1: str("key"), 2: str("operator"), 3: strs("values") }, true),
};
const CONTAINER: Schema = {
  1: str("name"),
  2: str("image"),
  3: strs("command"),
  4: strs("args"),
  5: str("workingDir"),
  6: msg(
    "ports",
    { 1: str("name"), 2: int("hostPort"), 3: int("containerPort"), 4: str("protocol"), 5: str("hostIP") },
    true,
  ),
  7: msg("env", { 1: str("name"), 2: str("value") }, true),
  13: str("terminationMessagePath"),
  14: str("imagePullPolicy"),
  20: str("terminationMessagePolicy"),
};
const POD_TEMPLATE: Schema = {
  1: msg("metadata", OBJECT_META),
  2: msg("spec", {
    2: msg("containers", CONTAINER, true),
    3: str("restartPolicy"),
    6: str("dnsPolicy"),
    7: strMap("nodeSelector"),
    8: str("serviceAccountName"),
    20: msg("initContainers", CONTAINER, true),
  }),
};
const POLICY_RULE: Schema = {
  1: strs("verbs"),
  2: strs("apiGroups"),
  3: strs("resources"),
  4: strs("resourceNames"),
  5: strs("nonResourceURLs"),
};
const SUBJECT: Schema = { 1: str("kind"), 2: str("apiGroup"), 3: str("name"), 4: str("namespace") };
const ROLE_REF: Schema = { 1: str("apiGroup"), 2: str("kind"), 3: str("name") };
const META = msg("metadata", OBJECT_META);

const KINDS: Record<string, Schema> = {
  Namespace: { 1: META, 2: msg("spec", { 1: strs("finalizers") }) },
  Secret: {
    1: META,
    2: { name: "data", kind: { map: "bytes" } },
    3: str("type"),
    4: strMap("stringData"),
    5: { name: "immutable", kind: "bool", keep: true },
  },
  ConfigMap: {
    1: META,
    2: strMap("data"),
    3: { name: "binaryData", kind: { map: "bytes" } },
    4: { name: "immutable", kind: "bool", keep: true },
  },
  ServiceAccount: {
    1: META,
    2: msg("secrets", OBJECT_REF, true),
    3: msg("imagePullSecrets", { 1: str("name") }, true),
    4: { name: "automountServiceAccountToken", kind: "bool", keep: true },
  },
  Service: {
    1: META,
    2: msg("spec", {
      1: msg(
        "ports",
        {
          1: str("name"),
          2: str("protocol"),
          3: int("port"),
          4: { name: "targetPort", kind: "intOrString" },
          5: int("nodePort"),
        },
        true,
      ),
      2: strMap("selector"),
      3: str("clusterIP"),
      4: str("type"),
      7: str("sessionAffinity"),
    }),
  },
  Deployment: {
    1: META,
    2: msg("spec", {
      1: int("replicas", true),
      2: msg("selector", LABEL_SELECTOR),
      3: msg("template", POD_TEMPLATE),
      4: msg("strategy", { 1: str("type") }),
      5: int("minReadySeconds"),
      6: int("revisionHistoryLimit", true),
      9: int("progressDeadlineSeconds", true),
    }),
  },
  Pod: { 1: META, 2: msg("spec", POD_TEMPLATE[2]!.kind as Schema) },
  Role: { 1: META, 2: msg("rules", POLICY_RULE, true) },
  ClusterRole: { 1: META, 2: msg("rules", POLICY_RULE, true) },
  RoleBinding: { 1: META, 2: msg("subjects", SUBJECT, true), 3: msg("roleRef", ROLE_REF) },
  ClusterRoleBinding: { 1: META, 2: msg("subjects", SUBJECT, true), 3: msg("roleRef", ROLE_REF) },
};

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  varint(): number {
    let result = 0;
    let mul = 1;
    for (;;) {
      if (this.pos >= this.buf.length) throw errors.badRequest("protobuf: truncated varint");
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * mul;
      if (!(b & 0x80)) return result;
      mul *= 128;
    }
  }
  bytes(): Buffer {
    const n = this.varint();
    if (this.pos + n > this.buf.length) throw errors.badRequest("protobuf: truncated field");
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 2) this.bytes();
    else if (wire === 1) this.pos += 8;
    else if (wire === 5) this.pos += 4;
    else throw errors.badRequest(`protobuf: unsupported wire type ${wire}`);
  }
}

const INT_OR_STRING: Schema = { 1: int("type", true), 2: int("intVal", true), 3: str("strVal") };

/** Go's encoder writes every non-pointer field, zero or not; JSON would omit them (omitempty). */
function isZero(v: unknown): boolean {
  return v === "" || v === 0 || v === false || (typeof v === "object" && v !== null && Object.keys(v).length === 0);
}

function decodeMessage(buf: Buffer, schema: Schema): Record<string, unknown> {
  const r = new Reader(buf);
  const out: Record<string, unknown> = {};
  while (r.pos < buf.length) {
    const tag = r.varint();
    const field = schema[Math.floor(tag / 8)];
    const wire = tag & 7;
    if (!field) {
      r.skip(wire);
      continue;
    }
    let v: unknown;
    const k = field.kind;
    if (k === "int") v = r.varint();
    else if (k === "bool") v = r.varint() !== 0;
    else if (k === "string") v = r.bytes().toString("utf8");
    else if (k === "bytes") v = r.bytes().toString("base64");
    else if (k === "intOrString") {
      const ios = decodeMessage(r.bytes(), INT_OR_STRING);
      v = ios.type === 1 ? (ios.strVal ?? "") : (ios.intVal ?? 0);
    } else if ("map" in k) {
      const entry = decodeMessage(r.bytes(), { 1: str("k"), 2: { name: "v", kind: k.map } });
      if (out[field.name] === undefined) out[field.name] = {};
      (out[field.name] as Record<string, unknown>)[String(entry.k ?? "")] = entry.v ?? "";
      continue;
    } else v = decodeMessage(r.bytes(), k as Schema);
    // Elements of repeated fields are kept as they are ("" in apiGroups means the core group).
    if (field.repeated) {
      if (Array.isArray(out[field.name])) (out[field.name] as unknown[]).push(v);
      else out[field.name] = [v];
    } else if (field.keep || !isZero(v)) out[field.name] = v;
  }
  return out;
}

export function isProtobuf(body: Buffer, contentType: string | undefined): boolean {
  return !!contentType?.includes("protobuf") || (body.length >= 4 && body.subarray(0, 4).equals(MAGIC));
}

/** Decodes a `k8s\0`-framed runtime.Unknown holding one of the kinds above into its JSON form. */
export function decodeK8sProtobuf(body: Buffer): Record<string, unknown> {
  if (!body.subarray(0, 4).equals(MAGIC)) throw errors.badRequest("protobuf: missing k8s envelope");
  const unknown = decodeMessage(body.subarray(4), {
    1: { name: "typeMeta", kind: { 1: { name: "apiVersion", kind: "string" }, 2: { name: "kind", kind: "string" } } },
    2: { name: "raw", kind: "bytes" },
  });
  const tm = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const schema = tm.kind ? KINDS[tm.kind] : undefined;
  if (!schema)
    throw errors.unsupportedMedia(`application/vnd.kubernetes.protobuf for kind ${tm.kind ?? "?"} (send JSON)`);
  const obj = decodeMessage(Buffer.from(String(unknown.raw ?? ""), "base64"), schema);
  return { apiVersion: tm.apiVersion, kind: tm.kind, ...obj, metadata: obj.metadata ?? {} };
}
