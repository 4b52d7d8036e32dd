// Differential fixtures: every sprig/Sveltos function rendered by Go (text/template + sprig 3.2 + Sveltos'
// functions, see fixtures/tools/generate.mjs) and by us, byte for byte, errors included.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createFuncs, defaultFuncs, textFuncs } from "../src/funcs/index.js";
import { parse, renderCase, setFuncSets, TemplateError, type Value } from "../src/internal.js";

const here = dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => join(here, "fixtures", name);

interface Case {
  id: string;
  template: string;
  data?: Value;
  ok: boolean;
  output?: string;
  error?: string;
}

const load = (name: string): Case[] =>
  readFileSync(fixture(name), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Case);

const sharedData = readFileSync(fixture("funcs-data.json"), "utf8");
const named = load("funcs-cases.jsonl");
const codec = load("funcs-codec-cases.jsonl");
const fuzz = load("funcs-fuzz-cases.jsonl");
const yaml3 = load("funcs-yaml3-cases.jsonl");

beforeAll(() => {
  setFuncSets({ default: defaultFuncs, text: textFuncs });
});

function run(c: Case, data: Value) {
  return renderCase({ id: c.id, template: c.template, data });
}

describe("funcs fixtures", () => {
  test("funcs - fixture files hold hundreds of oracle-verified cases", () => {
    expect(named.length).toBeGreaterThan(250);
    expect(codec.length).toBeGreaterThan(500);
    expect(named.filter((c) => !c.ok).length).toBeGreaterThan(50);
  });

  test.each(named.map((c) => [c.id, c] as const))("funcs - %s renders as Go does", (_id, c) => {
    const got = run(c, JSON.parse(sharedData) as Value);
    if (c.ok) expect(got).toEqual({ id: c.id, ok: true, output: c.output });
    else expect(got).toEqual({ id: c.id, ok: false, error: c.error });
  });

  test("funcs - random calls with arguments of every type match Go (results and errors)", () => {
    const mismatches: string[] = [];
    for (const c of fuzz) {
      const data = { ...(JSON.parse(sharedData) as Record<string, Value>), t: true };
      const got = run(c, data);
      const want = c.ok ? { id: c.id, ok: true, output: c.output } : { id: c.id, ok: false, error: c.error };
      if (JSON.stringify(got) !== JSON.stringify(want))
        mismatches.push(`${c.template}\n want ${JSON.stringify(want)}\n got  ${JSON.stringify(got)}`);
    }
    expect(fuzz.length).toBeGreaterThanOrEqual(3000);
    expect(mismatches).toEqual([]);
  });

  test('funcs - toYaml/fromYaml follow gopkg.in/yaml.v3 when asked (createFuncs({ yaml: "v3" }))', () => {
    const funcs = createFuncs({ yaml: "v3" });
    const mismatches: string[] = [];
    for (const c of yaml3) {
      let got: { id: string; ok: boolean; output?: string; error?: string };
      try {
        got = { id: c.id, ok: true, output: parse(c.id, c.template, { funcs }).execute(c.data ?? null) };
      } catch (e) {
        if (!(e instanceof TemplateError)) throw e;
        got = { id: c.id, ok: false, error: e.message };
      }
      const want = c.ok ? { id: c.id, ok: true, output: c.output } : { id: c.id, ok: false, error: c.error };
      if (JSON.stringify(got) !== JSON.stringify(want))
        mismatches.push(
          `${c.template} ${JSON.stringify(c.data)}\n want ${JSON.stringify(want)}\n got  ${JSON.stringify(got)}`,
        );
    }
    expect(yaml3.length).toBeGreaterThan(400);
    expect(mismatches).toEqual([]);
  });

  test("funcs - encoders and decoders match Go on generated values", () => {
    const mismatches: string[] = [];
    for (const c of codec) {
      const got = run(c, JSON.parse(JSON.stringify(c.data)) as Value);
      // BurntSushi's TOML parse errors are worded differently from smol-toml's: same failure, other text.
      if (c.ok && c.output?.startsWith("map[Error:toml:") && got.ok && got.output.startsWith("map[Error:toml:"))
        continue;
      const want = c.ok ? { id: c.id, ok: true, output: c.output } : { id: c.id, ok: false, error: c.error };
      if (JSON.stringify(got) !== JSON.stringify(want))
        mismatches.push(`${c.id} ${c.template}\n want ${JSON.stringify(want)}\n got  ${JSON.stringify(got)}`);
    }
    expect(mismatches).toEqual([]);
  });
});
