/**
 * sprig crypto.go on node:crypto: hashes, derivePassword (Master Password, scrypt), AES-CBC, private keys,
 * uuidv4, randBytes, bcrypt/htpasswd (certificates: certs.ts).
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  generateKeyPairSync,
  randomUUID,
  scryptSync,
} from "node:crypto";
import { FuncError, type FuncMap, fromUtf8, goFunc } from "../../value.js";
import { num } from "../conv.js";
import { CorruptInputError, decodeBase64 } from "../go/base.js";
import { bcryptHash } from "../go/bcrypt.js";
import { certFuncs } from "./certs.js";
import type { SprigEnv } from "./env.js";

const S = "string";
/** bcrypt.DefaultCost, as sprig uses it. */
const BCRYPT_COST = 10;

function adler32(b: Uint8Array): number {
  let a = 1;
  let s = 0;
  for (const x of b) {
    a = (a + x) % 65521;
    s = (s + a) % 65521;
  }
  return ((s << 16) | a) >>> 0;
}

const TEMPLATES: Record<string, string[]> = {
  maximum: ["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
  long: [
    "CvcvnoCvcvCvcv",
    "CvcvCvcvnoCvcv",
    "CvcvCvcvCvcvno",
    "CvccnoCvcvCvcv",
    "CvccCvcvnoCvcv",
    "CvccCvcvCvcvno",
    "CvcvnoCvccCvcv",
    "CvcvCvccnoCvcv",
    "CvcvCvccCvcvno",
    "CvcvnoCvcvCvcc",
    "CvcvCvcvnoCvcc",
    "CvcvCvcvCvccno",
    "CvccnoCvccCvcv",
    "CvccCvccnoCvcv",
    "CvccCvccCvcvno",
    "CvcvnoCvccCvcc",
    "CvcvCvccnoCvcc",
    "CvcvCvccCvccno",
    "CvccnoCvcvCvcc",
    "CvccCvcvnoCvcc",
    "CvccCvcvCvccno",
  ],
  medium: ["CvcnoCvc", "CvcCvcno"],
  short: ["Cvcn"],
  basic: ["aaanaaan", "aannaaan", "aaannaaa"],
  pin: ["nnnn"],
};

const CHARS: Record<string, string> = {
  V: "AEIOU",
  C: "BCDFGHJKLMNPQRSTVWXYZ",
  v: "aeiou",
  c: "bcdfghjklmnpqrstvwxyz",
  A: "AEIOUBCDFGHJKLMNPQRSTVWXYZ",
  a: "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
  n: "0123456789",
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
};

const SEED = "com.lyndir.masterpassword";

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

/** sprig derivePassword (Master Password algorithm). */
export function derivePassword(counter: number, type: string, password: string, user: string, site: string): string {
  const templates = TEMPLATES[type];
  if (!templates) return `cannot find password template ${type}`;
  const userB = Buffer.from(user, "utf8");
  const salt = Buffer.concat([Buffer.from(SEED), u32(userB.length), userB]);
  const key = scryptSync(Buffer.from(password, "utf8"), salt, 64, { N: 32768, r: 8, p: 2, maxmem: 256 << 20 });
  const siteB = Buffer.from(site, "utf8");
  const seed = createHmac("sha256", key)
    .update(Buffer.concat([Buffer.from(SEED), u32(siteB.length), siteB, u32(counter)]))
    .digest();
  const temp = templates[(seed[0] as number) % templates.length] as string;
  let out = "";
  for (let i = 0; i < temp.length; i++) {
    const chars = CHARS[temp[i] as string] as string;
    out += chars[(seed[i + 1] as number) % chars.length];
  }
  return out;
}

function aesKey(password: string): Buffer {
  const key = Buffer.alloc(32);
  Buffer.from(password, "utf8").copy(key, 0, 0, 32);
  return key;
}

function encryptAES(password: string, plaintext: string, env: SprigEnv): string {
  if (plaintext === "") return "";
  const iv = Buffer.from(env.randBytes(16));
  const c = createCipheriv("aes-256-cbc", aesKey(password), iv); // PKCS#7 padding, as sprig pads by hand
  return Buffer.concat([iv, c.update(Buffer.from(plaintext, "utf8")), c.final()]).toString("base64");
}

function decryptAES(password: string, crypt64: string): string {
  if (crypt64 === "") return "";
  let crypt: Uint8Array;
  try {
    crypt = decodeBase64(crypt64);
  } catch (e) {
    if (e instanceof CorruptInputError) throw new FuncError(e.message);
    throw e;
  }
  if (crypt.length < 16)
    throw new FuncError(`runtime error: slice bounds out of range [:16] with capacity ${crypt.length}`);
  const body = crypt.subarray(16);
  if (body.length % 16 !== 0) throw new FuncError("crypto/cipher: input not full blocks");
  if (body.length === 0) throw new FuncError("runtime error: index out of range [-1]");
  const d = createDecipheriv("aes-256-cbc", aesKey(password), crypt.subarray(0, 16));
  d.setAutoPadding(false);
  const plain = Buffer.concat([d.update(body), d.final()]);
  const pad = plain[plain.length - 1] as number;
  if (pad > plain.length) throw new FuncError(`runtime error: slice bounds out of range [:${plain.length - pad}]`);
  return fromUtf8(plain.subarray(0, plain.length - pad));
}

function genPrivateKey(typ: string): string {
  switch (typ) {
    case "":
    case "rsa":
      return generateKeyPairSync("rsa", { modulusLength: 4096 }).privateKey.export({
        type: "pkcs1",
        format: "pem",
      }) as string;
    case "ecdsa":
      return generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({
        type: "sec1",
        format: "pem",
      }) as string;
    case "ed25519":
      return generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }) as string;
    case "dsa":
      return "failed to generate dsa params: DSA keys are not supported by evtrigger";
    default:
      return `Unknown type ${typ}`;
  }
}

export function cryptoFuncs(env: SprigEnv): FuncMap {
  return {
    ...certFuncs(env),
    sha1sum: goFunc([S], (s) =>
      createHash("sha1")
        .update(s as string, "utf8")
        .digest("hex"),
    ),
    sha256sum: goFunc([S], (s) =>
      createHash("sha256")
        .update(s as string, "utf8")
        .digest("hex"),
    ),
    adler32sum: goFunc([S], (s) => String(adler32(Buffer.from(s as string, "utf8")))),
    derivePassword: goFunc(["uint32", S, S, S, S], (c, t, p, u, s) =>
      derivePassword(num(c), t as string, p as string, u as string, s as string),
    ),
    encryptAES: goFunc([S, S], (p, t) => encryptAES(p as string, t as string, env)),
    decryptAES: goFunc([S, S], (p, c) => decryptAES(p as string, c as string)),
    genPrivateKey: goFunc([S], (t) => genPrivateKey(t as string)),
    randBytes: goFunc(["int"], (n) => {
      const c = num(n);
      if (c < 0) throw new FuncError("runtime error: makeslice: len out of range");
      if (c > env.maxStringBytes) throw new FuncError("randBytes: count too large");
      return Buffer.from(env.randBytes(c)).toString("base64");
    }),
    uuidv4: goFunc([], () => randomUUID()),
    bcrypt: goFunc([S], (p) => bcryptHash(Buffer.from(p as string, "utf8"), env.randBytes(16), BCRYPT_COST)),
    htpasswd: goFunc([S, S], (u, p) => {
      if ((u as string).includes(":")) return `invalid username: ${u}`;
      return `${u}:${bcryptHash(Buffer.from(p as string, "utf8"), env.randBytes(16), BCRYPT_COST)}`;
    }),
  };
}
