/** sprig base64/base32 helpers: decoding errors are returned as the output text, like sprig. */
import { type FuncMap, fromUtf8, goFunc } from "../../value.js";
import { CorruptInputError, decodeBase32, decodeBase64 } from "../go/base.js";

const S = "string";

function decodeOrMessage(f: () => Uint8Array): string {
  try {
    return fromUtf8(f());
  } catch (e) {
    if (e instanceof CorruptInputError) return e.message;
    throw e;
  }
}

/** RFC 4648 base32 with padding (encoding/base32 StdEncoding). */
export function encodeBase32(b: Uint8Array): string {
  const A = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let out = "";
  for (let i = 0; i < b.length; i += 5) {
    const chunk = Array.from(b.subarray(i, i + 5));
    const n = chunk.length;
    while (chunk.length < 5) chunk.push(0);
    let bits = 0n;
    for (const x of chunk) bits = (bits << 8n) | BigInt(x);
    const chars = [...Array(8)].map((_, k) => A[Number((bits >> BigInt(35 - 5 * k)) & 31n)]).join("");
    const keep = [0, 2, 4, 5, 7, 8][n] as number;
    out += chars.slice(0, keep) + "=".repeat(8 - keep);
  }
  return out;
}

export function encodingFuncs(): FuncMap {
  return {
    b64enc: goFunc([S], (s) => Buffer.from(s as string, "utf8").toString("base64")),
    b64dec: goFunc([S], (s) => decodeOrMessage(() => decodeBase64(s as string))),
    b32enc: goFunc([S], (s) => encodeBase32(Buffer.from(s as string, "utf8"))),
    b32dec: goFunc([S], (s) => decodeOrMessage(() => decodeBase32(s as string))),
  };
}
