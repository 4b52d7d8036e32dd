// A deterministic generator of hostile gateway inputs. Every case is built to be refused exactly once (one dead
// letter), so "letters = cases" is the check that nothing was silently dropped or accepted. Every case is unique:
// byte-identical messages are one message to the gateway (content-hash dedup).

export interface FuzzCase {
  kind: string;
  headers?: Record<string, string>;
  body: Uint8Array;
}

const enc = new TextEncoder();
const bytes = (s: string) => enc.encode(s);

const valid = (i: number) => ({
  specversion: "1.0",
  type: "auth.example.com.login",
  source: "auth.example.com",
  id: `fuzz-${i}`,
  subject: `user${i}`,
  data: { message: "hi" },
});

/** xorshift32: the same cases on every run. */
function prng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const CONTROLS = ["\u0000", "\n", "\r", "\u001b", "\u007f", "\u0085", "\t"];
const REQUIRED = ["specversion", "id", "source", "type"] as const;

type Gen = (i: number, r: () => number) => FuzzCase;

const generators: Array<[string, Gen]> = [
  [
    "truncated JSON",
    (i, r) => {
      // The id first, so every truncation is a distinct message.
      const { id, ...rest } = valid(i);
      const t = JSON.stringify({ id, ...rest });
      const from = t.indexOf(",") + 1;
      return { kind: "truncated JSON", body: bytes(t.slice(0, from + Math.floor(r() * (t.length - from - 1)))) };
    },
  ],
  [
    "invalid UTF-8",
    (i, r) => {
      const t = bytes(JSON.stringify(valid(i)));
      const out = new Uint8Array(t.length + 2);
      const at = 1 + Math.floor(r() * (t.length - 2));
      out.set(t.subarray(0, at), 0);
      out.set([0xff, r() < 0.5 ? 0xfe : 0xc3], at);
      out.set(t.subarray(at), at + 2);
      return { kind: "invalid UTF-8", body: out };
    },
  ],
  [
    "deep nesting",
    (i, r) => {
      const depth = 70 + Math.floor(r() * 20_000);
      const open = r() < 0.5 ? "[" : '{"a":';
      const close = open === "[" ? "]" : "}";
      const nested = `${open.repeat(depth)}1${close.repeat(depth)}`;
      const t = JSON.stringify(valid(i)).replace('{"message":"hi"}', nested);
      return { kind: "deep nesting", body: bytes(t) };
    },
  ],
  [
    "missing attribute",
    (i, r) => {
      const e: Record<string, unknown> = valid(i);
      delete e[REQUIRED[Math.floor(r() * REQUIRED.length)]!];
      return { kind: "missing attribute", body: bytes(JSON.stringify(e)) };
    },
  ],
  [
    "wrong attribute",
    (i, r) => {
      const e: Record<string, unknown> = valid(i);
      const wrong: Array<[string, unknown]> = [
        ["specversion", "2.0"],
        ["specversion", 1],
        ["id", ""],
        ["id", 42],
        ["source", ""],
        ["type", { nested: true }],
        ["time", "yesterday"],
        ["subject", ["a"]],
        ["data_base64", "!!!not base64"],
        ["datacontenttype", 7],
      ];
      const [k, v] = wrong[Math.floor(r() * wrong.length)]!;
      e[k] = v;
      return { kind: "wrong attribute", body: bytes(JSON.stringify(e)) };
    },
  ],
  [
    "control character",
    (i, r) => {
      const e: Record<string, unknown> = valid(i);
      const attr = (["id", "source", "type", "subject"] as const)[Math.floor(r() * 4)]!;
      const c = CONTROLS[Math.floor(r() * CONTROLS.length)]!;
      e[attr] = `${e[attr]}${c}---\nkind: ClusterRoleBinding`;
      return { kind: "control character", body: bytes(JSON.stringify(e)) };
    },
  ],
  [
    "garbage binary headers",
    (i, r) => {
      const h: Record<string, string> = {
        "ce-specversion": "1.0",
        "ce-id": `fuzz-${i}`,
        "ce-source": "auth.example.com",
        "ce-type": "auth.example.com.login",
      };
      const variant = Math.floor(r() * 6);
      if (variant === 0) h["ce-specversion"] = "garbage\u0001";
      else if (variant === 1) delete h["ce-id"];
      else if (variant === 2) h["ce-time"] = "not a time";
      else if (variant === 3) h["ce-source"] = "";
      else if (variant === 4) h["ce-type"] = "a\u0007b";
      else h["content-type"] = "application/json";
      // The last variant has valid headers but a body that is not the JSON its content type claims.
      const body = variant === 5 ? bytes(`{"broken-${i}": `) : bytes(`payload-${i}`);
      return { kind: "garbage binary headers", headers: h, body };
    },
  ],
  [
    "not a CloudEvent",
    (i, r) => {
      const values = [
        `${i}`,
        `"string-${i}"`,
        `[null, ${i}]`,
        `[true, ${i}]`,
        `[{"specversion":"1.0","n":${i}}]`,
        `{"n":${i}}`,
      ];
      return { kind: "not a CloudEvent", body: bytes(values[Math.floor(r() * values.length)]!) };
    },
  ],
  [
    "bad batch",
    (i, r) => {
      const h = { "content-type": "application/cloudevents-batch+json" };
      const variant = Math.floor(r() * 3);
      if (variant === 0) return { kind: "bad batch", headers: h, body: bytes(JSON.stringify(valid(i))) };
      if (variant === 1) {
        const e: Record<string, unknown> = valid(i);
        delete e.source;
        return { kind: "bad batch", headers: h, body: bytes(JSON.stringify([e])) };
      }
      return { kind: "bad batch", headers: h, body: bytes(`[${i}, 2,`) };
    },
  ],
];

/** Rare and heavy: 10 MB bodies and batches over the member limit. */
const heavy: Array<[string, Gen]> = [
  [
    "10 MB body",
    (i) => {
      const e = { ...valid(i), data: { blob: "x".repeat(10 * 1024 * 1024) } };
      return { kind: "10 MB body", body: bytes(JSON.stringify(e)) };
    },
  ],
  [
    "huge batch",
    (i) => {
      const list = Array.from({ length: 5000 }, (_, k) => valid(i * 10_000 + k));
      return {
        kind: "huge batch",
        headers: { "content-type": "application/cloudevents-batch+json" },
        body: bytes(JSON.stringify(list)),
      };
    },
  ],
];

/** `n` cases; one in `heavyEvery` is a heavy one (10 MB body or a batch of 5,000). */
export function* fuzzCases(n: number, seed = 14, heavyEvery = 500): Generator<FuzzCase> {
  const r = prng(seed);
  for (let i = 0; i < n; i++) {
    if (i % heavyEvery === heavyEvery - 1) {
      const [, g] = heavy[Math.floor(i / heavyEvery) % heavy.length]!;
      yield g(i, r);
    } else {
      const [, g] = generators[i % generators.length]!;
      yield g(i, r);
    }
  }
}
