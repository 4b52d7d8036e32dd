import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { jest } from "@jest/globals";
import { validate } from "../src/commands/validate.js";

const seed = join(dirname(fileURLToPath(import.meta.url)), "../../../libs/config/test/fixtures/seed");

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const spyOut = jest.spyOn(process.stdout, "write").mockImplementation((c: string | Uint8Array) => {
    out += String(c);
    return true;
  });
  const spyErr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    return { code: await validate.run(argv), out };
  } finally {
    spyOut.mockRestore();
    spyErr.mockRestore();
  }
}

test("validate - the seed's final configuration passes with exit 0", async () => {
  const r = await run(["-f", join(seed, "05-end-to-end.yaml"), "-f", join(seed, "02-create-namespace.yaml")]);
  expect(r).toEqual({ code: 0, out: "ok: 5 object(s) in 2 file(s)\n" });
});

test("validate - problems give exit 1 and one line per problem", async () => {
  const dir = mkdtempSync(join(tmpdir(), "evtctl-validate-"));
  const file = join(dir, "bad.yaml");
  writeFileSync(
    file,
    [
      "apiVersion: lib.projectsveltos.io/v1beta1",
      "kind: EventSource",
      "metadata: {name: es}",
      "spec: {messagingMatchCriteria: [{cloudEventType: 'a('}]}",
      "---",
      "apiVersion: lib.projectsveltos.io/v1beta1",
      "kind: EventTrigger",
      "metadata: {name: et}",
      "spec: {sourceClusterSelector: {}, eventSourceName: es, syncMode: Never, colour: red}",
    ].join("\n"),
  );
  const r = await run(["-f", file]);
  expect(r.code).toBe(1);
  const lines = r.out.trim().split("\n").sort();
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatch(
    new RegExp(`^${file}:doc#1 EventSource/es: spec.messagingMatchCriteria\\[0\\].cloudEventType: invalid RE2`),
  );
  expect(lines[1]).toBe(`${file}:doc#2 EventTrigger/et: spec.colour: unknown field`);
  expect(lines[2]).toMatch(new RegExp(`^${file}:doc#2 EventTrigger/et: spec.syncMode: must be one of`));
});

test("validate - no file is a usage error", async () => {
  expect((await run([])).code).toBe(2);
});
