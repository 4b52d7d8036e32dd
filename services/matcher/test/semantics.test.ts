// Matching semantics against expectations computed by Go's regexp (fixtures/oracle/semantics_oracle.go).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileSource } from "../src/criteria/compile.js";
import { bruteForceMatch, type EventFields } from "../src/criteria/evaluate.js";
import { CriteriaIndex } from "../src/criteria/index.js";

interface Case {
  name: string;
  criteria: Record<string, string>[];
  event: Partial<EventFields>;
  invalid: boolean;
  expected: number;
  expectedSveltos: number;
}

const here = dirname(fileURLToPath(import.meta.url));
const cases = JSON.parse(readFileSync(join(here, "fixtures/semantics.json"), "utf8")) as Case[];

function fields(e: Partial<EventFields>): EventFields {
  return {
    subscription: e.subscription ?? "",
    natsSubject: e.natsSubject ?? "",
    source: e.source ?? "",
    type: e.type ?? "",
    subject: e.subject ?? "",
  };
}

describe("semantics - Go regexp oracle", () => {
  test.each(cases.map((c) => [c.name, c] as const))("semantics - %s", (_name, c) => {
    const compiled = compileSource("es", c.criteria);
    const index = new CriteriaIndex([compiled]);
    const ev = fields(c.event);
    if (c.invalid) {
      expect(compiled.errors.length).toBeGreaterThan(0);
      expect(compiled.errors[0]!.path).toMatch(/^spec\.messagingMatchCriteria\[\d\]\.\w+$/);
      expect(index.invalid.map((s) => s.name)).toEqual(["es"]);
      expect(index.match(ev)).toEqual([]);
      return;
    }
    expect(compiled.errors).toEqual([]);
    const want = c.expected < 0 ? [] : [{ name: "es", criterion: c.expected }];
    expect(index.match(ev)).toEqual(want);
    expect(bruteForceMatch([{ name: "es", criteria: c.criteria }], ev)).toEqual(want);
  });

  test("semantics - fixture covers the Sveltos difference on the subject criterion", () => {
    // The only intended difference: a `subject` pattern also matches the concrete NATS subject.
    const differing = cases.filter((c) => c.expected !== c.expectedSveltos).map((c) => c.name);
    expect(differing).toEqual(["subject against the concrete subject (evtrigger extension)"]);
  });
});
