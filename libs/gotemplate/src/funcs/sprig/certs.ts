/** sprig's certificate functions (genCA, genSelfSignedCert, genSignedCert, their *WithKey forms, buildCustomCert). */
import { createPrivateKey, generateKeyPairSync, type KeyObject, X509Certificate } from "node:crypto";
import { isIP } from "node:net";
import { FuncError, type FuncMap, type GoFunc, GoObject, goFunc, type Kind, type Value } from "../../value.js";
import { num } from "../conv.js";
import { CorruptInputError, decodeBase64 } from "../go/base.js";
import { type CertTemplate, createCertificate, issuerInfo, pem, publicKeyOf } from "../go/x509.js";
import type { SprigEnv } from "./env.js";

const S = "string";
const I = "int";
const L = "[]interface {}";
const C = "sprig.certificate";

/** sprig's certificate struct: {Cert, Key} PEM strings. */
export class SprigCertificate extends GoObject {
  readonly goType = C;
  readonly goKind: Kind = "struct";
  constructor(
    readonly cert: string,
    readonly key: string,
  ) {
    super();
  }
  format(): string {
    return `{${this.cert} ${this.key}}`;
  }
  override field(name: string): Value | undefined {
    if (name === "Cert") return this.cert;
    if (name === "Key") return this.key;
    return undefined;
  }
  goJson(): Value {
    return { Cert: this.cert, Key: this.key };
  }
  override method(): GoFunc | undefined {
    return undefined;
  }
}

function keyPem(k: KeyObject): string {
  switch (k.asymmetricKeyType) {
    case "rsa":
      return k.export({ type: "pkcs1", format: "pem" }) as string;
    case "ec":
      return k.export({ type: "sec1", format: "pem" }) as string;
    default:
      return k.export({ type: "pkcs8", format: "pem" }) as string;
  }
}

/** sprig's parsePrivateKeyPEM, on node's key parser. */
function parsePrivateKeyPEM(text: string): KeyObject {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text);
  if (!m) throw new FuncError("no PEM data in input");
  const type = m[1] as string;
  if (type !== "PRIVATE KEY" && !type.endsWith(" PRIVATE KEY")) {
    throw new FuncError(`no private key data in PEM block of type ${type}`);
  }
  try {
    return createPrivateKey({ key: text, format: "pem" });
  } catch (e) {
    const what =
      type === "PRIVATE KEY" ? "decoding PEM as PKCS#8" : `parsing ${type.slice(0, -12)} private key from PEM`;
    throw new FuncError(`${what}: ${(e as Error).message}`);
  }
}

function netIPs(ips: Value): Buffer[] {
  if (ips === null || ips === undefined) return [];
  return (ips as Value[]).map((ip) => {
    if (typeof ip !== "string") throw new FuncError(`error parsing ip: ${String(ip)} is not a string`);
    const kind = isIP(ip);
    if (kind === 4) return Buffer.from(ip.split(".").map(Number));
    if (kind === 6 && !ip.includes("%")) return ipv6Bytes(ip);
    throw new FuncError(`error parsing ip: ${ip}`);
  });
}

function ipv6Bytes(ip: string): Buffer {
  let s = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  let tail: number[] = [];
  if (v4) {
    tail = (v4[1] as string).split(".").map(Number);
    s = s.slice(0, -(v4[1] as string).length) + "0:0";
  }
  const [head, rest] = s.split("::") as [string, string | undefined];
  const h = head ? head.split(":") : [];
  const r = rest === undefined ? [] : rest ? rest.split(":") : [];
  const groups = rest === undefined ? h : [...h, ...Array(8 - h.length - r.length).fill("0"), ...r];
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => {
    b.writeUInt16BE(Number.parseInt(g, 16), i * 2);
  });
  if (tail.length === 4) Buffer.from(tail).copy(b, 12);
  // An IPv4-mapped address is written as 4 bytes, like Go's ip.To4().
  if (b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) return Buffer.from(b.subarray(12));
  return b;
}

function dnsNames(dns: Value): string[] {
  if (dns === null || dns === undefined) return [];
  return (dns as Value[]).map((d) => {
    if (typeof d !== "string") throw new FuncError(`error processing alternate dns name: ${String(d)} is not a string`);
    return d;
  });
}

