/**
 * The part of Go's crypto/x509.CreateCertificate that sprig's certificate functions use, on node:crypto:
 * a v3 certificate with CN subject, KeyUsage, ExtKeyUsage(server+client), BasicConstraints, SKI/AKI and
 * SANs, signed SHA-256 with RSA (PKCS#1 v1.5), ECDSA or Ed25519, in the same extension order as Go.
 */
import { createHash, createPublicKey, type KeyObject, randomBytes, sign } from "node:crypto";

// ---- DER ----

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
};
const seq = (...c: Buffer[]) => tlv(0x30, ...c);
const set = (...c: Buffer[]) => tlv(0x31, ...c);
const explicit = (n: number, ...c: Buffer[]) => tlv(0xa0 + n, ...c);

function integer(v: bigint): Buffer {
  let hex = v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let b = Buffer.from(hex, "hex");
  if ((b[0] as number) & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

function oid(s: string): Buffer {
  const parts = s.split(".").map(Number);
  const out = [40 * (parts[0] as number) + (parts[1] as number)];
  for (const p of parts.slice(2)) {
    const enc = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) enc.unshift((v & 0x7f) | 0x80);
    out.push(...enc);
  }
  return tlv(0x06, Buffer.from(out));
}

const NULL = Buffer.from([0x05, 0x00]);
const bool = (b: boolean) => tlv(0x01, Buffer.from([b ? 0xff : 0]));
const octets = (b: Buffer) => tlv(0x04, b);
const bitString = (b: Buffer, unused = 0) => tlv(0x03, Buffer.from([unused]), b);

/** Go's asn1 string choice: PrintableString when every character allows it, else UTF8String. */
function dirString(s: string): Buffer {
  const printable = /^[A-Za-z0-9 '()+,\-./:=?*&]*$/.test(s);
  return tlv(printable ? 0x13 : 0x0c, Buffer.from(s, "utf8"));
}

function time(d: Date): Buffer {
  const y = d.getUTCFullYear();
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const rest = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  if (y >= 1950 && y < 2050) return tlv(0x17, Buffer.from(`${p(y % 100)}${rest}`));
  return tlv(0x18, Buffer.from(`${p(y, 4)}${rest}`));
}

// ---- reading a parent certificate (its raw subject and key id, as Go's parsed Certificate keeps them) ----

interface Tlv {
  tag: number;
  start: number; // content start
  end: number; // content end
  headerStart: number;
}

function readTlv(b: Buffer, at: number): Tlv {
  const tag = b[at] as number;
  let i = at + 1;
  let n = b[i] as number;
  i++;
  if (n & 0x80) {
    const k = n & 0x7f;
    n = 0;
    for (let j = 0; j < k; j++) n = n * 256 + (b[i + j] as number);
    i += k;
  }
  if (i + n > b.length) throw new Error("x509: malformed certificate");
  return { tag, start: i, end: i + n, headerStart: at };
}

function children(b: Buffer, t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = t.start; at < t.end; ) {
    const c = readTlv(b, at);
    out.push(c);
    at = c.end;
  }
  return out;
}

export interface IssuerInfo {
  /** DER of the parent's subject Name. */
  subject: Buffer;
  subjectKeyId?: Buffer;
}

/** The subject and subjectKeyIdentifier of a DER certificate. */
export function issuerInfo(der: Buffer): IssuerInfo {
  const cert = readTlv(der, 0);
  const tbs = children(der, cert)[0];
  if (!tbs) throw new Error("x509: malformed certificate");
  const fields = children(der, tbs);
  const off = fields[0]?.tag === 0xa0 ? 1 : 0; // optional [0] version
  const subj = fields[off + 4];
  if (!subj) throw new Error("x509: malformed certificate");
  const info: IssuerInfo = { subject: der.subarray(subj.headerStart, subj.end) };
  const extsWrap = fields.find((f) => f.tag === 0xa3);
  if (extsWrap) {
    const exts = children(der, extsWrap)[0];
    for (const e of exts ? children(der, exts) : []) {
      const parts = children(der, e);
      const id = parts[0];
      if (id && der.subarray(id.start, id.end).equals(Buffer.from([0x55, 0x1d, 0x0e]))) {
        const value = parts[parts.length - 1] as Tlv;
        const inner = readTlv(der, value.start);
        info.subjectKeyId = Buffer.from(der.subarray(inner.start, inner.end));
      }
    }
  }
  return info;
}

// ---- certificate ----

export interface CertTemplate {
  cn: string;
  ips: Buffer[];
  dnsNames: string[];
  notBefore: Date;
  notAfter: Date;
  isCA: boolean;
}

const name = (cn: string) => seq(set(seq(oid("2.5.4.3"), dirString(cn))));

function signatureAlgorithm(key: KeyObject): { alg: Buffer; hash: string | null } {
  switch (key.asymmetricKeyType) {
    case "rsa":
      return { alg: seq(oid("1.2.840.113549.1.1.11"), NULL), hash: "sha256" };
    case "ec": {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve === "secp384r1") return { alg: seq(oid("1.2.840.10045.4.3.3")), hash: "sha384" };
      if (curve === "secp521r1") return { alg: seq(oid("1.2.840.10045.4.3.4")), hash: "sha512" };
      return { alg: seq(oid("1.2.840.10045.4.3.2")), hash: "sha256" };
    }
    case "ed25519":
      return { alg: seq(oid("1.3.101.112")), hash: null };
    default:
      throw new Error(`x509: unsupported signing key type ${key.asymmetricKeyType}`);
  }
}

