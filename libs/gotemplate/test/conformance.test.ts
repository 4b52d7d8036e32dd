// Conformance against Go: every case of ../shared/conformance/gotemplate/cases.jsonl (and our own
// core fixtures) goes through the `evtctl render --jsonl` contract. When the CLI is built it is spawned
// with the whole file; otherwise the same function the CLI uses (renderJsonlLine) is called.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { renderJsonlLine } from "../src/internal.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../../..");
const SHARED_CASES = path.resolve(repoRoot, "../shared/conformance/gotemplate/cases.jsonl");
const CORE_CASES = path.resolve(here, "fixtures/core-cases.jsonl");
const FUNCS_CASES = path.resolve(here, "fixtures/sprig-cases.jsonl");
const CLI = path.resolve(repoRoot, "services/ctl/dist/main.js");

interface Case {
  id: string;
  template: string;
  data: unknown;
  ok: boolean;
  output?: string;
  error?: string;
}
interface Result {
  id: string;
  ok: boolean;
  output?: string;
  error?: string;
}

const readCases = (file: string): Case[] =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Case);

/** Runs a JSONL file through the CLI contract; returns [results, how]. */
function runContract(file: string): [Result[], string] {
  const input = readFileSync(file, "utf8");
  let out: string;
  let how: string;
  if (existsSync(CLI)) {
    const r = spawnSync(process.execPath, [CLI, "render", "--jsonl"], { input, encoding: "utf8", maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`evtctl render --jsonl exited ${r.status}: ${r.stderr}`);
    out = r.stdout;
    how = "spawned evtctl";
  } else {
    out = input
      .split("\n")
      .map((l) => renderJsonlLine(l))
      .filter((l) => l !== "")
      .join("\n");
    how = "renderJsonlLine";
  }
  return [
    out
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as Result),
    how,
  ];
}

// Functions whose output is random or time-dependent: compared by shape (success and length) only.
const NONDETERMINISTIC =
  /\b(rand\w*|uuidv4|now|shuffle|date\w*|htmlDate\w*|unixEpoch|genPrivateKey|genCA|genSelfSigned\w*|genSigned\w*|derivePassword|bcrypt|htpasswd|encryptAES|ago)\b/;

const stripHint = (e: string): string => e.replace(/ \(hint: [^)]*\)/, "");

/** Go's cause: the text after `executing "X" at <...>: `, or after `template: NAME:LINE: `. */
function cause(e: string): string {
  const m = /^template: [^:]*:\d+(?::\d+)?: (?:executing "[^"]*" at <.*?>: )?([\s\S]*)$/.exec(e);
  return m ? (m[1] as string) : e;
}

function mismatch(c: Case, r: Result | undefined): string | null {
  if (r === undefined) return "no result";
  if (r.id !== c.id) return `id ${r.id} out of order`;
  if (NONDETERMINISTIC.test(c.template)) {
    if (r.ok !== c.ok) return `ok=${r.ok}, Go ok=${c.ok}: ${r.error ?? ""}`;
    if (c.ok && (r.output ?? "").length !== (c.output ?? "").length) return `shape: ${JSON.stringify(r.output)}`;
    return null;
  }
  if (c.ok) {
    if (!r.ok) return `failed: ${r.error}`;
    return r.output === (c.output ?? "")
      ? null
      : `output ${JSON.stringify(r.output)} != Go ${JSON.stringify(c.output ?? "")}`;
  }
  if (r.ok) return `succeeded with ${JSON.stringify(r.output)}, Go failed: ${c.error}`;
  const ours = stripHint(r.error ?? "");
  const go = c.error ?? "";
  if (ours === go) return null;
  // Same location prefix and the same cause (our text may differ in detail, e.g. a hint).
  const loc = (e: string): string => /^template: [^:]*:\d+/.exec(e)?.[0] ?? e;
  if (loc(ours) === loc(go) && cause(ours).includes(cause(go).split(":")[0] as string)) return null;
  return `error ${JSON.stringify(ours)} != Go ${JSON.stringify(go)}`;
}

function check(file: string): { failures: string[]; total: number; how: string } {
  const cases = readCases(file);
  const [results, how] = runContract(file);
  expect(results).toHaveLength(cases.length);
  const failures: string[] = [];
  cases.forEach((c, i) => {
    const m = mismatch(c, results[i]);
    if (m !== null) failures.push(`${c.id} ${JSON.stringify(c.template).slice(0, 80)}: ${m}`);
  });
  return { failures, total: cases.length, how };
}

describe("conformance", () => {
  test("conformance - every shared Go case through the render --jsonl contract", () => {
    const { failures, total } = check(SHARED_CASES);
    expect(total).toBeGreaterThanOrEqual(173);
    expect(failures).toEqual([]);
  });

  test("conformance - core-language fixtures recorded from Go", () => {
    const { failures, total } = check(CORE_CASES);
    expect(total).toBeGreaterThan(500);
    expect(failures).toEqual([]);
  });

  test("conformance - sprig/Sveltos function calls recorded from Go (arity, types, results)", () => {
    const { failures, total } = check(FUNCS_CASES);
    expect(total).toBeGreaterThan(500);
    expect(failures).toEqual([]);
  });

  test("conformance - the contract keeps input order and reports bad lines", () => {
    const lines = ['{"id":"b","template":"{{.x}}","data":{"x":1}}', "not json", '{"id":"a","template":"{{"}'];
    expect(lines.map((l) => JSON.parse(renderJsonlLine(l)))).toEqual([
      { id: "b", ok: true, output: "1" },
      { id: "?", ok: false, error: expect.stringMatching(/^bad case: /) },
      { id: "a", ok: false, error: "template: a:1: unclosed action" },
    ]);
  });
});
