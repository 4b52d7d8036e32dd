/** What sprig takes from its environment, injectable so tests and the applier stay deterministic and safe. */
import { randomBytes, randomInt } from "node:crypto";

export type RandKind = "alnum" | "alpha" | "ascii" | "numeric";

export interface SprigEnv {
  /** Current time in milliseconds since the epoch (plus optional sub-millisecond nanoseconds). */
  now(): { ms: number; nanos?: number };
  /** Offset in minutes east of UTC and abbreviation for "Local" (Go's time.Local). */
  localZone: string;
  /** Uniform [0,1) source for shuffle/randInt. */
  random(): number;
  randString(count: number, kind: RandKind): string;
  randBytes(count: number): Uint8Array;
  /** Environment lookup for `env`/`expandenv`; the default exposes nothing (never leak the service's env). */
  getenv(name: string): string;
  /** Upper bound for strings built by repeat, rand* and friends. */
  maxStringBytes: number;
  /** Upper bound for lists built by until, untilStep and seq. */
  maxListLength: number;
}

const ALPHA = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS = "0123456789";
const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join("");
const SETS: Record<RandKind, string> = { alnum: ALPHA + DIGITS, alpha: ALPHA, ascii: ASCII, numeric: DIGITS };

export function defaultSprigEnv(): SprigEnv {
  return {
    now: () => ({ ms: Date.now() }),
    localZone: "UTC",
    random: Math.random,
    randString(count, kind) {
      if (count <= 0) return "";
      const set = SETS[kind];
      let out = "";
      for (let i = 0; i < count; i++) out += set[randomInt(set.length)];
      return out;
    },
    randBytes: (count) => new Uint8Array(randomBytes(Math.max(count, 0))),
    getenv: () => "",
    maxStringBytes: 16 << 20,
    maxListLength: 1 << 20,
  };
}
