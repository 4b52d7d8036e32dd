import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jest } from "@jest/globals";
import { render } from "../src/commands/render.js";

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const spyOut = jest.spyOn(process.stdout, "write").mockImplementation((c: string | Uint8Array) => {
    out += String(c);
    return true;
  });
  const spyErr = jest.spyOn(process.stderr, "write").mockImplementation((c: string | Uint8Array) => {
    err += String(c);
    return true;
  });
  try {
    return { code: await render.run(argv), out, err };
  } finally {
    spyOut.mockRestore();
    spyErr.mockRestore();
  }
}

function files(): { cm: string; plain: string; ce: string; cluster: string } {
  const dir = mkdtempSync(join(tmpdir(), "evtctl-render-"));
  const cm = join(dir, "cm.yaml");
  writeFileSync(
    cm,
    [
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata: {name: namespace}",
      "data:",
      "  namespace.yaml: |",
      "    name: {{ .CloudEvent.subject }}",
      "    org: {{ ( index .CloudEvent.data `organization` ) }}",
      "  cluster.txt: '{{ .Cluster.metadata.name }}'",
    ].join("\n"),
  );
  const plain = join(dir, "action.tpl");
  writeFileSync(plain, '{{if eq .CloudEvent.type "auth.example.com.logout"}}Delete{{else}}Create{{end}}');
  const ce = join(dir, "ce.json");
  writeFileSync(
    ce,
    JSON.stringify({ type: "auth.example.com.login", subject: "mgianluc", data: { organization: "acme" } }),
  );
  const cluster = join(dir, "cluster.json");
  writeFileSync(cluster, JSON.stringify({ metadata: { name: "prod-eu" } }));
  return { cm, plain, ce, cluster };
}

test("render - a plain template file renders with the event as .CloudEvent", async () => {
  const f = files();
  expect(await run(["-f", f.plain, "--event", f.ce])).toEqual({ code: 0, out: "Create", err: "" });
});

test("render - each ConfigMap data value renders, with .Cluster from --cluster", async () => {
  const f = files();
  const r = await run(["-f", f.cm, "--event", f.ce, "--cluster", f.cluster]);
  expect(r.code).toBe(0);
  expect(r.out).toBe(
    "# ConfigMap/namespace namespace.yaml\nname: mgianluc\norg: acme\n---\n# ConfigMap/namespace cluster.txt\nprod-eu\n---\n",
  );
});

test("render - Secret data is base64-decoded before rendering", async () => {
  const f = files();
  const secret = join(mkdtempSync(join(tmpdir(), "evtctl-render-")), "secret.yaml");
  const b64 = Buffer.from("user: {{ .CloudEvent.subject }}").toString("base64");
  writeFileSync(secret, `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  creds: ${b64}\n`);
  expect(await run(["-f", secret, "--event", f.ce])).toEqual({ code: 0, out: "user: mgianluc", err: "" });
});

test("render - a failing template exits 1 with Go's error on stderr", async () => {
  const f = files();
  const r = await run(["-f", f.cm, "--event", f.ce]);
  expect(r.code).toBe(1);
  expect(r.err).toContain('executing "ConfigMap/namespace cluster.txt" at <.Cluster.metadata.name>: nil pointer');
});

test("render - bad arguments exit 2 with usage", async () => {
  const r = await run(["--nope"]);
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/unknown argument --nope/);
});