/** subjectPublicKey bits of an SPKI (for Go's SubjectKeyId: SHA-1 of them). */
function publicKeyBits(spki: Buffer): Buffer {
  // SEQUENCE { AlgorithmIdentifier, BIT STRING } → skip headers by walking the DER.
  const skipHeader = (b: Buffer, at: number): [number, number] => {
    let i = at + 1;
    let n = b[i] as number;
    i++;
    if (n & 0x80) {
      const k = n & 0x7f;
      n = 0;
      for (let j = 0; j < k; j++) n = n * 256 + (b[i + j] as number);
      i += k;
    }
    return [i, n];
  };
  const [outer] = skipHeader(spki, 0);
  const [algBody, algLen] = skipHeader(spki, outer);
  const [bitBody, bitLen] = skipHeader(spki, algBody + algLen);
  return spki.subarray(bitBody + 1, bitBody + bitLen);
}

export const subjectKeyId = (pub: KeyObject): Buffer =>
  createHash("sha1")
    .update(publicKeyBits(pub.export({ type: "spki", format: "der" }) as Buffer))
    .digest();

/**
 * x509.CreateCertificate(template, parent, pub, signer): `issuer` is the parent's CN and key id (undefined
 * for a self-signed certificate). Returns the DER bytes.
 */
export function createCertificate(
  t: CertTemplate,
  subjectPub: KeyObject,
  issuer: IssuerInfo | undefined,
  signer: KeyObject,
): Buffer {
  const serial = BigInt(`0x${randomBytes(16).toString("hex")}`);
  const { alg, hash } = signatureAlgorithm(signer);
  const subjectName = name(t.cn);
  const issuerName = issuer ? issuer.subject : subjectName;
  const exts: Buffer[] = [];
  const ext = (id: string, critical: boolean, value: Buffer) =>
    exts.push(critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value)));
  // KeyUsage: digitalSignature | keyEncipherment (| certSign for a CA), bits reversed as Go writes them.
  ext("2.5.29.15", true, t.isCA ? bitString(Buffer.from([0xa4]), 2) : bitString(Buffer.from([0xa0]), 5));
  ext("2.5.29.37", false, seq(oid("1.3.6.1.5.5.7.3.1"), oid("1.3.6.1.5.5.7.3.2")));
  ext("2.5.29.19", true, t.isCA ? seq(bool(true)) : seq());
  const ski = t.isCA ? subjectKeyId(subjectPub) : undefined;
  if (ski) ext("2.5.29.14", false, octets(ski));
  const sameName = issuerName.equals(subjectName);
  if (issuer?.subjectKeyId && issuer.subjectKeyId.length > 0 && !sameName) {
    ext("2.5.29.35", false, seq(tlv(0x80, issuer.subjectKeyId)));
  }
  if (t.dnsNames.length > 0 || t.ips.length > 0) {
    const names = [...t.dnsNames.map((d) => tlv(0x82, Buffer.from(d, "utf8"))), ...t.ips.map((ip) => tlv(0x87, ip))];
    ext("2.5.29.17", false, seq(...names));
  }
  const tbs = seq(
    explicit(0, integer(2n)),
    integer(serial),
    alg,
    issuerName,
    seq(time(t.notBefore), time(t.notAfter)),
    subjectName,
    subjectPub.export({ type: "spki", format: "der" }) as Buffer,
    explicit(3, seq(...exts)),
  );
  const signature = sign(hash, tbs, signer);
  return seq(tbs, alg, bitString(signature));
}

export function pem(type: string, der: Buffer): string {
  const b64 = der.toString("base64").replace(/.{64}/g, "$&\n");
  return `-----BEGIN ${type}-----\n${b64}${b64.endsWith("\n") ? "" : "\n"}-----END ${type}-----\n`;
}

export const publicKeyOf = (priv: KeyObject): KeyObject => createPublicKey(priv);
