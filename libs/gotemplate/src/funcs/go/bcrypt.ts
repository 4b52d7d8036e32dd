/**
 * bcrypt ($2a$, as golang.org/x/crypto/bcrypt.GenerateFromPassword) on a small Blowfish. Blowfish's initial
 * P-array and S-boxes are the hexadecimal digits of pi, computed once on first use instead of shipped as a
 * 4 KiB table.
 */

const WORDS = 18 + 4 * 256;

let piWords: Uint32Array | undefined;

/** The first `n` 32-bit words of pi's fractional part (Machin's formula in fixed point). */
function computePiWords(n: number): Uint32Array {
  const bits = BigInt(n * 32 + 64);
  const one = 1n << bits;
  const arctanInv = (x: bigint): bigint => {
    let sum = 0n;
    let term = one / x;
    const x2 = x * x;
    for (let k = 1n; term !== 0n; k += 2n) {
      sum += ((k - 1n) / 2n) % 2n === 0n ? term / k : -(term / k);
      term /= x2;
    }
    return sum;
  };
  const pi = 16n * arctanInv(5n) - 4n * arctanInv(239n);
  let frac = pi - 3n * one;
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    frac <<= 32n;
    out[i] = Number(frac >> bits);
    frac &= one - 1n;
  }
  return out;
}

function initialState(): Uint32Array {
  piWords ??= computePiWords(WORDS);
  return piWords.slice();
}

/** Blowfish state: P at [0, 18), S0..S3 at 18 + 256·i. encrypt() leaves its result in l and r. */
class Blowfish {
  l = 0;
  r = 0;
  constructor(readonly s: Uint32Array) {
    const i32 = new Int32Array(s.buffer, s.byteOffset, s.length);
    this.p = i32.subarray(0, 18);
    this.s0 = i32.subarray(18, 274);
    this.s1 = i32.subarray(274, 530);
    this.s2 = i32.subarray(530, 786);
    this.s3 = i32.subarray(786, 1042);
  }

  // Int32 views of the same memory: V8 keeps int32 arithmetic unboxed.
  private readonly p: Int32Array;
  private readonly s0: Int32Array;
  private readonly s1: Int32Array;
  private readonly s2: Int32Array;
  private readonly s3: Int32Array;

  encrypt(l0: number, r0: number): void {
    const { p, s0, s1, s2, s3 } = this;
    // int32 arithmetic; typed-array stores wrap to uint32.
    let l = l0 ^ (p[0] as number);
    let r = r0;
    for (let i = 1; i <= 16; i += 2) {
      r ^=
        (((((s0[l >>> 24] as number) + (s1[(l >>> 16) & 0xff] as number)) | 0) ^ (s2[(l >>> 8) & 0xff] as number)) +
          (s3[l & 0xff] as number)) ^
        (p[i] as number);
      l ^=
        (((((s0[r >>> 24] as number) + (s1[(r >>> 16) & 0xff] as number)) | 0) ^ (s2[(r >>> 8) & 0xff] as number)) +
          (s3[r & 0xff] as number)) ^
        (p[i + 1] as number);
    }
    this.l = (r ^ (p[17] as number)) >>> 0;
    this.r = l >>> 0;
  }

  /** ExpandKey (salt undefined) or expandKeyWithSalt: key bytes cycle into P, then chained encryptions refill. */
  expand(key: Uint8Array, salt?: Uint8Array): void {
    const s = this.s;
    let kj = 0;
    for (let i = 0; i < 18; i++) {
      let w = 0;
      for (let k = 0; k < 4; k++) {
        w = ((w << 8) | (key[kj] as number)) >>> 0;
        kj = kj + 1 === key.length ? 0 : kj + 1;
      }
      s[i] = ((s[i] as number) ^ w) >>> 0;
    }
    let sj = 0;
    const nextSalt = (b: Uint8Array): number => {
      let w = 0;
      for (let k = 0; k < 4; k++) {
        w = ((w << 8) | (b[sj] as number)) >>> 0;
        sj = sj + 1 === b.length ? 0 : sj + 1;
      }
      return w;
    };
    let l = 0;
    let r = 0;
    for (let i = 0; i < WORDS; i += 2) {
      if (salt) {
        l = (l ^ nextSalt(salt)) >>> 0;
        r = (r ^ nextSalt(salt)) >>> 0;
      }
      this.encrypt(l, r);
      l = this.l;
      r = this.r;
      s[i] = l;
      s[i + 1] = r;
    }
  }
}

const ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** bcrypt's base64 (its own alphabet, no padding). */
function bcryptBase64(b: Uint8Array): string {
  const std = Buffer.from(b).toString("base64").replace(/=+$/, "");
  const from = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  let out = "";
  for (const c of std) out += ALPHABET[from.indexOf(c)];
  return out;
}

const MAGIC = Buffer.from("OrpheanBeholderScryDoubt");

/** bcrypt hash of password with a 16-byte salt and cost (4..31), "$2a$" form. */
export function bcryptHash(password: Uint8Array, salt: Uint8Array, cost: number): string {
  const key = new Uint8Array(password.length + 1); // C bcrypt includes the trailing NUL
  key.set(password);
  const bf = new Blowfish(initialState());
  bf.expand(key, salt);
  const rounds = 2 ** cost;
  for (let i = 0; i < rounds; i++) {
    bf.expand(key);
    bf.expand(salt);
  }
  const words = new Uint32Array(6);
  for (let i = 0; i < 6; i++) words[i] = MAGIC.readUInt32BE(i * 4);
  for (let i = 0; i < 24; i += 8) {
    let l = words[i / 4] as number;
    let r = words[i / 4 + 1] as number;
    for (let k = 0; k < 64; k++) {
      bf.encrypt(l, r);
      l = bf.l;
      r = bf.r;
    }
    words[i / 4] = l;
    words[i / 4 + 1] = r;
  }
  const out = Buffer.alloc(24);
  for (let i = 0; i < 6; i++) out.writeUInt32BE(words[i] as number, i * 4);
  return `$2a$${String(cost).padStart(2, "0")}$${bcryptBase64(salt)}${bcryptBase64(out.subarray(0, 23))}`;
}
