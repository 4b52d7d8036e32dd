import { errors } from "../errors.js";

// Just enough Kubernetes protobuf to read what kubectl's typed clients POST (kubectl create namespace /
// secret / configmap / serviceaccount send application/vnd.kubernetes.protobuf). Responses stay JSON:
// kubectl's Accept lists application/json too.

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type FieldKind = "string" | "bytes" | "int" | "bool" | Schema | { map: "string" | "bytes" };
interface FieldDef {
  name: string;
  kind: FieldKind;
  repeated?: boolean;
}
type Schema = Record<number, FieldDef>;

const TIME: Schema = { 1: { name: "seconds", kind: "int" }, 2: { name: "nanos", kind: "int" } };
const OWNER_REF: Schema = {
  1: { name: "kind", kind: "string" },
  3: { name: "name", kind: "string" },
  4: { name: "uid", kind: "string" },
  5: { name: "apiVersion", kind: "string" },
  6: { name: "controller", kind: "bool" },
  7: { name: "blockOwnerDeletion", kind: "bool" },
};
const OBJECT_META: Schema = {
  1: { name: "name", kind: "string" },
  2: { name: "generateName", kind: "string" },
  3: { name: "namespace", kind: "string" },
  5: { name: "uid", kind: "string" },
  6: { name: "resourceVersion", kind: "string" },
  7: { name: "generation", kind: "int" },
  8: { name: "creationTimestamp", kind: TIME },
  11: { name: "labels", kind: { map: "string" } },
  12: { name: "annotations", kind: { map: "string" } },
  13: { name: "ownerReferences", kind: OWNER_REF, repeated: true },
  14: { name: "finalizers", kind: "string", repeated: true },
};
const OBJECT_REF: Schema = {
  1: { name: "kind", kind: "string" },
  2: { name: "namespace", kind: "string" },
  3: { name: "name", kind: "string" },
  4: { name: "uid", kind: "string" },
  5: { name: "apiVersion", kind: "string" },
};

const KINDS: Record<string, Schema> = {
  Namespace: {
    1: { name: "metadata", kind: OBJECT_META },
    2: { name: "spec", kind: { 1: { name: "finalizers", kind: "string", repeated: true } } },
  },
  Secret: {
    1: { name: "metadata", kind: OBJECT_META },
    2: { name: "data", kind: { map: "bytes" } },
    3: { name: "type", kind: "string" },
    4: { name: "stringData", kind: { map: "string" } },
    5: { name: "immutable", kind: "bool" },
  },
  ConfigMap: {
    1: { name: "metadata", kind: OBJECT_META },
    2: { name: "data", kind: { map: "string" } },
    3: { name: "binaryData", kind: { map: "bytes" } },
    4: { name: "immutable", kind: "bool" },
  },
  ServiceAccount: {
    1: { name: "metadata", kind: OBJECT_META },
    2: { name: "secrets", kind: OBJECT_REF, repeated: true },
    3: { name: "imagePullSecrets", kind: { 1: { name: "name", kind: "string" } }, repeated: true },
    4: { name: "automountServiceAccountToken", kind: "bool" },
  },
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
    else if ("map" in k) {
      const entry = decodeMessage(r.bytes(), {
        1: { name: "k", kind: "string" },
        2: { name: "v", kind: k.map as "string" },
      });
      if (out[field.name] === undefined) out[field.name] = {};
      (out[field.name] as Record<string, unknown>)[String(entry.k ?? "")] = entry.v ?? "";
      continue;
    } else v = decodeMessage(r.bytes(), k as Schema);
    if (!field.repeated) out[field.name] = v;
    else if (Array.isArray(out[field.name])) (out[field.name] as unknown[]).push(v);
    else out[field.name] = [v];
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
  // creationTimestamp is never meaningful on a write; drop it rather than convert Time.
  const meta = (obj.metadata ?? {}) as Record<string, unknown>;
  delete meta.creationTimestamp;
  return { apiVersion: tm.apiVersion, kind: tm.kind, ...obj, metadata: meta };
}
