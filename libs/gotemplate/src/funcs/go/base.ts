/** encoding/base64 and encoding/base32 StdEncoding decoders with Go's CorruptInputError offsets. */

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export class CorruptInputError extends Error {
  constructor(
    kind: string,
    readonly offset: number,
  ) {
    super(`illegal ${kind} data at input byte ${offset}`);
  }
}

const map64 = new Map(Array.from(B64, (c, i) => [c.charCodeAt(0), i]));
const map32 = new Map(Array.from(B32, (c, i) => [c.charCodeAt(0), i]));

/** base64.StdEncoding.DecodeString (newlines ignored, padding required, trailing bits ignored). */
export function decodeBase64(s: string): Uint8Array {
  const src = Buffer.from(s, "utf8");
  const out: number[] = [];
  let si = 0;
  const isNl = (b: number | undefined) => b === 0x0a || b === 0x0d;
  for (;;) {
    const dbuf = [0, 0, 0, 0];
    let dlen = 4;
    let j = 0;
    let end = false;
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return new Uint8Array(out);
        throw new CorruptInputError("base64", si - j);
      }
      const inb = src[si] as number;
      si++;
      const v = map64.get(inb);
      if (v !== undefined) {
        dbuf[j] = v;
        continue;
      }
      if (isNl(inb)) {
        j--;
        continue;
      }
      if (inb !== 0x3d) throw new CorruptInputError("base64", si - 1);
      if (j === 0 || j === 1) throw new CorruptInputError("base64", si - 1);
      if (j === 2) {
        while (si < src.length && isNl(src[si])) si++;
        if (si === src.length) throw new CorruptInputError("base64", src.length);
        if (src[si] !== 0x3d) throw new CorruptInputError("base64", si - 1);
        si++;
      }
      while (si < src.length && isNl(src[si])) si++;
      if (si < src.length) throw new CorruptInputError("base64", si);
      dlen = j;
      end = true;
      break;
    }
    const val =
      ((dbuf[0] as number) << 18) | ((dbuf[1] as number) << 12) | ((dbuf[2] as number) << 6) | (dbuf[3] as number);
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
    out.push(...bytes.slice(0, dlen - 1));
    if (end) return new Uint8Array(out);
  }
}

/** base32.StdEncoding.DecodeString. */
export function decodeBase32(s: string): Uint8Array {
  const src = Buffer.from(s.replace(/[\r\n]/g, ""), "utf8");
  const olen = src.length;
  let p = 0;
  const out: number[] = [];
  let end = false;
  while (p < src.length && !end) {
    const dbuf = new Array<number>(8).fill(0);
    let dlen = 8;
    for (let j = 0; j < 8; ) {
      if (p === src.length) throw new CorruptInputError("base32", olen - (src.length - p) - j);
      const inb = src[p] as number;
      p++;
      const remaining = src.length - p;
      if (inb === 0x3d && j >= 2 && remaining < 8) {
        if (remaining + j < 8 - 1) throw new CorruptInputError("base32", olen);
        for (let k = 0; k < 8 - 1 - j; k++) {
          if (remaining > k && src[p + k] !== 0x3d) throw new CorruptInputError("base32", olen - remaining + k - 1);
        }
        dlen = j;
        end = true;
        if (dlen === 1 || dlen === 3 || dlen === 6) throw new CorruptInputError("base32", olen - remaining - 1);
        break;
      }
      const v = map32.get(inb);
      if (v === undefined) throw new CorruptInputError("base32", olen - remaining - 1);
      dbuf[j] = v;
      j++;
    }
    const d = dbuf as [number, number, number, number, number, number, number, number];
    const b = [
      (d[0] << 3) | (d[1] >> 2),
      ((d[1] << 6) | (d[2] << 1) | (d[3] >> 4)) & 0xff,
      ((d[3] << 4) | (d[4] >> 1)) & 0xff,
      ((d[4] << 7) | (d[5] << 2) | (d[6] >> 3)) & 0xff,
      ((d[6] << 5) | d[7]) & 0xff,
    ];
    const n = [0, 0, 1, 1, 2, 3, 3, 4, 5][dlen] as number;
    out.push(...b.slice(0, n).map((x) => x & 0xff));
  }
  return new Uint8Array(out);
}