export function certFuncs(env: SprigEnv): FuncMap {
  const template = (cn: Value, ips: Value, dns: Value, days: Value, isCA: boolean): CertTemplate => {
    const now = env.now().ms;
    return {
      cn: cn as string,
      ips: netIPs(ips),
      dnsNames: dnsNames(dns),
      notBefore: new Date(now),
      notAfter: new Date(now + num(days) * 86400000),
      isCA,
    };
  };
  const rsaKey = (): KeyObject => generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const withKey = (privPem: Value): KeyObject => {
    try {
      return parsePrivateKeyPEM(privPem as string);
    } catch (e) {
      if (e instanceof FuncError) throw new FuncError(`parsing private key: ${e.message}`);
      throw e;
    }
  };
  const selfSigned = (t: CertTemplate, priv: KeyObject): SprigCertificate =>
    new SprigCertificate(pem("CERTIFICATE", createCertificate(t, publicKeyOf(priv), undefined, priv)), keyPem(priv));
  const signed = (t: CertTemplate, ca: Value, priv: KeyObject): SprigCertificate => {
    if (!(ca instanceof SprigCertificate)) throw new FuncError("unable to decode certificate");
    const m = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(ca.cert);
    if (!m) throw new FuncError("unable to decode certificate");
    const der = Buffer.from((m[1] as string).replace(/\s+/g, ""), "base64");
    let issuer: ReturnType<typeof issuerInfo>;
    try {
      new X509Certificate(der);
      issuer = issuerInfo(der);
    } catch (e) {
      throw new FuncError(`error parsing certificate: decodedSignerCert.Bytes: ${(e as Error).message}`);
    }
    let signer: KeyObject;
    try {
      signer = parsePrivateKeyPEM(ca.key);
    } catch (e) {
      if (e instanceof FuncError) throw new FuncError(`error parsing private key: ${e.message}`);
      throw e;
    }
    return new SprigCertificate(
      pem("CERTIFICATE", createCertificate(t, publicKeyOf(priv), issuer, signer)),
      keyPem(priv),
    );
  };
  return {
    genCA: goFunc([S, I], (cn, days) => selfSigned(template(cn, null, null, days, true), rsaKey())),
    genCAWithKey: goFunc([S, I, S], (cn, days, k) => selfSigned(template(cn, null, null, days, true), withKey(k))),
    genSelfSignedCert: goFunc([S, L, L, I], (cn, ips, dns, days) =>
      selfSigned(template(cn, ips, dns, days, false), rsaKey()),
    ),
    genSelfSignedCertWithKey: goFunc([S, L, L, I, S], (cn, ips, dns, days, k) =>
      selfSigned(template(cn, ips, dns, days, false), withKey(k)),
    ),
    genSignedCert: goFunc([S, L, L, I, C], (cn, ips, dns, days, ca) =>
      signed(template(cn, ips, dns, days, false), ca, rsaKey()),
    ),
    genSignedCertWithKey: goFunc([S, L, L, I, C, S], (cn, ips, dns, days, ca, k) =>
      signed(template(cn, ips, dns, days, false), ca, withKey(k)),
    ),
    buildCustomCert: goFunc([S, S], (b64cert, b64key) => {
      const decode = (s: Value, what: string) => {
        try {
          return Buffer.from(decodeBase64(s as string)).toString("latin1");
        } catch (e) {
          if (e instanceof CorruptInputError) throw new FuncError(`unable to decode base64 ${what}`);
          throw e;
        }
      };
      const cert = decode(b64cert, "certificate");
      const key = decode(b64key, "private key");
      const m = /-----BEGIN [A-Z0-9 ]+-----([\s\S]*?)-----END [A-Z0-9 ]+-----/.exec(cert);
      if (!m) throw new FuncError("unable to decode certificate");
      try {
        new X509Certificate(Buffer.from((m[1] as string).replace(/\s+/g, ""), "base64"));
      } catch (e) {
        throw new FuncError(`error parsing certificate: decodedCert.Bytes: ${(e as Error).message}`);
      }
      try {
        parsePrivateKeyPEM(key);
      } catch (e) {
        if (e instanceof FuncError) throw new FuncError(`error parsing private key: ${e.message}`);
        throw e;
      }
      return new SprigCertificate(cert, key);
    }),
  };
}
