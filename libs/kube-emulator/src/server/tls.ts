import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { isIP } from "node:net";

// A self-signed serving certificate, built in-process (no openssl): kubectl only sends bearer tokens over
// TLS, so the emulator serves HTTPS and puts this certificate in the kubeconfig as the CA.

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n >>= 8;
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, ...content: Buffer[]) => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
};
const seq = (...c: Buffer[]) => tlv(0x30, ...c);

function oid(s: string): Buffer {
  const arcs = s.split(".").map(Number);
  const out = [40 * arcs[0]! + arcs[1]!];
  for (const a of arcs.slice(2)) {
    const b: number[] = [a & 0x7f];
    for (let v = a >> 7; v > 0; v >>= 7) b.unshift((v & 0x7f) | 0x80);
    out.push(...b);
  }
  return tlv(0x06, Buffer.from(out));
}

/** DER INTEGER of unsigned big-endian bytes: minimal form (no leading zero bytes, which OpenSSL rejects as
 * "illegal padding"), with one zero byte added when the high bit would make it negative. */
export function derPositiveInteger(b: Buffer): Buffer {
  let start = 0;
  while (start < b.length - 1 && b[start] === 0) start++;
  const v = b.subarray(start);
  return tlv(0x02, v.length === 0 ? Buffer.from([0]) : v[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v);
}

function utcTime(d: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, "0");
  const s = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return tlv(0x17, Buffer.from(s));
}

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split(".").map(Number));
  const [head, tail] = ip.split("::");
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  return Buffer.concat(groups.map((g) => Buffer.from([parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff])));
}

export interface ServingCert {
  certPem: string;
  keyPem: string;
}

/** A P-256 self-signed CA-capable certificate for localhost, 127.0.0.1, ::1 and `host`. */
export function makeServingCert(host: string): ServingCert {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const name = seq(tlv(0x31, seq(oid("2.5.4.3"), tlv(0x0c, Buffer.from("evtrigger-kube-emulator")))));
  const sigAlg = seq(oid("1.2.840.10045.4.3.2"));
  const now = Date.now();
  const ips = new Set(["127.0.0.1", "::1"]);
  const dns = new Set(["localhost"]);
  if (isIP(host)) {
    if (host !== "0.0.0.0" && host !== "::") ips.add(host);
  } else dns.add(host);
  const san = seq(...[...dns].map((d) => tlv(0x82, Buffer.from(d))), ...[...ips].map((ip) => tlv(0x87, ipBytes(ip))));
  const ext = (id: string, critical: boolean, value: Buffer) =>
    seq(oid(id), ...(critical ? [tlv(0x01, Buffer.from([0xff]))] : []), tlv(0x04, value));
  const extensions = seq(
    ext("2.5.29.19", true, seq(tlv(0x01, Buffer.from([0xff])))),
    ext("2.5.29.15", true, tlv(0x03, Buffer.from([0x02, 0x84]))),
    ext("2.5.29.37", false, seq(oid("1.3.6.1.5.5.7.3.1"))),
    ext("2.5.29.17", false, san),
  );
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))),
    derPositiveInteger(randomBytes(16)),
    sigAlg,
    name,
    seq(utcTime(new Date(now - 3600_000)), utcTime(new Date(now + 5 * 365 * 86400_000))),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    tlv(0xa3, extensions),
  );
  const signature = sign("sha256", tbs, privateKey);
  const cert = seq(tbs, sigAlg, tlv(0x03, Buffer.from([0]), signature));
  const b64 = cert.toString("base64").replace(/(.{64})/g, "$1\n");
  return {
    certPem: `-----BEGIN CERTIFICATE-----\n${b64}${b64.endsWith("\n") ? "" : "\n"}-----END CERTIFICATE-----\n`,
    keyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}
